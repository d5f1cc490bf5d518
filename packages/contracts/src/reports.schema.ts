import { z } from 'zod';
import { REPORT_LIMITS, REPORT_STATUSES } from './reports.ts';
import { displayText } from './text.ts';

// The request schemas of fault reports (/api/reports, /api/citizen/reports); the types: reports.ts.

const id = z.uuid('ID の形式が正しくありません');
const at = z.iso.datetime({ offset: true, message: '日時は ISO 8601 で指定してください' });

/** Free text: line breaks allowed, no other control characters. */
const freeText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${max}文字以内で入力してください`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, '制御文字は使えません');

const emails = z
  .array(z.email('メールアドレスの形式が正しくありません').max(254), 'メールアドレスを指定してください')
  .min(1, '通知先のメールアドレスを1つ以上指定してください')
  .max(REPORT_LIMITS.emails, `通知先は${REPORT_LIMITS.emails}件までです`)
  .refine(
    (a) => new Set(a.map((e) => e.toLowerCase())).size === a.length,
    '同じメールアドレスが重複しています',
  );

export const categoryCreateSchema = z.strictObject({
  channelId: id,
  name: displayText(REPORT_LIMITS.categoryName),
  emails,
  active: z.boolean().default(true),
  position: z.number().int().min(0).max(1000).default(0),
});
export type CategoryCreate = z.infer<typeof categoryCreateSchema>;

export const categoryUpdateSchema = z
  .strictObject({
    name: displayText(REPORT_LIMITS.categoryName).optional(),
    emails: emails.optional(),
    active: z.boolean().optional(),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type CategoryUpdate = z.infer<typeof categoryUpdateSchema>;

export const channelQuery = z.object({ channelId: id });
export const categoryParams = z.object({ categoryId: id });
export const reportParams = z.object({ reportId: id });
export const photoParams = reportParams.extend({ photoId: id });

export const locationSchema = z.strictObject({
  lat: z
    .number('緯度を数値で指定してください')
    .min(-90, '緯度が正しくありません')
    .max(90, '緯度が正しくありません'),
  lng: z
    .number('経度を数値で指定してください')
    .min(-180, '経度が正しくありません')
    .max(180, '経度が正しくありません'),
});

/** A citizen's report; the photos were uploaded first (POST /api/citizen/reports/photos). */
export const reportCreateSchema = z.strictObject({
  categoryId: id,
  text: freeText(REPORT_LIMITS.text).min(1, '内容を入力してください'),
  occurredAt: at,
  location: locationSchema,
  photoIds: z
    .array(id)
    .max(REPORT_LIMITS.photos, `写真は${REPORT_LIMITS.photos}枚までです`)
    .refine((a) => new Set(a).size === a.length, '同じ写真が重複しています')
    .default([]),
  requestKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, '送信キーの形式が正しくありません')
    .optional(),
});
export type ReportCreate = z.infer<typeof reportCreateSchema>;

/** The staff list: filters, newest first, `before` = the `next` of the previous page. */
export const reportListQuery = z.object({
  channelId: id,
  status: z.enum(REPORT_STATUSES, '対応状況が正しくありません').optional(),
  categoryId: id.optional(),
  from: at.optional(),
  to: at.optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(REPORT_LIMITS.page).default(50),
});
export type ReportListQuery = z.infer<typeof reportListQuery>;

/** Staff change the status, the assignee (a staff account, null: nobody) and/or add a note. */
export const reportUpdateSchema = z
  .strictObject({
    status: z.enum(REPORT_STATUSES, '対応状況が正しくありません').optional(),
    assigneeId: id.nullable().optional(),
    note: freeText(REPORT_LIMITS.note).min(1, 'メモを入力してください').optional(),
  })
  .refine(
    (v) => v.status !== undefined || v.assigneeId !== undefined || v.note !== undefined,
    '変更する内容を指定してください',
  );
export type ReportUpdate = z.infer<typeof reportUpdateSchema>;

/** Asking for the report's place as a LINE location message: nothing to send (the friend is the session's). */
export const lineLocationAskSchema = z.strictObject({});
