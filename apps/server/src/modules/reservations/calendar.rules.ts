import type { SlotTemplate } from '@madoguchi/contracts/reservations.ts';
import { isHolidayJp, isYearEnd } from '../../platform/japanese-calendar.ts';

// The pure rules of booking calendars (V-01): which slots a day has, and the cutoffs. Times are Tokyo
// (UTC+9 all year, no daylight saving time).

const TOKYO_OFFSET_MS = 9 * 3600_000;

export interface CalendarRules {
  templates: SlotTemplate[];
  openOnHolidays: boolean;
  closedDates: string[];
  openedDates: string[];
}

/** The instant of a Tokyo date and HH:MM. */
export function tokyoInstant(date: string, hhmm: string): Date {
  return new Date(Date.parse(`${date}T${hhmm}:00+09:00`));
}

/** The Tokyo date (YYYY-MM-DD) `n` days after `date`. */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export const tokyoDate = (at: Date) => new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);

/** Whether the calendar has slots on this date: closed dates, then opened dates, then holidays and 年末年始. */
export function isOpenDay(rules: CalendarRules, date: string): boolean {
  if (rules.closedDates.includes(date)) return false;
  if (rules.openedDates.includes(date)) return true;
  if (!rules.openOnHolidays && (isHolidayJp(date) || isYearEnd(date))) return false;
  return true;
}

/** The slots of `days` days from `from` (Tokyo dates) by the weekly templates. */
export function slotsFor(rules: CalendarRules, from: string, days: number) {
  const out: { startsAt: Date; endsAt: Date; capacity: number }[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    if (!isOpenDay(rules, date)) continue;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const t of rules.templates) {
      if (t.weekday !== weekday) continue;
      out.push({
        startsAt: tokyoInstant(date, t.start),
        endsAt: tokyoInstant(date, t.end),
        capacity: t.capacity,
      });
    }
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** Booking (or cancelling) is allowed until `cutoffMinutes` before the slot starts. */
export const beforeCutoff = (startsAt: Date, cutoffMinutes: number, now: Date) =>
  now.getTime() <= startsAt.getTime() - cutoffMinutes * 60_000;

/**
 * When the reminder of a slot is due: the day before it at `hour` (Tokyo). The reminder job (every 5
 * minutes, reservations.repository dueReminderRows does the same in SQL) sends it to every booking
 * not yet reminded from then on, so a booking made after that moment is reminded within minutes.
 */
export function reminderDueAt(startsAt: Date, hour: number): Date {
  return tokyoInstant(addDays(tokyoDate(startsAt), -1), `${String(hour).padStart(2, '0')}:00`);
}
