import { z } from 'zod';
import { displayText } from '../../platform/http/text.ts';

// A desk (相談窓口) as staff configure it (C-08).

const noMarkup = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^<>]*$/, '記号 < > は使えません');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '時刻は HH:MM で入力してください');
const range = z
  .object({ start: hhmm, end: hhmm })
  .refine((r) => r.start < r.end, '終了は開始より後にしてください');

export const recordFieldSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, '項目キーは半角英小文字・数字・_ です'),
  label: displayText(50),
  type: z.enum(['select', 'text', 'textarea']),
  options: z.array(displayText(50)).max(50).optional(),
  required: z.boolean(),
});

export const deskInputSchema = z.object({
  channelId: z.uuid().nullable(),
  name: displayText(50),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'URL 名は半角英小文字・数字・- の2〜40文字です'),
  description: noMarkup(1000).default(''),
  hours: z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(range).max(6)).default({}),
  closedOnHolidays: z.boolean().default(true),
  closedYearEnd: z.boolean().default(true),
  closedDates: z.array(z.iso.date()).max(400).default([]),
  greeting: noMarkup(1000).default(''),
  outOfHoursReply: noMarkup(1000).default(''),
  emergencyContacts: z
    .array(
      z.object({
        name: displayText(50),
        phone: z.string().regex(/^[0-9+\-() ]{3,20}$/, '電話番号の形式が正しくありません'),
        hours: noMarkup(50).default(''),
      }),
    )
    .max(20)
    .default([]),
  recordFields: z.array(recordFieldSchema).max(50).default([]),
  allowIncompleteRecords: z.boolean().default(false),
  cannedResponses: z
    .array(z.object({ title: displayText(50), text: noMarkup(2000) }))
    .max(100)
    .default([]),
  webEnabled: z.boolean().default(false),
  accessCode: z
    .string()
    .min(4)
    .max(64)
    .regex(/^[\x21-\x7e]+$/)
    .nullable()
    .optional(),
  maxConcurrent: z.number().int().min(1).max(20).default(3),
  riskWords: z.array(z.string().trim().min(1).max(30)).max(200).default([]),
  keywords: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
  counselorIds: z.array(z.uuid()).max(200).default([]),
});

export type DeskInput = z.infer<typeof deskInputSchema>;

/**
 * A partial update: every field optional and *without* its default, so a PATCH that names one field
 * leaves the others as they are (zod's .partial() would still fill in the defaults).
 */
export const deskUpdateSchema = z.object(
  Object.fromEntries(
    Object.entries(deskInputSchema.shape).map(([key, schema]) => [
      key,
      (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema).optional(),
    ]),
  ) as {
    [K in keyof typeof deskInputSchema.shape]: z.ZodOptional<
      z.ZodType<z.output<(typeof deskInputSchema.shape)[K]>>
    >;
  },
);
