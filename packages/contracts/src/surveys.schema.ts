import { z } from 'zod';
import { answersSchema } from './forms.schema.ts';
import { RESPONSE_STATUSES, SURVEY_KINDS, SURVEY_LIMITS, SURVEY_MODES } from './surveys.ts';
import { displayText, plainText } from './text.ts';

// The request schemas of surveys and public comment (/api/surveys, /api/citizen/surveys); the
// types: surveys.ts.

const id = z.uuid('ID の形式が正しくありません');
const at = z.iso.datetime({ offset: true, message: '日時は ISO 8601 で指定してください' });

export const surveyCreateSchema = z.strictObject({
  channelId: id,
  kind: z.enum(SURVEY_KINDS, '種類が正しくありません').default('survey'),
  title: displayText(SURVEY_LIMITS.title),
  description: plainText(SURVEY_LIMITS.description).default(''),
  mode: z.enum(SURVEY_MODES, '回答の扱いが正しくありません').default('overwrite'),
  anonymous: z.boolean().default(false),
  opensAt: at.nullable().default(null),
  closesAt: at.nullable().default(null),
  audienceSegmentId: id.nullable().default(null),
});
export type SurveyCreate = z.infer<typeof surveyCreateSchema>;

export const surveyUpdateSchema = z
  .strictObject({
    title: displayText(SURVEY_LIMITS.title).optional(),
    description: plainText(SURVEY_LIMITS.description).optional(),
    mode: z.enum(SURVEY_MODES, '回答の扱いが正しくありません').optional(),
    anonymous: z.boolean().optional(),
    opensAt: at.nullable().optional(),
    closesAt: at.nullable().optional(),
    audienceSegmentId: id.nullable().optional(),
    resultsPublished: z.boolean().optional(),
    resultsSummary: plainText(SURVEY_LIMITS.resultsSummary).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type SurveyUpdate = z.infer<typeof surveyUpdateSchema>;

export const surveyParams = z.object({ surveyId: id });
export const responseParams = surveyParams.extend({ responseId: id });
export const responseFileParams = responseParams.extend({ fileId: id });
export const surveyFileParams = surveyParams.extend({ fileId: id });

export const surveyListQuery = z.object({ channelId: id });

/** The results list: filters, newest first, `before` = the `next` of the previous page. */
export const responseListQuery = z.object({
  status: z.enum(RESPONSE_STATUSES, '対応状況が正しくありません').optional(),
  from: at.optional(),
  to: at.optional(),
  /** Only answers holding this choice (a choice ID of the survey's form). */
  choice: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, '選択肢 ID の形式が正しくありません')
    .optional(),
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SURVEY_LIMITS.page).default(50),
});
export type ResponseListQuery = z.infer<typeof responseListQuery>;

/** Staff change an answer's status and/or fill its staff-only items (管理項目). */
export const responseUpdateSchema = z
  .strictObject({
    status: z.enum(RESPONSE_STATUSES, '対応状況が正しくありません').optional(),
    staffAnswers: answersSchema.optional(),
  })
  .refine((v) => v.status !== undefined || v.staffAnswers !== undefined, '変更する内容を指定してください');

/** A citizen sends their answers; `requestKey` makes a retried send count once. */
export const surveyAnswerSchema = z.strictObject({
  answers: answersSchema,
  requestKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, '送信キーの形式が正しくありません')
    .optional(),
});

export const postalCodeParams = z.object({
  code: z.string().regex(/^\d{3}-?\d{4}$/, '郵便番号は7桁の数字で指定してください'),
});
