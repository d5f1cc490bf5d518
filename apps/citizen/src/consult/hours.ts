import type { Hours } from './api.ts';

// Reception hours as rows for a table, Monday first (as Japanese notices list them).

export const WEEKDAYS_MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0] as const;

export type Weekday = (typeof WEEKDAYS_MONDAY_FIRST)[number];

/** "09:00" → "9:00". */
export function displayTime(hhmm: string): string {
  return hhmm.replace(/^0(\d)/, '$1');
}

export function hoursRows(hours: Hours): { weekday: Weekday; ranges: { start: string; end: string }[] }[] {
  return WEEKDAYS_MONDAY_FIRST.map((weekday) => ({
    weekday,
    ranges: [...(hours[String(weekday)] ?? [])]
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((r) => ({ start: displayTime(r.start), end: displayTime(r.end) })),
  }));
}

/** The weekday in Tokyo now (0 = Sunday), for marking today's row. */
export function tokyoWeekday(at: Date = new Date()): number {
  return new Date(at.getTime() + 9 * 3600_000).getUTCDay();
}

/** `tel:` URL for a number as printed ("0120-000-000", "#7119", "110"). */
export function telHref(phone: string): string {
  return `tel:${encodeURIComponent(phone.replace(/[^\d+#*]/g, ''))}`;
}
