// Recurring deliveries (G-08): weekly on weekdays, monthly on dates, on the n-th weekday or at the
// month end, at a time of day in Asia/Tokyo, from a first day, optionally until a last day and
// without some excluded days. Pure date arithmetic on UTC day numbers shifted by +9 h: Japan has had
// no daylight saving time since 1951, so the result never depends on the server's TZ.

import { dayNumber, minutesOf } from '@madoguchi/contracts/calendar.ts';
import type { Recurrence } from '@madoguchi/contracts/deliveries.ts';

export { dayNumber, isCalendarDay, minutesOf } from '@madoguchi/contracts/calendar.ts';
export type { MonthlyRule, Recurrence } from '@madoguchi/contracts/deliveries.ts';

const DAY_MS = 86_400_000;
const TOKYO_OFFSET_MS = 9 * 3_600_000;
/** How far ahead an occurrence is searched (a 5th weekday or a 31st can be months away; excluded days push further). */
const SEARCH_DAYS = 4 * 366 + 62;

/** YYYY-MM-DD of a day number. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Tokyo calendar day (as a day number) of an instant. */
export function tokyoDayNumber(instant: Date): number {
  return Math.floor((instant.getTime() + TOKYO_OFFSET_MS) / DAY_MS);
}

/** YYYY-MM-DD of an instant in Asia/Tokyo. */
export const tokyoDate = (instant: Date) => dayString(tokyoDayNumber(instant));

/** The instant of HH:MM (Asia/Tokyo) on a day. */
export function tokyoInstant(day: number, time: string): Date {
  return new Date(day * DAY_MS + minutesOf(time) * 60_000 - TOKYO_OFFSET_MS);
}

function civil(day: number) {
  const d = new Date(day * DAY_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth(); // 0-based
  return {
    date: d.getUTCDate(),
    weekday: d.getUTCDay(), // 0 = Sunday
    daysInMonth: new Date(Date.UTC(year, month + 1, 0)).getUTCDate(),
  };
}

/** Whether the rule's pattern (weekday, date, n-th weekday, month end) falls on this day. */
export function matchesDay(r: Recurrence, day: number): boolean {
  const c = civil(day);
  if (r.kind === 'weekly') return r.weekdays.includes(c.weekday);
  const rule = r.rule;
  switch (rule.type) {
    case 'dates':
      // Months without the date (the 31st in April, the 30th in February) are skipped.
      return rule.dates.includes(c.date);
    case 'monthEnd':
      return c.date === c.daysInMonth;
    case 'nthWeekday':
      if (c.weekday !== rule.weekday) return false;
      return rule.nth === -1 ? c.date + 7 > c.daysInMonth : Math.ceil(c.date / 7) === rule.nth;
  }
}

/**
 * The first occurrence strictly after `after`, or null when the series has ended (or has no
 * occurrence in the next four years).
 */
export function nextOccurrence(r: Recurrence, after: Date): Date | null {
  const from = dayNumber(r.from);
  const until = r.until ? dayNumber(r.until) : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(from) || Number.isNaN(until) || Number.isNaN(minutesOf(r.time))) return null;
  const except = new Set(r.except ?? []);
  const start = Math.max(from, tokyoDayNumber(after));
  const last = Math.min(until, start + SEARCH_DAYS);
  for (let day = start; day <= last; day++) {
    if (!matchesDay(r, day) || except.has(dayString(day))) continue;
    const at = tokyoInstant(day, r.time);
    if (at.getTime() > after.getTime()) return at;
  }
  return null;
}

/** The next `count` occurrences after `after` (for previews). */
export function upcomingOccurrences(r: Recurrence, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < count) {
    const next = nextOccurrence(r, cursor);
    if (!next) break;
    out.push(next);
    cursor = next;
  }
  return out;
}
