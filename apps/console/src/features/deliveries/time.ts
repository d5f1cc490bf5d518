// Dates and times of deliveries are Asia/Tokyo (UTC+9 all year, no daylight saving time), whatever
// the time zone of the PC the console runs on.

const JST_MS = 9 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1;
}

export function isTime(value: string): boolean {
  return TIME_RE.test(value);
}

/** `2026-12-01` + `09:30` (Tokyo) → `2026-12-01T00:30:00.000Z`; null for an invalid date or time. */
export function jstToIso(date: string, time: string): string | null {
  if (!isDate(date) || !isTime(time)) return null;
  return new Date(`${date}T${time}:00+09:00`).toISOString();
}

/** An instant → its Tokyo date `YYYY-MM-DD` and time `HH:MM`. */
export function isoToJst(iso: string): { date: string; time: string } | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const shifted = new Date(ms + JST_MS).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** `2026/12/01 09:30` in Tokyo time, or the fallback for an empty value. */
export function formatJst(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const parts = isoToJst(iso);
  return parts ? `${parts.date.replaceAll('-', '/')} ${parts.time}` : iso;
}

/** Today's Tokyo date. */
export function todayJst(now: Date = new Date()): string {
  return new Date(now.getTime() + JST_MS).toISOString().slice(0, 10);
}

/** Tokyo date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday of a `YYYY-MM-DD`. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A default time for a new schedule: the next full hour in Tokyo, at least 30 minutes from now. */
export function defaultScheduleJst(now: Date = new Date()): { date: string; time: string } {
  const t = new Date(now.getTime() + 30 * 60_000 + JST_MS);
  t.setUTCMinutes(0, 0, 0);
  t.setUTCHours(t.getUTCHours() + 1);
  const iso = t.toISOString();
  return { date: iso.slice(0, 10), time: `${pad(t.getUTCHours())}:00` };
}
