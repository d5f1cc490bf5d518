import { describe, expect, it } from 'vitest';
import {
  addDays,
  defaultScheduleJst,
  formatJst,
  isDate,
  isoToJst,
  jstToIso,
  todayJst,
  weekdayOf,
} from './time.ts';

describe('G-07 delivery times are Asia/Tokyo whatever the PC time zone', () => {
  it('turns a Tokyo date and time into an ISO instant', () => {
    expect(jstToIso('2026-12-01', '09:30')).toBe('2026-12-01T00:30:00.000Z');
    // Before 09:00 in Tokyo is the previous UTC day.
    expect(jstToIso('2027-01-01', '00:05')).toBe('2026-12-31T15:05:00.000Z');
    expect(jstToIso('2026-02-28', '23:59')).toBe('2026-02-28T14:59:00.000Z');
  });

  it('refuses invalid dates and times', () => {
    expect(jstToIso('2026-02-30', '09:00')).toBeNull();
    expect(jstToIso('2026-12-01', '24:00')).toBeNull();
    expect(jstToIso('2026/12/01', '09:00')).toBeNull();
    expect(jstToIso('', '')).toBeNull();
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
  });

  it('shows an instant in Tokyo time', () => {
    expect(isoToJst('2026-12-31T15:05:00.000Z')).toEqual({ date: '2027-01-01', time: '00:05' });
    expect(formatJst('2026-12-01T00:30:00Z')).toBe('2026/12/01 09:30');
    expect(formatJst(null)).toBe('—');
    expect(isoToJst('nonsense')).toBeNull();
  });

  it('knows today in Tokyo and the weekday of a day', () => {
    expect(todayJst(new Date('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
    expect(todayJst(new Date('2026-03-31T14:59:59Z'))).toBe('2026-03-31');
    expect(weekdayOf('2026-11-22')).toBe(0); // a Sunday
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('proposes the next full hour at least 30 minutes ahead', () => {
    // 10:10 JST → 11:00
    expect(defaultScheduleJst(new Date('2026-12-01T01:10:00Z'))).toEqual({
      date: '2026-12-01',
      time: '11:00',
    });
    // 23:45 JST → 01:00 the next day
    expect(defaultScheduleJst(new Date('2026-12-01T14:45:00Z'))).toEqual({
      date: '2026-12-02',
      time: '01:00',
    });
  });
});
