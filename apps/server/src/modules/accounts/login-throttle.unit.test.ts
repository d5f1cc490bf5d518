import { describe, expect, it } from 'vitest';
import { accountCeiling, backoffMinutes } from './login-throttle.rules.ts';
import { backoffSchedule } from './login-throttle.service.ts';

const config = { LOGIN_MAX_FAILURES: 5, LOGIN_LOCK_MINUTES: 15 };

describe('sign-in backoff rule (S-08, S-04)', () => {
  it('S-08: no wait before LOGIN_MAX_FAILURES failures, then 1, 2, 4, 8 minutes, capped at LOGIN_LOCK_MINUTES', () => {
    expect([1, 2, 3, 4].map((n) => backoffMinutes(n, config))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 50].map((n) => backoffMinutes(n, config))).toEqual([1, 2, 4, 8, 15, 15, 15]);
  });

  it('S-08: huge failure counts stay at the cap (no overflow)', () => {
    expect(backoffMinutes(10_000, config)).toBe(15);
    expect(backoffMinutes(5 + 31, { LOGIN_MAX_FAILURES: 5, LOGIN_LOCK_MINUTES: 24 * 60 })).toBe(24 * 60);
  });

  it('S-08: a lock time of 1 minute means one minute after every failure past the limit', () => {
    expect([2, 3, 4].map((n) => backoffMinutes(n, { LOGIN_MAX_FAILURES: 3, LOGIN_LOCK_MINUTES: 1 }))).toEqual(
      [0, 1, 1],
    );
  });

  it('S-08: the schedule stored with each attempt lists the waits until the cap holds for good', () => {
    expect(backoffSchedule(config)).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 15]);
    expect(backoffSchedule({ LOGIN_MAX_FAILURES: 1, LOGIN_LOCK_MINUTES: 1 })).toEqual([1]);
    expect(backoffSchedule({ LOGIN_MAX_FAILURES: 100, LOGIN_LOCK_MINUTES: 24 * 60 })).toHaveLength(111);
  });

  it('S-04: the per-account ceiling over all addresses is ten times the per-address limit', () => {
    expect(accountCeiling(config)).toBe(50);
  });
});
