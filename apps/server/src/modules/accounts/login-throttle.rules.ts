// The sign-in throttling rule (S-08, S-04), as pure functions; the state lives in PostgreSQL
// (login-throttle.repository.ts) so that every server process applies the same rule.
//
// 1. Per (login ID, source address): after LOGIN_MAX_FAILURES consecutive failures that
//    address waits 1 minute, then 2, 4, 8 … after each further failure, at most
//    LOGIN_LOCK_MINUTES. A success from that address, an admin's unlock or a password reset
//    starts it over; so does 24 hours without a failure. An attacker at one address therefore
//    cannot lock the real user out at another (30 staff behind one city NAT are 30 pairs).
// 2. Per login ID across all addresses: ACCOUNT_CEILING_FACTOR × LOGIN_MAX_FAILURES failures
//    (50 by default) in one hour stop distributed guessing: until the hour is over, only
//    addresses the account has signed in from successfully in the last 30 days may try.
//    The trade-off: many addresses together can keep the real user from signing in from a
//    new address for up to an hour (an admin's unlock ends it at once).
// 3. Per source address: IP_FAILURE_LIMIT failures in IP_WINDOW_MS (whatever the login IDs)
//    refuse further attempts from that address until the window ends. Only failures count,
//    so any number of correct sign-ins from one NAT address pass.
// Unknown login IDs are counted and answered exactly like existing ones (same status, code,
// message and, through a dummy argon2 check, similar time), so the answers do not tell
// which IDs exist.

export const ACCOUNT_CEILING_FACTOR = 10;
export const ACCOUNT_WINDOW_MS = 60 * 60_000;
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;
export const FORGET_FAILURES_MS = 24 * 60 * 60_000;
export const IP_FAILURE_LIMIT = 60;
export const IP_WINDOW_MS = 10 * 60_000;

export interface ThrottleConfig {
  LOGIN_MAX_FAILURES: number;
  LOGIN_LOCK_MINUTES: number;
}

/** Minutes an address must wait after its `failures`-th consecutive failure (0: none). */
export function backoffMinutes(failures: number, config: ThrottleConfig): number {
  if (failures < config.LOGIN_MAX_FAILURES) return 0;
  const exponent = failures - config.LOGIN_MAX_FAILURES;
  // 2^exponent grows past any cap quickly; stop before it overflows.
  if (exponent >= 31) return config.LOGIN_LOCK_MINUTES;
  return Math.min(2 ** exponent, config.LOGIN_LOCK_MINUTES);
}

/** Failures per login ID in one hour, over all addresses, after which unknown addresses wait. */
export const accountCeiling = (config: ThrottleConfig) => ACCOUNT_CEILING_FACTOR * config.LOGIN_MAX_FAILURES;
