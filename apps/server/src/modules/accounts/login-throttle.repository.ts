import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import {
  ACCOUNT_WINDOW_MS,
  FORGET_FAILURES_MS,
  IP_WINDOW_MS,
  KNOWN_ADDRESS_MS,
} from './login-throttle.rules.ts';

// The state of the sign-in throttling rule (login-throttle.rules.ts) in PostgreSQL.

const ms = (n: number) => sql`make_interval(secs => ${n / 1000}::float8)`;

export type WindowScope = 'account' | 'ip';

/** When a failure window (per login ID or per address) is over its limit: until when. */
export async function windowLockedUntil(db: Db, scope: WindowScope, key: string): Promise<Date | null> {
  const row = await db
    .selectFrom('login_failure_windows')
    .select('locked_until')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/** Whether the login ID has signed in successfully from this address recently. */
export async function isKnownAddress(db: Db, loginId: string, ip: string): Promise<boolean> {
  const row = await db
    .selectFrom('login_throttles')
    .select('last_success_at')
    .where('login_id', '=', loginId)
    .where('ip', '=', ip)
    .where('last_success_at', '>', sql<Date>`now() - ${ms(KNOWN_ADDRESS_MS)}`)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Counts an attempt of (login ID, address) as a failure before the password is checked, so
 * that parallel attempts cannot slip past the backoff; a success resets it afterwards.
 * `schedule[i]` is the wait in minutes after the (i+1)-th consecutive failure (the last entry
 * holds for all later ones). Returns false, changing nothing, while the pair must wait.
 */
export async function takeAttempt(db: Db, loginId: string, ip: string, schedule: number[]): Promise<boolean> {
  const failures = sql<number>`case when t.last_failure_at < now() - ${ms(FORGET_FAILURES_MS)} then 1 else t.failures + 1 end`;
  const wait = (n: RawBuilder<number> | number) =>
    sql`(${schedule}::int[])[least(${n}::int, ${schedule.length}::int)]`;
  const blockedUntil = (n: RawBuilder<number> | number) =>
    sql`case when ${wait(n)} > 0 then now() + make_interval(mins => ${wait(n)}) end`;
  const result = await sql<{ failures: number }>`
    insert into login_throttles as t (login_id, ip, failures, last_failure_at, blocked_until, forget_at)
    values (${loginId}, ${ip}, 1, now(), ${blockedUntil(1)}, now() + ${ms(FORGET_FAILURES_MS)})
    on conflict (login_id, ip) do update set
      failures = ${failures},
      last_failure_at = now(),
      blocked_until = ${blockedUntil(failures)},
      forget_at = greatest(t.forget_at, now() + ${ms(FORGET_FAILURES_MS)})
    where t.blocked_until is null or t.blocked_until <= now()
    returning t.failures
  `.execute(db);
  return result.rows.length > 0;
}

/** Until when (login ID, address) must wait, if it must. */
export async function pairBlockedUntil(db: Db, loginId: string, ip: string): Promise<Date | null> {
  const row = await db
    .selectFrom('login_throttles')
    .select('blocked_until')
    .where('login_id', '=', loginId)
    .where('ip', '=', ip)
    .where('blocked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.blocked_until ?? null;
}

/** The attempt was not a failure after all (the password was right, the TOTP code is missing). */
export async function returnAttempt(db: Db, loginId: string, ip: string): Promise<void> {
  // blocked_until was null or past before takeAttempt, which both mean "may try".
  await db
    .updateTable('login_throttles')
    .set({ failures: sql`greatest(failures - 1, 0)`, blocked_until: null })
    .where('login_id', '=', loginId)
    .where('ip', '=', ip)
    .execute();
}

/** A successful sign-in: the pair starts over and the address is remembered as known. */
export async function recordSuccess(db: Db, loginId: string, ip: string): Promise<void> {
  await db
    .updateTable('login_throttles')
    .set({
      failures: 0,
      blocked_until: null,
      last_failure_at: null,
      last_success_at: sql`now()`,
      forget_at: sql`greatest(forget_at, now() + ${ms(KNOWN_ADDRESS_MS)})`,
    })
    .where('login_id', '=', loginId)
    .where('ip', '=', ip)
    .execute();
}

/** Counts a failure in a window; sets locked_until when the window reaches `limit`. */
export async function countWindowFailure(
  db: Db,
  scope: WindowScope,
  key: string,
  windowMs: number,
  limit: number,
): Promise<void> {
  const expired = sql<boolean>`w.window_start <= now() - ${ms(windowMs)}`;
  await sql`
    insert into login_failure_windows as w (scope, key, window_start, failures, locked_until)
    values (${scope}, ${key}, now(), 1, case when 1 >= ${limit}::int then now() + ${ms(windowMs)} end)
    on conflict (scope, key) do update set
      window_start = case when ${expired} then now() else w.window_start end,
      failures = case when ${expired} then 1 else w.failures + 1 end,
      locked_until = case
        when ${expired} then case when 1 >= ${limit}::int then now() + ${ms(windowMs)} end
        when w.failures + 1 >= ${limit}::int then w.window_start + ${ms(windowMs)}
        else w.locked_until end
  `.execute(db);
}

/** Drops what the rule no longer needs (run after failures, so the tables stay small). */
export async function pruneThrottleState(db: Db): Promise<void> {
  await db.deleteFrom('login_throttles').where('forget_at', '<', sql<Date>`now()`).execute();
  await db
    .deleteFrom('login_failure_windows')
    .where('window_start', '<', sql<Date>`now() - ${ms(Math.max(ACCOUNT_WINDOW_MS, IP_WINDOW_MS))}`)
    .execute();
}

/** An admin's unlock (or password reset): every address of the login ID starts over. */
export async function clearLoginFailures(db: Db, loginId: string): Promise<void> {
  await db
    .updateTable('login_throttles')
    .set({ failures: 0, blocked_until: null, last_failure_at: null })
    .where('login_id', '=', loginId)
    .execute();
  await db
    .deleteFrom('login_failure_windows')
    .where('scope', '=', 'account')
    .where('key', '=', loginId)
    .execute();
}

/** Until when each login ID is held back (any address waiting, or the per-account ceiling). */
export async function lockedUntilByLoginId(db: Db): Promise<Map<string, Date>> {
  const { rows } = await sql<{ login_id: string; until: Date }>`
    select held.login_id, max(held.until) as until from (
      select login_id, blocked_until as until from login_throttles where blocked_until > now()
      union all
      select key, locked_until from login_failure_windows
        where scope = 'account' and locked_until > now()
    ) held
    join staff_accounts a on a.login_id = held.login_id
    group by held.login_id
  `.execute(db);
  return new Map(rows.map((r) => [r.login_id, r.until]));
}
