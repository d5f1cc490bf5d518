import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dayNumber,
  isCalendarDay,
  nextOccurrence,
  type Recurrence,
  tokyoDate,
  upcomingOccurrences,
} from './recurrence.ts';

// G-08: recurring deliveries in Asia/Tokyo, whatever the server's TZ. The whole suite runs three
// times, with the test process in Asia/Tokyo, America/New_York (which has DST) and UTC.

/** An instant given as Tokyo wall-clock time. */
const jst = (s: string) => new Date(`${s}+09:00`);
/** Tokyo wall-clock time of an instant, "YYYY-MM-DD HH:MM". */
const wall = (d: Date | null) =>
  d ? new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : null;
const series = (r: Recurrence, after: string, n: number) =>
  upcomingOccurrences(r, jst(after), n).map((d) => wall(d));

const originalTz = process.env.TZ;

describe.each(['Asia/Tokyo', 'America/New_York', 'UTC'])('recurrence with TZ=%s (G-08)', (tz) => {
  beforeAll(() => {
    process.env.TZ = tz;
  });
  afterAll(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('the process really runs in that zone', () => {
    // 2026-07-01 00:00 UTC: 09:00 in Tokyo, 20:00 the day before in New York (EDT), 00:00 in UTC.
    const hours = new Date(Date.UTC(2026, 6, 1, 0, 0)).getHours();
    expect(hours).toBe({ 'Asia/Tokyo': 9, 'America/New_York': 20, UTC: 0 }[tz]);
  });

  it('G-08: weekly on Monday and Thursday at 09:30 JST', () => {
    const r: Recurrence = { kind: 'weekly', weekdays: [1, 4], time: '09:30', from: '2026-03-01' };
    // 2026-03-02 is a Monday.
    expect(series(r, '2026-03-01T00:00', 4)).toEqual([
      '2026-03-02 09:30',
      '2026-03-05 09:30',
      '2026-03-09 09:30',
      '2026-03-12 09:30',
    ]);
    // Strictly after: at 09:30 exactly, the next one is Thursday.
    expect(wall(nextOccurrence(r, jst('2026-03-02T09:30')))).toBe('2026-03-05 09:30');
    expect(wall(nextOccurrence(r, jst('2026-03-02T09:29')))).toBe('2026-03-02 09:30');
  });

  it('G-08: an early-morning JST time is the previous day in UTC and New York', () => {
    const r: Recurrence = { kind: 'weekly', weekdays: [0], time: '00:15', from: '2026-01-01' };
    const next = nextOccurrence(r, jst('2026-01-01T12:00'))!;
    expect(wall(next)).toBe('2026-01-04 00:15'); // Sunday in Tokyo
    expect(next.toISOString()).toBe('2026-01-03T15:15:00.000Z'); // Saturday in UTC
    // Across New York's DST change (2026-03-08) the JST instant does not move.
    expect(series({ ...r, from: '2026-03-01' }, '2026-03-01T01:00', 3)).toEqual([
      '2026-03-08 00:15',
      '2026-03-15 00:15',
      '2026-03-22 00:15',
    ]);
    expect(nextOccurrence(r, jst('2026-03-14T00:00'))!.toISOString()).toBe('2026-03-14T15:15:00.000Z');
  });

  it('G-08: 23:59 JST and a weekly rule across the year boundary', () => {
    const r: Recurrence = { kind: 'weekly', weekdays: [3], time: '23:59', from: '2026-12-01' };
    expect(series(r, '2026-12-25T00:00', 3)).toEqual([
      '2026-12-30 23:59',
      '2027-01-06 23:59',
      '2027-01-13 23:59',
    ]);
  });

  it('G-08: monthly on the 31st skips months without it', () => {
    const r: Recurrence = {
      kind: 'monthly',
      rule: { type: 'dates', dates: [31] },
      time: '10:00',
      from: '2026-01-01',
    };
    expect(series(r, '2026-01-01T00:00', 7)).toEqual([
      '2026-01-31 10:00',
      '2026-03-31 10:00',
      '2026-05-31 10:00',
      '2026-07-31 10:00',
      '2026-08-31 10:00',
      '2026-10-31 10:00',
      '2026-12-31 10:00',
    ]);
  });

  it('G-08: monthly on the 1st and 15th, and the 29th of February only in leap years', () => {
    const r: Recurrence = {
      kind: 'monthly',
      rule: { type: 'dates', dates: [15, 1] },
      time: '08:00',
      from: '2026-12-10',
    };
    expect(series(r, '2026-12-01T00:00', 4)).toEqual([
      '2026-12-15 08:00',
      '2027-01-01 08:00',
      '2027-01-15 08:00',
      '2027-02-01 08:00',
    ]);
    const feb29: Recurrence = {
      kind: 'monthly',
      rule: { type: 'dates', dates: [29] },
      time: '12:00',
      from: '2027-01-01',
    };
    expect(series(feb29, '2027-01-30T00:00', 2)).toEqual(['2027-03-29 12:00', '2027-04-29 12:00']);
    expect(series(feb29, '2028-01-30T00:00', 2)).toEqual(['2028-02-29 12:00', '2028-03-29 12:00']);
  });

  it('G-08: month end: 28th / 29th of February, 30th, 31st', () => {
    const r: Recurrence = { kind: 'monthly', rule: { type: 'monthEnd' }, time: '18:00', from: '2027-01-01' };
    expect(series(r, '2027-01-01T00:00', 4)).toEqual([
      '2027-01-31 18:00',
      '2027-02-28 18:00',
      '2027-03-31 18:00',
      '2027-04-30 18:00',
    ]);
    expect(series(r, '2028-02-01T00:00', 2)).toEqual(['2028-02-29 18:00', '2028-03-31 18:00']);
    // Year boundary.
    expect(series(r, '2027-12-31T18:00', 1)).toEqual(['2028-01-31 18:00']);
  });

  it('G-08: n-th weekday (2nd Tuesday; 5th Friday only in months that have one)', () => {
    const second: Recurrence = {
      kind: 'monthly',
      rule: { type: 'nthWeekday', nth: 2, weekday: 2 },
      time: '09:00',
      from: '2026-01-01',
    };
    expect(series(second, '2026-01-01T00:00', 3)).toEqual([
      '2026-01-13 09:00',
      '2026-02-10 09:00',
      '2026-03-10 09:00',
    ]);
    const fifth: Recurrence = {
      kind: 'monthly',
      rule: { type: 'nthWeekday', nth: 5, weekday: 5 },
      time: '09:00',
      from: '2026-01-01',
    };
    // Fridays in 2026: January has 5 (30th), February–April do not, May has 5 (29th).
    expect(series(fifth, '2026-01-01T00:00', 3)).toEqual([
      '2026-01-30 09:00',
      '2026-05-29 09:00',
      '2026-07-31 09:00',
    ]);
  });

  it('G-08: last weekday of the month (nth = -1), including February of a leap year', () => {
    const r: Recurrence = {
      kind: 'monthly',
      rule: { type: 'nthWeekday', nth: -1, weekday: 0 },
      time: '07:00',
      from: '2027-12-01',
    };
    expect(series(r, '2027-12-01T00:00', 4)).toEqual([
      '2027-12-26 07:00',
      '2028-01-30 07:00',
      '2028-02-27 07:00',
      '2028-03-26 07:00',
    ]);
    // Last Tuesday of February 2028 (leap year, 29 days) is the 29th.
    const tue: Recurrence = { ...r, rule: { type: 'nthWeekday', nth: -1, weekday: 2 } };
    expect(series(tue, '2028-02-01T00:00', 1)).toEqual(['2028-02-29 07:00']);
  });

  it('G-08: from, until and excluded days', () => {
    const r: Recurrence = {
      kind: 'weekly',
      weekdays: [1, 2, 3, 4, 5],
      time: '12:00',
      from: '2026-12-28',
      until: '2027-01-06',
      except: ['2026-12-31', '2027-01-01', '2027-01-04'],
    };
    // Before `from`: the first occurrence is on `from`.
    expect(series(r, '2026-12-01T00:00', 10)).toEqual([
      '2026-12-28 12:00',
      '2026-12-29 12:00',
      '2026-12-30 12:00',
      '2027-01-05 12:00',
      '2027-01-06 12:00',
    ]);
    // After `until`: none.
    expect(nextOccurrence(r, jst('2027-01-06T12:00'))).toBeNull();
    // `until` is inclusive, whatever the time of day.
    expect(wall(nextOccurrence(r, jst('2027-01-06T11:59')))).toBe('2027-01-06 12:00');
  });

  it('G-08: a rule that never matches, and invalid days', () => {
    const never: Recurrence = {
      kind: 'monthly',
      rule: { type: 'dates', dates: [31] },
      time: '09:00',
      from: '2027-02-01',
      until: '2027-02-28',
    };
    expect(nextOccurrence(never, jst('2027-01-01T00:00'))).toBeNull();
    expect(isCalendarDay('2027-02-29')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2027-13-01')).toBe(false);
    expect(isCalendarDay('27-01-01')).toBe(false);
    expect(Number.isNaN(dayNumber('2027-04-31'))).toBe(true);
  });

  it('tokyoDate: the Tokyo day of an instant', () => {
    expect(tokyoDate(new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01');
    expect(tokyoDate(new Date('2026-12-31T14:59:59Z'))).toBe('2026-12-31');
  });
});
