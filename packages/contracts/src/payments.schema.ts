import { z } from 'zod';
import { PAYMENT_LIMITS, PAYMENT_STATUSES, WEBHOOK_EVENT_STATES } from './payments.ts';

// The request schemas of /api/payments (staff); the types: payments.ts.

const day = z.iso.date('日付は YYYY-MM-DD で指定してください');

export const paymentParams = z.strictObject({ paymentId: z.uuid('支払い ID の形式が正しくありません') });

export const paymentListQuery = z.strictObject({
  status: z.enum(PAYMENT_STATUSES).optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,49}$/, '用途の形式が正しくありません')
    .optional(),
  ref: z.string().min(1).max(200).optional(),
  from: day.optional(),
  to: day.optional(),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[0-9:.]+Z_[0-9a-f-]{36}$/, 'before の形式が正しくありません')
    .optional(),
  limit: z.coerce.number().int().min(1).max(PAYMENT_LIMITS.page).default(50),
});
export type PaymentListQuery = z.infer<typeof paymentListQuery>;

export const refundSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, '返金の理由を入力してください')
    .max(500, '500文字以内で入力してください')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, '制御文字は使えません'),
});

export const webhookEventQuery = z.strictObject({
  state: z.enum(WEBHOOK_EVENT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(PAYMENT_LIMITS.page).default(50),
});

export const reconciliationQuery = z
  .strictObject({ from: day, to: day })
  .refine((q) => q.from <= q.to, { message: '開始日は終了日以前にしてください', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < PAYMENT_LIMITS.exportDays, {
    message: `期間は${PAYMENT_LIMITS.exportDays}日以内にしてください`,
    path: ['to'],
  });
export type ReconciliationQuery = z.infer<typeof reconciliationQuery>;
