// Calendar days and times of day as the API writes them (YYYY-MM-DD, HH:MM), as UTC day numbers.

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD calendar day. */
export function dayNumber(ymd: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2025-02-30 over to March: such days are invalid.
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return Number.NaN;
  return t / DAY_MS;
}

/** True when the string is a real calendar day in the form YYYY-MM-DD. */
export const isCalendarDay = (ymd: string) => Number.isFinite(dayNumber(ymd));

/** Minutes after midnight of HH:MM, or NaN. */
export function minutesOf(time: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
}
