import { z } from 'zod';
import { FILE_ACCEPTS, FORM_LIMITS, ITEM_KEY_PATTERN, ITEM_TYPES, TEXT_CHARSETS } from './forms.ts';
import { displayText, plainText } from './text.ts';

// The request schemas of the form engine (/api/forms, /api/citizen/registration); items and limits:
// forms.ts.

export const itemKeySchema = z
  .string()
  .regex(ITEM_KEY_PATTERN, '項目キーは半角英小文字で始まる英小文字・数字・_ の40文字以内です');

/** Choice IDs are bigint identities, sent as decimal strings. */
export const choiceIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, '選択肢 ID の形式が正しくありません');

/** Settings of an item; which keys apply depends on the type (checked in forms.rules.ts). */
export const itemConfigSchema = z.strictObject({
  /** birth_year: the earliest and latest year accepted. */
  min: z.number().int().min(FORM_LIMITS.birthYearMin).max(2200).optional(),
  max: z.number().int().min(FORM_LIMITS.birthYearMin).max(2200).optional(),
  /** text, textarea: the longest answer. */
  maxLength: z.number().int().min(1).max(FORM_LIMITS.text).optional(),
  /** multiple: the most choices one may pick. */
  maxSelections: z.number().int().min(1).max(FORM_LIMITS.choices).optional(),
  /** multiple: the fewest choices one must pick (when answered or required). */
  minSelections: z.number().int().min(1).max(FORM_LIMITS.choices).optional(),
  /** text, textarea: the shortest answer. */
  minLength: z.number().int().min(1).max(FORM_LIMITS.text).optional(),
  /** text, textarea: which characters are allowed. */
  charset: z.enum(TEXT_CHARSETS, '文字の種類の指定が正しくありません').optional(),
  /** number: the range accepted, and whether only whole numbers. */
  minValue: z.number().min(-FORM_LIMITS.numberAbs).max(FORM_LIMITS.numberAbs).optional(),
  maxValue: z.number().min(-FORM_LIMITS.numberAbs).max(FORM_LIMITS.numberAbs).optional(),
  integer: z.boolean().optional(),
  /** file: how many files one answer may hold (1–5), and which kinds. */
  maxFiles: z
    .number()
    .int()
    .min(1, 'ファイルの数は1以上にしてください')
    .max(FORM_LIMITS.files, `ファイルの数は${FORM_LIMITS.files}個までです`)
    .optional(),
  accept: z.enum(FILE_ACCEPTS, '受け付けるファイルの種類が正しくありません').optional(),
  /**
   * Shown (and required, when required) only if the earlier choice item `item` holds one of
   * `choices`; otherwise hidden and its answer dropped.
   */
  showIf: z
    .strictObject({
      item: z.string().regex(ITEM_KEY_PATTERN, '条件の項目キーが正しくありません'),
      choices: z
        .array(z.string().regex(/^[1-9][0-9]{0,17}$/, '選択肢 ID の形式が正しくありません'))
        .min(1, '条件の選択肢を1つ以上選んでください')
        .max(FORM_LIMITS.choices),
    })
    .optional(),
  /** A staff-only item (管理項目): citizens never see it; staff fill it in the results. */
  staffOnly: z.boolean().optional(),
});
export type ItemConfig = z.infer<typeof itemConfigSchema>;

const choiceLabel = displayText(FORM_LIMITS.label);

export const choiceInputSchema = z.strictObject({
  label: choiceLabel,
  /** area only: the towns (町丁) of this ward (区). */
  children: z.array(choiceLabel).max(FORM_LIMITS.choicesPerRequest).optional(),
});

export const formUpdateSchema = z
  .strictObject({
    title: displayText(100).optional(),
    description: plainText(1000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');

export const itemCreateSchema = z.strictObject({
  type: z.enum(ITEM_TYPES, '項目の種類が正しくありません'),
  label: displayText(FORM_LIMITS.label),
  key: itemKeySchema.optional(),
  required: z.boolean().default(false),
  help: plainText(FORM_LIMITS.help).default(''),
  config: itemConfigSchema.default({}),
  choices: z.array(choiceInputSchema).max(FORM_LIMITS.choicesPerRequest).default([]),
});
export type ItemCreate = z.infer<typeof itemCreateSchema>;

export const itemUpdateSchema = z
  .strictObject({
    label: displayText(FORM_LIMITS.label).optional(),
    required: z.boolean().optional(),
    help: plainText(FORM_LIMITS.help).optional(),
    config: itemConfigSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type ItemUpdate = z.infer<typeof itemUpdateSchema>;

export const choicesAddSchema = z.strictObject({
  labels: z
    .array(choiceLabel)
    .min(1, '選択肢を1つ以上入力してください')
    .max(FORM_LIMITS.choicesPerRequest, `一度に追加できる選択肢は${FORM_LIMITS.choicesPerRequest}個までです`),
  /** area: the ward the new towns belong to (absent = new wards). */
  parentId: choiceIdSchema.nullable().optional(),
});

export const choiceUpdateSchema = z.strictObject({ label: choiceLabel });

export const itemOrderSchema = z.strictObject({
  itemIds: z.array(z.uuid('ID の形式が正しくありません')).min(1).max(FORM_LIMITS.items),
});

export const choiceOrderSchema = z.strictObject({
  choiceIds: z.array(choiceIdSchema).min(1).max(FORM_LIMITS.areaChoices),
});

export const formParams = z.object({ formId: z.uuid('ID の形式が正しくありません') });
export const itemParams = formParams.extend({ itemId: z.uuid('ID の形式が正しくありません') });
export const choiceParams = itemParams.extend({ choiceId: choiceIdSchema });

/**
 * One answer as the citizen page sends and reads it:
 * single / select → a choice ID; multiple → choice IDs; area → {ward, town}; birth_year → a year;
 * text / textarea → a string; file → the IDs of files the respondent uploaded. null (or '' / [])
 * clears the answer.
 */
export const answerValueSchema = z.union([
  z.null(),
  z.number(),
  z.string().max(FORM_LIMITS.text * 2),
  z.array(choiceIdSchema).max(FORM_LIMITS.choices),
  z.array(z.uuid('ファイル ID の形式が正しくありません')).max(FORM_LIMITS.files),
  z.strictObject({ ward: choiceIdSchema, town: choiceIdSchema.nullable().optional() }),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

export const answersSchema = z
  .record(itemKeySchema, answerValueSchema)
  .refine((v) => Object.keys(v).length <= FORM_LIMITS.items, '回答する項目が多すぎます');
export type Answers = Record<string, AnswerValue>;

/** PUT /api/citizen/registration: only the items named change (G-03); the others stay as they are. */
export const registrationPutSchema = z.strictObject({ answers: answersSchema });
