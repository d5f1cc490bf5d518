import { z } from 'zod';
import { badRequest } from '../../platform/errors.ts';

// Query strings of the analytics API. Days are Asia/Tokyo calendar days, `to` inclusive.

export const MAX_PERIOD_DAYS = 366;

const day = z.iso.date('日付は YYYY-MM-DD で指定してください');

export const periodQuery = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  from: day,
  to: day,
});

export const deliveriesQuery = periodQuery.extend({
  /** Also list test deliveries (G-09); they are left out by default. */
  includeTest: z.enum(['true', 'false']).default('false'),
});

export const deliveryParams = z.object({ id: z.uuid('ID の形式が正しくありません') });

export const deliveryQuery = z.object({
  /** A choice item of the registration form: recipients, successes and failures by its choices. */
  itemId: z.uuid('項目 ID の形式が正しくありません').optional(),
});

export interface Period {
  /** First and last day (YYYY-MM-DD, inclusive). */
  fromDay: string;
  toDay: string;
  /** [from, to) as instants: Tokyo midnight of the first day to Tokyo midnight after the last. */
  from: Date;
  to: Date;
}

/** Adds days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Every day of the period, in order. */
export function daysOf(p: { fromDay: string; toDay: string }): string[] {
  const out: string[] = [];
  for (let d = p.fromDay; d <= p.toDay; d = addDays(d, 1)) out.push(d);
  return out;
}

/** YYYY-MM-DD and HH:MM of an instant in Asia/Tokyo (no DST, always +09:00). */
export function tokyo(at: Date): { date: string; time: string; hour: number } {
  const iso = new Date(at.getTime() + 9 * 3600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), hour: Number(iso.slice(11, 13)) };
}

/** The checked period of a query (INVALID_PERIOD, PERIOD_TOO_LONG). */
export function toPeriod(q: { from: string; to: string }): Period {
  if (q.to < q.from) throw badRequest('INVALID_PERIOD', '終了日は開始日以降にしてください');
  const days = Math.round((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000) + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw badRequest('PERIOD_TOO_LONG', `期間は ${MAX_PERIOD_DAYS} 日以内にしてください`);
  }
  return {
    fromDay: q.from,
    toDay: q.to,
    from: new Date(`${q.from}T00:00:00+09:00`),
    to: new Date(`${addDays(q.to, 1)}T00:00:00+09:00`),
  };
}
