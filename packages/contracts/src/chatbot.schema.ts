import { z } from 'zod';
import {
  CHATBOT_LIMITS,
  FAQ_LIMITS,
  NODE_ID_PATTERN,
  SCENARIO_KEY_PATTERN,
  SCENARIO_TEMPLATES,
  type ScenarioDraft,
  type ScenarioGraph,
  type ScenarioNode,
  type ScenarioTrigger,
  VARIABLE_PATTERN,
} from './chatbot.ts';
import { segmentTreeSchema } from './segments.schema.ts';
import type { SegmentLeaf } from './segments.ts';
import { displayText } from './text.ts';

// The request schemas of /api/chatbot/scenarios (server only: the console never imports zod). The
// shape and LINE's limits are checked here (400 VALIDATION_FAILED); what needs the whole graph or
// the database — references, cycles, attributes, desks — is a GraphProblem (scenario-graph.rules.ts),
// so a draft with problems can still be saved.

/** Text sent to LINE: newlines allowed, other control characters not. */
const lineText = (max: number) =>
  z
    .string()
    .min(1, '入力してください')
    .max(max, `${max}文字以内で入力してください`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, '制御文字は使えません')
    .refine((s) => s.trim().length > 0, '入力してください');

const nodeId = z.string().regex(NODE_ID_PATTERN, 'ノード ID は英数字・-・_ の 32 文字以内です');
const localId = z.string().regex(NODE_ID_PATTERN, 'ID は英数字・-・_ の 32 文字以内です');
const label = lineText(CHATBOT_LIMITS.label);
const https = z
  .string()
  .max(1000, 'URL は 1000 文字以内です')
  .regex(/^https:\/\/[^\s]+$/, 'URL は https:// で始めてください');
const mediaId = z.uuid('画像 ID の形式が正しくありません');
const variable = z
  .string()
  .regex(VARIABLE_PATTERN, '変数名は英小文字で始まる英小文字・数字・_ の 32 文字以内です');

const target = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('node'), next: nodeId }),
  z.strictObject({ kind: z.literal('uri'), uri: https }),
]);
const button = z.strictObject({ id: localId, label, target });
const buttons = (min: number) =>
  z
    .array(button)
    .min(min, 'ボタンを 1 つ以上入れてください')
    .max(CHATBOT_LIMITS.buttons, `ボタンは ${CHATBOT_LIMITS.buttons} 個までです`);

const message = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('text'),
    text: lineText(CHATBOT_LIMITS.text),
    quickReplies: z
      .array(label)
      .max(CHATBOT_LIMITS.quickReplies, `クイックリプライは ${CHATBOT_LIMITS.quickReplies} 個までです`)
      .optional(),
  }),
  z
    .strictObject({
      kind: z.literal('buttons'),
      title: lineText(CHATBOT_LIMITS.title).optional(),
      text: lineText(CHATBOT_LIMITS.buttonsText),
      buttons: buttons(1),
    })
    // LINE's limit: 160 characters without a title, 60 with one.
    .refine((m) => !m.title || [...m.text].length <= 60, {
      message: '見出しがあるときの本文は 60 文字以内です',
      path: ['text'],
    }),
  z
    .strictObject({
      kind: z.literal('carousel'),
      altText: lineText(400),
      columns: z
        .array(
          z.strictObject({
            id: localId,
            title: lineText(CHATBOT_LIMITS.title),
            text: lineText(CHATBOT_LIMITS.carouselText),
            imageMediaId: mediaId.nullable().optional(),
            buttons: z
              .array(button)
              .min(1, 'ボタンを 1 つ以上入れてください')
              .max(3, 'ボタンは 3 個までです'),
          }),
        )
        .min(1, '列を 1 つ以上入れてください')
        .max(CHATBOT_LIMITS.carouselColumns, `列は ${CHATBOT_LIMITS.carouselColumns} 個までです`),
    })
    .refine((m) => new Set(m.columns.map((c) => c.buttons.length)).size === 1, {
      message: 'カルーセルの各列のボタンの数をそろえてください',
      path: ['columns'],
    }),
  z.strictObject({
    kind: z.literal('card'),
    title: lineText(CHATBOT_LIMITS.title),
    text: lineText(CHATBOT_LIMITS.text),
    imageMediaId: mediaId.nullable().optional(),
    buttons: buttons(0),
  }),
  z.strictObject({ kind: z.literal('image'), mediaId }),
]);

