import type { PublicCalendar, PublicSlot } from '@madoguchi/contracts/reservations.ts';

// The pure parts of the booking pages (V-01 … V-06): Tokyo dates, slots grouped by day, a slot's
// state (残り n 席 / 満席 / 受付終了) and the calendars grouped by category.

const TOKYO_OFFSET_MS = 9 * 3600_000;

/** The Tokyo date (YYYY-MM-DD) of an instant. */
export function tokyoDate(at: string | Date): string {
  return new Date(new Date(at).getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** HH:MM in Tokyo of an instant. */
export function tokyoTime(at: string | Date): string {
  return new Date(new Date(at).getTime() + TOKYO_OFFSET_MS).toISOString().slice(11, 16);
}

/** A date (YYYY-MM-DD) `days` later (or earlier). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export type SlotState = 'open' | 'full' | 'closed';

/** 受付終了 (past the cutoff or cancelled), 満席 (no seat left: the waiting list), else open. */
export function slotState(slot: Pick<PublicSlot, 'left' | 'bookable'>): SlotState {
  if (!slot.bookable) return 'closed';
  return slot.left > 0 ? 'open' : 'full';
}

export type SlotDay = { date: string; slots: PublicSlot[] };

/** The slots by Tokyo date, days and slots in time order (days without slots are left out). */
export function slotsByDay(slots: PublicSlot[]): SlotDay[] {
  const sorted = [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const days: SlotDay[] = [];
  for (const slot of sorted) {
    const date = tokyoDate(slot.startsAt);
    const last = days.at(-1);
    if (last?.date === date) last.slots.push(slot);
    else days.push({ date, slots: [slot] });
  }
  return days;
}

export type CalendarGroup = { category: string; calendars: PublicCalendar[] };

/** The calendars by category, categories in the order they first appear. */
export function calendarsByCategory(calendars: PublicCalendar[]): CalendarGroup[] {
  const groups: CalendarGroup[] = [];
  for (const calendar of calendars) {
    const group = groups.find((g) => g.category === calendar.category);
    if (group) group.calendars.push(calendar);
    else groups.push({ category: calendar.category, calendars: [calendar] });
  }
  return groups;
}

/** The seats one booking may take: 1 … maxSeatsPerBooking. */
/** A cutoff as people say it: 2日前, 3時間前, 30分前 (whole days, else whole hours, else minutes). */
export function beforeText(minutes: number, lang: 'ja' | 'en' = 'ja'): string {
  const [n, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, 'd'] : minutes % 60 === 0 ? [minutes / 60, 'h'] : [minutes, 'm'];
  if (lang === 'en')
    return `${n} ${unit === 'd' ? 'day' : unit === 'h' ? 'hour' : 'minute'}${n === 1 ? '' : 's'} before`;
  return `${n}${unit === 'd' ? '日' : unit === 'h' ? '時間' : '分'}前`;
}

export function seatChoices(maxSeatsPerBooking: number): number[] {
  return Array.from({ length: Math.max(1, maxSeatsPerBooking) }, (_, i) => i + 1);
}

/** 5月12日（火） / Tue 12 May: a Tokyo date for a day's heading. */
export function dayText(date: string, locale: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'UTC',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** 2027年5月12日（水）10:00〜11:00: a slot's date and time. */
export function slotText(slot: { startsAt: string; endsAt: string }, locale: 'ja' | 'en'): string {
  const date = tokyoDate(slot.startsAt);
  const year = date.slice(0, 4);
  const day = dayText(date, locale);
  const time = `${tokyoTime(slot.startsAt)}〜${tokyoTime(slot.endsAt)}`;
  return locale === 'ja' ? `${year}年${day} ${time}` : `${day} ${year}, ${time.replace('〜', '–')}`;
}
