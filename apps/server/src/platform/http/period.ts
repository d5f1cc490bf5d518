import { z } from 'zod';

// A period of time given by staff or an operator (exports by period: S-04, S-05): each end is a day
// (YYYY-MM-DD, in Asia/Tokyo) or an ISO date-time; a day as "to" includes that whole day.

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
const DATE_MESSAGE = '日付は YYYY-MM-DD（または ISO 8601 の日時）で指定してください';

/** The instant a period's end stands for; undefined when not given. */
export function periodBound(v: string | undefined, endOfDay: boolean): Date | undefined {
  if (!v) return undefined;
  if (v.length === 10) {
    const d = new Date(`${v}T00:00:00+09:00`);
    if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
    return d;
  }
  return new Date(v);
}

const validBound = (v: string) =>
  DATE_OR_TIME.test(v) &&
  !Number.isNaN(periodBound(v, false)!.getTime()) &&
  // 2026-02-31 would roll over to March: refuse it
  (v.length !== 10 || new Date(`${v}T00:00:00Z`).toISOString().startsWith(v));

/** One end of a period (optional: a list's filter). */
export const periodEnd = z.string().refine(validBound, DATE_MESSAGE);

/** A whole period, both ends required and in order (the exports). */
export const periodSchema = z
  .object({ from: periodEnd, to: periodEnd })
  .refine((p) => periodBound(p.from, false)! < periodBound(p.to, true)!, {
    message: '期間の開始は終了より前にしてください',
    path: ['to'],
  });

export type Period = z.infer<typeof periodSchema>;

/** The half-open range [from, to) of a checked period. */
export const periodRange = (p: Period) => ({
  from: periodBound(p.from, false)!,
  to: periodBound(p.to, true)!,
});
