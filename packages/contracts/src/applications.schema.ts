import { z } from 'zod';
import { APPLICATION_LIMITS, IDENTITY_LEVELS, STAFF_STATUSES } from './applications.ts';
import { answersSchema, choiceIdSchema, itemKeySchema } from './forms.schema.ts';
import { displayText, plainText } from './text.ts';

// The request schemas of procedures and applications (/api/procedures, /api/applications,
// /api/citizen/procedures, /api/citizen/applications); the types: applications.ts.

const id = z.uuid('ID の形式が正しくありません');
const at = z.iso.datetime({ offset: true, message: '日時は ISO 8601 で指定してください' });
const yen = (max: number) =>
  z
    .number('金額を数値で指定してください')
    .int('金額は整数（円）で指定してください')
    .min(0, '金額は0円以上にしてください')
    .max(max, `金額は${max.toLocaleString('ja-JP')}円までです`);

const feeRuleSchema = z.strictObject({
  unitFee: yen(APPLICATION_LIMITS.unitFee),
  copiesItemKey: itemKeySchema.nullable().default(null),
  deliveryItemKey: itemKeySchema.nullable().default(null),
  postage: z
    .array(z.strictObject({ choiceId: choiceIdSchema, amount: yen(APPLICATION_LIMITS.postage) }))
    .max(20, '配送方法は20件までです')
    .refine((a) => new Set(a.map((p) => p.choiceId)).size === a.length, '同じ配送方法が重複しています')
    .default([]),
});

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '識別名は半角英小文字・数字・ハイフン（40文字まで）にしてください');

export const procedureCreateSchema = z.strictObject({
  channelId: id,
  slug,
  nameJa: displayText(APPLICATION_LIMITS.name),
  nameEn: plainText(APPLICATION_LIMITS.name).default(''),
  description: plainText(APPLICATION_LIMITS.description).default(''),
  identityLevel: z.enum(IDENTITY_LEVELS, '本人確認の方法が正しくありません'),
  fee: feeRuleSchema,
  retentionDays: z.number().int().min(1).max(APPLICATION_LIMITS.retentionDays).default(365),
  active: z.boolean().default(false),
});
export type ProcedureCreate = z.infer<typeof procedureCreateSchema>;

export const procedureUpdateSchema = z
  .strictObject({
    nameJa: displayText(APPLICATION_LIMITS.name).optional(),
    nameEn: plainText(APPLICATION_LIMITS.name).optional(),
    description: plainText(APPLICATION_LIMITS.description).optional(),
    identityLevel: z.enum(IDENTITY_LEVELS, '本人確認の方法が正しくありません').optional(),
    fee: feeRuleSchema.optional(),
    retentionDays: z.number().int().min(1).max(APPLICATION_LIMITS.retentionDays).optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type ProcedureUpdate = z.infer<typeof procedureUpdateSchema>;

export const procedureListQuery = z.object({ channelId: id });
export const procedureParams = z.object({ procedureId: id });
export const applicationParams = z.object({ applicationId: id });
/** Staff routes of one application name its channel: an application of another channel is 404. */
export const applicationChannelQuery = z.object({ channelId: id });

export const applicationListQuery = z.object({
  channelId: id,
  status: z.enum(STAFF_STATUSES, '状況が正しくありません').optional(),
  procedureId: id.optional(),
  assigneeId: id.optional(),
  from: at.optional(),
  to: at.optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(APPLICATION_LIMITS.page).default(50),
});
export type ApplicationListQuery = z.infer<typeof applicationListQuery>;

export const applicationUpdateSchema = z
  .strictObject({
    assigneeId: id.nullable().optional(),
    note: plainText(APPLICATION_LIMITS.note).min(1, 'メモを入力してください').optional(),
  })
  .refine((v) => v.assigneeId !== undefined || v.note !== undefined, '変更する内容を指定してください');
export type ApplicationUpdate = z.infer<typeof applicationUpdateSchema>;

/** A status button; 差戻し and 却下 need the reason the citizen is told on their page. */
export const applicationStatusSchema = z
  .strictObject({
    status: z.enum(STAFF_STATUSES, '状況が正しくありません'),
    reason: plainText(APPLICATION_LIMITS.reason).optional(),
  })
  .refine((v) => !(v.status === 'returned' || v.status === 'rejected') || (v.reason ?? '') !== '', {
    message: '差戻し・却下には理由を入力してください',
    path: ['reason'],
  });
export type ApplicationStatusChange = z.infer<typeof applicationStatusSchema>;

export const citizenApplyRequestKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, '送信キーの形式が正しくありません');

export const applicationStartSchema = z.strictObject({
  procedureId: id,
  requestKey: citizenApplyRequestKey.optional(),
});

export const applicationAnswersSchema = z.strictObject({ answers: answersSchema });

export const identityResultSchema = z.strictObject({
  verificationId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, '本人確認の ID が正しくありません'),
});

/** Sending the answers (and, with a fee, going to the payment page): nothing else to send. */
export const applicationSubmitSchema = z.strictObject({});
