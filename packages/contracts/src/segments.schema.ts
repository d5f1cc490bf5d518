import { z } from 'zod';
import { measureTree, SEGMENT_LIMITS, type SegmentTree } from './segments.ts';
import { displayText } from './text.ts';

// The request schemas of /api/segments (the tree's types and limits: segments.ts).

const itemId = z.uuid('項目 ID の形式が正しくありません');
const choiceId = z.string().regex(/^[1-9]\d{0,17}$/, '選択肢 ID の形式が正しくありません');
const year = z.number().int('年は整数です').min(1900, '1900 年以降です').max(2100, '2100 年以前です');
const ageValue = z.number().int('年齢は整数です').min(0, '0 歳以上です').max(150, '150 歳以下です');
const day = z.iso.date('日付は YYYY-MM-DD で指定してください');

const fromTo = <T extends { from?: number | string | undefined; to?: number | string | undefined }>(v: T) =>
  v.from === undefined || v.to === undefined || v.from <= v.to;

const leafSchemas = [
  z.strictObject({
    type: z.literal('choice'),
    itemId,
    choiceIds: z
      .array(choiceId)
      .min(1, '選択肢を 1 つ以上選んでください')
      .max(SEGMENT_LIMITS.choices, `選択肢は ${SEGMENT_LIMITS.choices} 個までです`),
    match: z.enum(['any', 'all', 'none']),
  }),
  z
    .strictObject({ type: z.literal('birthYear'), itemId, from: year.optional(), to: year.optional() })
    .refine(fromTo, { message: '生年の範囲は「から」が「まで」以前になるよう指定してください' }),
  z
    .strictObject({ type: z.literal('age'), itemId, min: ageValue.optional(), max: ageValue.optional() })
    .refine((v) => v.min === undefined || v.max === undefined || v.min <= v.max, {
      message: '年齢の範囲は下限が上限以下になるよう指定してください',
    }),
  z.strictObject({ type: z.literal('registered'), value: z.boolean() }),
  z
    .strictObject({ type: z.literal('followedAt'), from: day.optional(), to: day.optional() })
    .refine(fromTo, { message: '友だち追加日の範囲は開始日が終了日以前になるよう指定してください' }),
  z.strictObject({ type: z.literal('test'), value: z.boolean() }),
] as const;

const node: z.ZodType<SegmentTree> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.enum(['and', 'or']),
      children: z
        .array(node)
        .min(1, 'グループには条件を 1 つ以上入れてください')
        .max(
          SEGMENT_LIMITS.children,
          `1 つのグループに入れられる条件は ${SEGMENT_LIMITS.children} 個までです`,
        ),
    }),
    z.strictObject({ type: z.literal('not'), child: node }),
    ...leafSchemas,
  ]),
);

/** A valid segment tree: the shape above, depth ≤ 6 and ≤ 50 leaf conditions. */
export const segmentTreeSchema: z.ZodType<SegmentTree> = node.check((ctx) => {
  const { depth, leaves } = measureTree(ctx.value);
  if (depth > SEGMENT_LIMITS.depth) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `条件の入れ子は ${SEGMENT_LIMITS.depth} 段までです（${depth} 段あります）`,
    });
  }
  if (leaves > SEGMENT_LIMITS.leaves) {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `条件は全体で ${SEGMENT_LIMITS.leaves} 個までです（${leaves} 個あります）`,
    });
  }
});

export const segmentNameSchema = displayText(100);

export const segmentInputSchema = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  name: segmentNameSchema,
  tree: segmentTreeSchema,
});

export const segmentUpdateSchema = z.object({
  name: segmentNameSchema.optional(),
  tree: segmentTreeSchema.optional(),
});

export const segmentCountSchema = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません'),
  tree: segmentTreeSchema,
});

export const segmentListQuery = z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません') });

export type SegmentInput = z.infer<typeof segmentInputSchema>;
export type SegmentUpdate = z.infer<typeof segmentUpdateSchema>;
