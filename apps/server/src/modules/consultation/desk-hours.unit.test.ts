import { describe, expect, it } from 'vitest';
import { type DeskCalendar, isOpen, isYearEnd, tokyoClock } from './desk-hours.ts';

const weekdays9to17: DeskCalendar = {
  hours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  closedOnHolidays: true,
  closedYearEnd: true,
  closedDates: ['2026-12-01'],
};

const tokyo = (iso: string) => new Date(`${iso}+09:00`);

describe('desk reception hours in Asia/Tokyo (C-06, C-08)', () => {
  it('C-08: open within the weekday hours, closed outside them', () => {
    expect(isOpen(weekdays9to17, tokyo('2026-11-24T09:00:00'))).toBe(true); // Tuesday
    expect(isOpen(weekdays9to17, tokyo('2026-11-24T16:59:00'))).toBe(true);
    expect(isOpen(weekdays9to17, tokyo('2026-11-24T17:00:00'))).toBe(false);
    expect(isOpen(weekdays9to17, tokyo('2026-11-24T08:59:00'))).toBe(false);
    expect(isOpen(weekdays9to17, tokyo('2026-11-22T10:00:00'))).toBe(false); // Sunday
  });

  it('C-06: closed on Japanese public holidays, year-end days and ad-hoc closures', () => {
    expect(isOpen(weekdays9to17, tokyo('2026-11-23T10:00:00'))).toBe(false); // 勤労感謝の日 (Monday)
    expect(isOpen(weekdays9to17, tokyo('2026-12-29T10:00:00'))).toBe(false);
    expect(isOpen(weekdays9to17, tokyo('2027-01-04T10:00:00'))).toBe(true);
    expect(isOpen(weekdays9to17, tokyo('2026-12-01T10:00:00'))).toBe(false);
    expect(
      isOpen(
        { ...weekdays9to17, closedOnHolidays: false, hours: { '1': [{ start: '00:00', end: '24:00' }] } },
        tokyo('2026-11-23T10:00:00'),
      ),
    ).toBe(true);
  });

  it('C-08: uses Tokyo time whatever the server time zone (UTC midnight is 09:00 in Tokyo)', () => {
    expect(tokyoClock(new Date('2026-11-24T00:00:00Z'))).toEqual({
      date: '2026-11-24',
      weekday: 2,
      minutes: 540,
    });
    expect(tokyoClock(new Date('2026-11-23T15:30:00Z'))).toEqual({
      date: '2026-11-24',
      weekday: 2,
      minutes: 30,
    });
    expect(isYearEnd('2026-12-28')).toBe(false);
    expect(isYearEnd('2027-01-03')).toBe(true);
  });
});
