import type { Db } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { type AccountsDeps, authenticate } from './accounts.service.ts';
import {
  countWindowFailure,
  isKnownAddress,
  pairBlockedUntil,
  pruneThrottleState,
  recordSuccess,
  returnAttempt,
  takeAttempt,
  windowLockedUntil,
} from './login-throttle.repository.ts';
import {
  ACCOUNT_WINDOW_MS,
  accountCeiling,
  backoffMinutes,
  IP_FAILURE_LIMIT,
  IP_WINDOW_MS,
  type ThrottleConfig,
} from './login-throttle.rules.ts';

// Sign-in with the throttling rule of login-throttle.rules.ts (S-08, S-04).

/** A refused attempt that may be retried later; `retryAfterSeconds` goes into Retry-After. */
export class RetryLaterError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(code: string, message: string, until: Date) {
    super(429, code, message);
    this.retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  }
}

// One answer for every held-back login ID, existing or not, whichever rule holds it back.
const loginThrottled = (until: Date) =>
  new RetryLaterError(
    'LOGIN_THROTTLED',
    'ログインに続けて失敗したため、しばらくログインできません。時間をおいてお試しいただくか、管理者にロックの解除を依頼してください',
    until,
  );

const addressLimited = (until: Date) =>
  new RetryLaterError(
    'RATE_LIMITED',
    '短時間に操作が集中しています。しばらく待ってからお試しください',
    until,
  );

/** The address as stored: a trusted proxy passes X-Forwarded-For on as it came, so bound it. */
const addressKey = (ip: string) => ip.slice(0, 64);

/** The waits after the 1st, 2nd … consecutive failure, up to where the cap holds for good. */
export function backoffSchedule(config: ThrottleConfig): number[] {
  const schedule: number[] = [];
  for (let n = 1; ; n++) {
    const wait = backoffMinutes(n, config);
    schedule.push(wait);
    if (wait >= config.LOGIN_LOCK_MINUTES) return schedule;
  }
}

/** Refuses, before anything else is done, an address that failed too often lately. */
export async function refuseLimitedAddress(db: Db, ip: string): Promise<void> {
  const until = await windowLockedUntil(db, 'ip', addressKey(ip));
  if (until) throw addressLimited(until);
}

/** A failed attempt that never reached the password check (e.g. IP not allowed). */
export async function countAddressFailure(db: Db, ip: string): Promise<void> {
  await countWindowFailure(db, 'ip', addressKey(ip), IP_WINDOW_MS, IP_FAILURE_LIMIT);
}

export async function signIn(
  deps: AccountsDeps,
  input: { loginId: string; password: string; totpCode?: string | undefined; ip: string },
) {
  const { db, config } = deps;
  const { loginId } = input;
  const ip = addressKey(input.ip);
  const ceilingUntil = await windowLockedUntil(db, 'account', loginId);
  if (ceilingUntil && !(await isKnownAddress(db, loginId, ip))) throw loginThrottled(ceilingUntil);
  if (!(await takeAttempt(db, loginId, ip, backoffSchedule(config)))) {
    throw loginThrottled((await pairBlockedUntil(db, loginId, ip)) ?? new Date(Date.now() + 60_000));
  }
  try {
    const account = await authenticate(deps, input);
    await recordSuccess(db, loginId, ip);
    return account;
  } catch (err) {
    if (err instanceof AppError && err.code === 'TOTP_REQUIRED') {
      await returnAttempt(db, loginId, ip);
    } else {
      await countWindowFailure(db, 'account', loginId, ACCOUNT_WINDOW_MS, accountCeiling(config));
      await countAddressFailure(db, ip);
      await pruneThrottleState(db);
    }
    throw err;
  }
}