const leafSchema = segmentTreeSchema.refine(
  (t) => !['and', 'or', 'not'].includes(t.type),
  '属性の条件は 1 つずつ指定してください',
) as unknown as z.ZodType<SegmentLeaf>;

const condition = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('answer'),
    variable,
    anyOf: z
      .array(z.string().min(1).max(CHATBOT_LIMITS.keyword))
      .min(1, '値を 1 つ以上指定してください')
      .max(50),
  }),
  z.strictObject({ kind: z.literal('answerContains'), variable, text: lineText(CHATBOT_LIMITS.keyword) }),
  z.strictObject({ kind: z.literal('attribute'), condition: leafSchema }),
  z.strictObject({ kind: z.literal('disasterMode'), on: z.boolean() }),
]);

const action = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('setAttribute'),
    itemId: z.uuid('項目 ID の形式が正しくありません'),
    choiceIds: z.array(z.string().regex(/^[1-9]\d{0,17}$/, '選択肢 ID の形式が正しくありません')).max(50),
  }),
  z.strictObject({
    kind: z.literal('openPage'),
    text: lineText(CHATBOT_LIMITS.buttonsText),
    label,
    url: https,
  }),
  z.strictObject({
    kind: z.literal('startConsultation'),
    deskSlug: z.string().regex(/^[a-z0-9-]{1,40}$/, '窓口の ID の形式が正しくありません'),
  }),
  z.strictObject({ kind: z.literal('handover'), text: lineText(CHATBOT_LIMITS.text) }),
  z.strictObject({ kind: z.literal('shelterSearch'), text: lineText(CHATBOT_LIMITS.text) }),
]);

const base = {
  id: nodeId,
  title: z.string().max(CHATBOT_LIMITS.name, `${CHATBOT_LIMITS.name}文字以内で入力してください`),
  position: z.strictObject({ x: z.number().finite(), y: z.number().finite() }),
};

const node = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('message'),
    messages: z
      .array(message)
      .min(1, 'メッセージを 1 つ以上入れてください')
      .max(CHATBOT_LIMITS.messagesPerNode, `メッセージは ${CHATBOT_LIMITS.messagesPerNode} 個までです`),
    next: nodeId.nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('question'),
    text: lineText(CHATBOT_LIMITS.text),
    saveAs: variable,
    input: z.enum(['choice', 'text']),
    choices: z
      .array(z.strictObject({ id: localId, label, next: nodeId }))
      .max(CHATBOT_LIMITS.quickReplies, `選択肢は ${CHATBOT_LIMITS.quickReplies} 個までです`),
    next: nodeId.nullable(),
    retryText: lineText(CHATBOT_LIMITS.text).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('branch'),
    rules: z
      .array(z.strictObject({ id: localId, when: z.array(condition).min(1).max(10), next: nodeId }))
      .max(20, '条件は 20 個までです'),
    otherwise: z.string().max(32),
  }),
  z.strictObject({ ...base, type: z.literal('action'), action, next: nodeId.nullable() }),
  z.strictObject({ ...base, type: z.literal('end'), text: lineText(CHATBOT_LIMITS.text).optional() }),
]);

export const scenarioGraphSchema = z.strictObject({
  start: z.string().max(32),
  // A few more than the limit are accepted so the editor can show CHATBOT_TOO_MANY_NODES.
  nodes: z.array(node).max(CHATBOT_LIMITS.nodes * 2, `ノードは ${CHATBOT_LIMITS.nodes} 個までです`),
}) as unknown as z.ZodType<ScenarioGraph>;

const word = z
  .string()
  .trim()
  .min(1, 'キーワードを入力してください')
  .max(CHATBOT_LIMITS.keyword, `キーワードは ${CHATBOT_LIMITS.keyword} 文字以内です`);

