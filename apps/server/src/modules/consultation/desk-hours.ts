import { isHolidayJp, isYearEnd } from '../../platform/japanese-calendar.ts';

// Reception hours of a desk (C-06, C-08), always in Asia/Tokyo whatever the server's time zone.
// Japan has no daylight saving time, so Tokyo time is UTC+9 all year.

export type WeeklyHours = Record<string, { start: string; end: string }[]>;

export interface DeskCalendar {
  hours: WeeklyHours;
  closedOnHolidays: boolean;
  closedYearEnd: boolean;
  closedDates: string[];
}

export { isHolidayJp, isYearEnd };

const TOKYO_OFFSET_MS = 9 * 3600_000;

/** Date (YYYY-MM-DD), weekday (0 = Sunday) and minutes since midnight in Tokyo. */
export function tokyoClock(at: Date): { date: string; weekday: number; minutes: number } {
  const t = new Date(at.getTime() + TOKYO_OFFSET_MS);
  return {
    date: t.toISOString().slice(0, 10),
    weekday: t.getUTCDay(),
    minutes: t.getUTCHours() * 60 + t.getUTCMinutes(),
  };
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export function closedReason(cal: DeskCalendar, at: Date): 'holiday' | 'year-end' | 'closed-date' | null {
  const { date } = tokyoClock(at);
  if (cal.closedDates.includes(date)) return 'closed-date';
  if (cal.closedYearEnd && isYearEnd(date)) return 'year-end';
  if (cal.closedOnHolidays && isHolidayJp(date)) return 'holiday';
  return null;
}

export function isOpen(cal: DeskCalendar, at: Date): boolean {
  if (closedReason(cal, at)) return false;
  const { weekday, minutes } = tokyoClock(at);
  return (cal.hours[String(weekday)] ?? []).some(
    (r) => minutes >= toMinutes(r.start) && minutes < toMinutes(r.end),
  );
}

/**
 * The end of the last reception period of a Tokyo date (YYYY-MM-DD) over all the given desks' weekly
 * hours, as an instant; null when no desk receives that weekday (C-14: "end of yesterday's hours").
 */
export function receptionEnd(weeklies: WeeklyHours[], date: string): Date | null {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  let last: number | null = null;
  for (const hours of weeklies)
    for (const r of hours[String(weekday)] ?? []) last = Math.max(last ?? 0, toMinutes(r.end));
  return last === null ? null : new Date(Date.parse(`${date}T00:00:00+09:00`) + last * 60_000);
}
