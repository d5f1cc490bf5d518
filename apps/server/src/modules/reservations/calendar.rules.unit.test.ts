import { describe, expect, it } from 'vitest';
import { beforeCutoff, isOpenDay, reminderDueAt, slotsFor } from './calendar.rules.ts';

// Booking calendars' rules (V-01, V-06): weekly templates, Japanese holidays and 年末年始, exceptions
// by date, cutoffs and the reminder time, all in Tokyo time.

const rules = {
  templates: [
    { weekday: 1, start: '10:00', end: '11:00', capacity: 10 },
    { weekday: 1, start: '09:00', end: '10:00', capacity: 5 },
    { weekday: 3, start: '13:30', end: '15:00', capacity: 4 },
  ],
  openOnHolidays: false,
  closedDates: ['2027-01-13'],
  openedDates: [] as string[],
};

describe('booking calendar rules (V-01, V-06)', () => {
  it('V-01: slots by weekday in Tokyo time, in order; holidays, 年末年始 and closed dates have none', () => {
    // 2027-01-04 (Mon) is the first day after 年末年始 (12/29–1/3); 2027-01-11 is 成人の日 (a holiday).
    const week = slotsFor(rules, '2027-01-04', 10);
    expect(week.map((s) => [s.startsAt.toISOString(), s.capacity])).toEqual([
      ['2027-01-04T00:00:00.000Z', 5],
      ['2027-01-04T01:00:00.000Z', 10],
      ['2027-01-06T04:30:00.000Z', 4],
    ]);
    expect(isOpenDay(rules, '2027-01-11')).toBe(false); // 成人の日
    expect(isOpenDay(rules, '2026-12-30')).toBe(false); // 年末年始
    expect(isOpenDay(rules, '2027-01-13')).toBe(false); // closed by the city
    expect(isOpenDay({ ...rules, openedDates: ['2027-01-11'] }, '2027-01-11')).toBe(true);
    expect(isOpenDay({ ...rules, openOnHolidays: true }, '2026-12-30')).toBe(true);
  });

  it('V-01: cutoffs in minutes before the start; the reminder the day before at its hour', () => {
    const start = new Date('2027-01-06T04:30:00Z'); // 13:30 Tokyo
    expect(beforeCutoff(start, 60, new Date('2027-01-06T03:30:00Z'))).toBe(true);
    expect(beforeCutoff(start, 60, new Date('2027-01-06T03:30:01Z'))).toBe(false);
    expect(reminderDueAt(start, 18).toISOString()).toBe('2027-01-05T09:00:00.000Z'); // 1/5 18:00 Tokyo
  });
});
