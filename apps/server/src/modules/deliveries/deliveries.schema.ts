import { z } from 'zod';
import type { DeliveryStatus } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { displayText } from '../../platform/http/text.ts';
import { parseSegmentTree, type SegmentTree, segmentTreeSchema } from '../segments/segment.schema.ts';
import { type DeliveryMessage, messageSchema, parseMessages } from './messages.schema.ts';
import { dayNumber, isCalendarDay, minutesOf, type Recurrence } from './recurrence.ts';

// Requests and views of deliveries (G-05, G-07 … G-09).

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

export const deliveryListQuery = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません').optional(),
  status: z.enum(['draft', 'scheduled', 'sending', 'sent', 'failed', 'cancelled']).optional(),
  seriesId: z.uuid().optional(),
  isTest: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const deliveryTestSchema = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません').optional(),
});

export const occurrencesSchema = z.object({
  recurrence: recurrenceSchema,
  count: z.number().int().min(1).max(50).default(10),
});

/**
 * Route hook (preValidation, before the body schema): the messages, the audience's tree and the
 * recurrence answer with their own codes — TOO_MANY_MESSAGES, TEXT_TOO_LONG, FLEX_TOO_LARGE,
 * MESSAGE_INVALID, SEGMENT_INVALID, RECURRENCE_INVALID — instead of the generic VALIDATION_FAILED.
 */
export async function checkDeliveryBody(request: { body: unknown }): Promise<void> {
  const body = request.body;
  if (!body || typeof body !== 'object') return;
  const b = body as Record<string, unknown>;
  if (b.messages !== undefined) parseMessages(b.messages);
  const audience = b.audience as { kind?: unknown; tree?: unknown } | undefined;
  if (audience && typeof audience === 'object' && audience.kind === 'tree') {
    parseSegmentTree(audience.tree, 'audience.tree');
  }
  if (b.recurrence !== undefined && b.recurrence !== null) parseRecurrence(b.recurrence);
}

export function parseRecurrence(input: unknown): Recurrence {
  const r = recurrenceSchema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((issue) => ({
    path: ['recurrence', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError(
    400,
    'RECURRENCE_INVALID',
    `繰り返しの設定に誤りがあります: ${details[0]?.message ?? ''}`,
    details,
  );
}

export interface DeliveryProgress {
  batches: number;
  batchesSent: number;
  batchesFailed: number;
  batchesPending: number;
}

export interface DeliveryView {
  id: string;
  channelId: string;
  title: string;
  messages: DeliveryMessage[];
  audience: Audience;
  isTest: boolean;
  status: DeliveryStatus;
  scheduledAt: Date | null;
  recurrence: Recurrence | null;
  seriesId: string | null;
  recipients: number | null;
  sent: number;
  failed: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
  error: string | null;
  createdAt: Date;
  createdByName: string | null;
  progress: DeliveryProgress;
}

export type { SegmentTree };