export const scenarioTriggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('keyword'),
    match: z.enum(['exact', 'contains']),
    words: z
      .array(word)
      .min(1, 'キーワードを 1 つ以上入れてください')
      .max(CHATBOT_LIMITS.keywordsPerTrigger, `キーワードは ${CHATBOT_LIMITS.keywordsPerTrigger} 個までです`),
    onlyInDisasterMode: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('postback') }),
  z.strictObject({ kind: z.literal('follow') }),
  z.strictObject({ kind: z.literal('fallback') }),
]) as unknown as z.ZodType<ScenarioTrigger>;

export const scenarioDraftSchema = z.strictObject({
  name: displayText(CHATBOT_LIMITS.name),
  triggers: z.array(scenarioTriggerSchema).max(20, 'きっかけは 20 個までです'),
  timeoutMinutes: z
    .number()
    .int('分は整数です')
    .min(CHATBOT_LIMITS.timeoutMinutes.min, `${CHATBOT_LIMITS.timeoutMinutes.min} 分以上です`)
    .max(CHATBOT_LIMITS.timeoutMinutes.max, `${CHATBOT_LIMITS.timeoutMinutes.max} 分以下です`),
  graph: scenarioGraphSchema,
}) as unknown as z.ZodType<ScenarioDraft>;

export const scenarioCreateSchema = z.strictObject({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  key: z.string().regex(SCENARIO_KEY_PATTERN, 'キーは英数字・-・_ の 64 文字以内です'),
  name: displayText(CHATBOT_LIMITS.name),
  template: z.enum(SCENARIO_TEMPLATES).default('blank'),
});

const revision = z.number().int().min(1, 'revision は 1 以上です');
export const draftSaveSchema = z.strictObject({ revision, draft: scenarioDraftSchema });
export const publishBodySchema = z.strictObject({ revision });

export const testTurnSchema = z.strictObject({
  input: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('start') }),
    z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(2000) }),
    z.strictObject({ kind: z.literal('postback'), data: z.string().min(1).max(300) }),
  ]),
  state: z
    .strictObject({
      nodeId: nodeId.nullable(),
      vars: z.record(variable, z.string().max(2000)),
    })
    .nullable(),
  friendId: z.uuid('友だち ID の形式が正しくありません').nullable(),
});

export const sendToPhoneSchema = z.strictObject({ friendId: z.uuid('友だち ID の形式が正しくありません') });

export const channelQuery = z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません') });
export const statsExportQuery = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  format: z.enum(['csv', 'xlsx']).default('csv'),
});

// FAQ (B-04): the queries and bodies of /api/chatbot/faq….
const faqChannelId = z.uuid('チャネル ID の形式が正しくありません');
const pageLimit = (max: number) =>
  z.coerce.number().int('件数は整数です').min(1, '件数は 1 以上です').max(max, `件数は ${max} までです`);
export const faqListQuery = z.object({
  channelId: faqChannelId,
  q: z.string().max(200, '検索語は200文字以内です').optional(),
  category: z.string().max(FAQ_LIMITS.category, `カテゴリは${FAQ_LIMITS.category}文字以内です`).optional(),
  limit: pageLimit(500).default(100),
  offset: z.coerce
    .number()
    .int('開始位置は整数です')
    .min(0, '開始位置は 0 以上です')
    .max(1_000_000)
    .default(0),
});
export const faqImportQuery = z.object({
  channelId: faqChannelId,
  dryRun: z.enum(['true', 'false'], 'dryRun は true か false です').default('true'),
});
export const faqSearchBody = z.strictObject({
  channelId: faqChannelId,
  text: z.string().min(1, '質問を入力してください').max(1000, '質問は1000文字以内です'),
});
export const faqUnansweredQuery = z.object({ channelId: faqChannelId, limit: pageLimit(500).default(100) });
export const faqDismissBody = z.strictObject({
  channelId: faqChannelId,
  text: z.string().min(1, '質問を指定してください').max(200, '質問は200文字以内です'),
});

export type ScenarioCreate = z.infer<typeof scenarioCreateSchema>;
export type ScenarioNodeInput = ScenarioNode;
