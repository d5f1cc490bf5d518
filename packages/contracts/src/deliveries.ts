import { z } from 'zod';
import { dayNumber, isCalendarDay, minutesOf } from './calendar.ts';
import { type DeliveryMessage, messageSchema } from './messages.ts';
import { segmentTreeSchema } from './segments.schema.ts';
import { displayText } from './text.ts';

// Requests and views of deliveries (G-05, G-07 … G-09): the HTTP contract of /api/deliveries.

// ---- Recurrence (G-08): weekly on weekdays, monthly on dates, on the n-th weekday or at the month
// end, at a time of day in Asia/Tokyo, from a first day, optionally until a last day and without some
// excluded days. The server computes the occurrences (POST /api/deliveries/occurrences).

export type MonthlyRule =
  | { type: 'dates'; dates: number[] }
  | { type: 'nthWeekday'; nth: 1 | 2 | 3 | 4 | 5 | -1; weekday: number }
  | { type: 'monthEnd' };

interface RecurrenceBase {
  /** HH:MM in Asia/Tokyo. */
  time: string;
  /** First day (YYYY-MM-DD, Asia/Tokyo), inclusive. */
  from: string;
  /** Last day (YYYY-MM-DD, Asia/Tokyo), inclusive. */
  until?: string | undefined;
  /** Days without a delivery (YYYY-MM-DD, Asia/Tokyo). */
  except?: string[] | undefined;
}

export type Recurrence =
  | (RecurrenceBase & { kind: 'weekly'; weekdays: number[] })
  | (RecurrenceBase & { kind: 'monthly'; rule: MonthlyRule });

const day = z.string().refine(isCalendarDay, '日付は YYYY-MM-DD（実在する日）で指定してください');
const time = z
  .string()
  .refine((t) => Number.isFinite(minutesOf(t)), '時刻は HH:MM（00:00〜23:59）で指定してください');
const distinct = <T>(a: T[]) => new Set(a).size === a.length;

const recurrenceBase = {
  time,
  from: day,
  until: day.optional(),
  except: z.array(day).max(366, '除外日は366日までです').optional(),
};

export const recurrenceSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('weekly'),
      weekdays: z
        .array(z.number().int().min(0).max(6))
        .min(1, '曜日を1つ以上選んでください')
        .max(7)
        .refine(distinct, '曜日が重複しています'),
      ...recurrenceBase,
    }),
    z.object({
      kind: z.literal('monthly'),
      rule: z.discriminatedUnion('type', [
        z.object({
          type: z.literal('dates'),
          dates: z
            .array(z.number().int().min(1).max(31))
            .min(1, '日付を1つ以上選んでください')
            .max(31)
            .refine(distinct, '日付が重複しています'),
        }),
        z.object({
          type: z.literal('nthWeekday'),
          nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(-1)]),
          weekday: z.number().int().min(0).max(6),
        }),
        z.object({ type: z.literal('monthEnd') }),
      ]),
      ...recurrenceBase,
    }),
  ])
  .refine((r) => r.until === undefined || dayNumber(r.until) >= dayNumber(r.from), {
    message: '終了日は開始日以降にしてください',
    path: ['until'],
  }) satisfies z.ZodType<Recurrence>;

// ---- Audience and schedule ----

export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('segment'), segmentId: z.uuid('セグメント ID の形式が正しくありません') }),
  z.object({ kind: z.literal('tree'), tree: segmentTreeSchema }),
  z.object({ kind: z.literal('unregistered') }),
  z.object({ kind: z.literal('test') }),
]);
export type Audience = z.infer<typeof audienceSchema>;

export const scheduleSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('draft') }),
  z.object({ mode: z.literal('now') }),
  z.object({
    mode: z.literal('at'),
    at: z.iso.datetime({ offset: true, message: '日時は ISO 8601 で指定してください' }),
  }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

// ---- Requests ----

const title = displayText(100);
const messages = z.array(messageSchema).meta({
  description:
    'LINE メッセージ（1〜5件）: text {text ≤ 5000}, image {mediaId}, imagemap {mediaId, altText, baseSize {width: 1040, height}, actions}, flex {altText, contents: bubble}',
});

export const deliveryCreateSchema = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  title,
  messages,
  audience: audienceSchema,
  schedule: scheduleSchema,
  recurrence: recurrenceSchema.nullable().optional(),
});
export type DeliveryCreate = z.infer<typeof deliveryCreateSchema>;

export const deliveryUpdateSchema = z.object({
  title: title.optional(),
  messages: messages.optional(),
  audience: audienceSchema.optional(),
  schedule: scheduleSchema.optional(),
  recurrence: recurrenceSchema.nullable().optional(),
});
export type DeliveryUpdate = z.infer<typeof deliveryUpdateSchema>;

export const DELIVERY_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveryListQuery = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません').optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  seriesId: z.uuid().optional(),
  isTest: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const deliveryTestSchema = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません').optional(),
});

/** POST /api/deliveries/occurrences → {occurrences: ISO instants}. */
export const occurrencesSchema = z.object({
  recurrence: recurrenceSchema,
  count: z.number().int().min(1).max(50).default(10),
});
export type OccurrencesRequest = z.input<typeof occurrencesSchema>;
export type Occurrences<Time = string> = { occurrences: Time[] };

// ---- Views ----

export interface DeliveryProgress {
  batches: number;
  batchesSent: number;
  batchesFailed: number;
  batchesPending: number;
}

/** A delivery as the API answers it (timestamps: ISO strings in JSON, Dates on the server). */
export interface DeliveryView<Time = string> {
  id: string;
  channelId: string;
  title: string;
  messages: DeliveryMessage[];
  audience: Audience;
  isTest: boolean;
  status: DeliveryStatus;
  scheduledAt: Time | null;
  recurrence: Recurrence | null;
  seriesId: string | null;
  recipients: number | null;
  sent: number;
  failed: number;
  startedAt: Time | null;
  finishedAt: Time | null;
  cancelledAt: Time | null;
  error: string | null;
  createdAt: Time;
  createdByName: string | null;
  /** Made by staff in the console, or from a received mail (the mail bridge, issue 14). */
  source: 'console' | 'mail';
  /** The mail it was made from (source 'mail'). */
  mailMessageId: string | null;
  progress: DeliveryProgress;
}
