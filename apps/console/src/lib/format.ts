const pad = (n: number) => String(n).padStart(2, '0');

/** `2025/04/01 09:05:03` in local time, or the fallback for empty values. */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(
    d.getMinutes(),
  )}:${pad(d.getSeconds())}`;
}

/** `2025/04/01 09:05` */
export function formatDateTimeMinutes(iso: string | null | undefined, fallback = '—'): string {
  const full = formatDateTime(iso, fallback);
  return full === fallback ? full : full.slice(0, 16);
}

export function formatTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `YYYY-MM-DD` → `4/1` */
export function shortDate(ymd: string): string {
  const [, m, d] = ymd.split('-');
  return m && d ? `${Number(m)}/${Number(d)}` : ymd;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('ja-JP');
}

/** `Uabcdef…1234` */
export function shortenId(id: string, head = 7, tail = 4): string {
  return id.length > head + tail + 1 ? `${id.slice(0, head)}…${id.slice(-tail)}` : id;
}

/** Local date `YYYY-MM-DD` `days` ago. */
export function localDateString(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Start (00:00:00.000) or end (23:59:59.999) of a local `YYYY-MM-DD` day as an ISO 8601 UTC timestamp. */
export function dayBoundaryIso(ymd: string, edge: 'start' | 'end'): string {
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return '';
  const date = edge === 'start' ? new Date(y, m - 1, d, 0, 0, 0, 0) : new Date(y, m - 1, d, 23, 59, 59, 999);
  return date.toISOString();
}

/** A random password that is easy to read aloud (no 0/O, 1/l/I). */
export function generatePassword(length = 14): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** `YYYY-MM-DD` of a moment in Asia/Tokyo (no daylight saving time: UTC+9 all year). */
export function tokyoDateString(date: Date): string {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Every day `YYYY-MM-DD` from `from` to `to`, both included (empty when `to` is before `from`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const day = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || Number.isNaN(end.getTime())) return days;
  while (day <= end) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}
