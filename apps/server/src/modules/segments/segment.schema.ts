import { z } from 'zod';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { displayText } from '../../platform/http/text.ts';

// A segment (G-04): conditions on registered attributes and friend facts, combined with AND / OR in
// nested groups and NOT. Saved in segments.tree and in deliveries.audience ({kind:'tree'}).

export type SegmentTree =
  | { type: 'and' | 'or'; children: SegmentTree[] }
  | { type: 'not'; child: SegmentTree }
  | { type: 'choice'; itemId: string; choiceIds: string[]; match: 'any' | 'all' | 'none' }
  | { type: 'birthYear'; itemId: string; from?: number | undefined; to?: number | undefined }
  | { type: 'age'; itemId: string; min?: number | undefined; max?: number | undefined }
  | { type: 'registered'; value: boolean }
  | { type: 'followedAt'; from?: string | undefined; to?: string | undefined }
  | { type: 'test'; value: boolean };

export type SegmentLeaf = Exclude<SegmentTree, { type: 'and' | 'or' | 'not' }>;

/** Limits that keep one count well under 0.5 s and a tree editable by people. */
export const SEGMENT_LIMITS = { depth: 6, leaves: 50, children: 20, choices: 500 } as const;

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

/** Depth (a leaf alone is 1) and the number of leaf conditions. */
export function measureTree(tree: SegmentTree): { depth: number; leaves: number } {
  switch (tree.type) {
    case 'and':
    case 'or': {
      let depth = 0;
      let leaves = 0;
      for (const child of tree.children) {
        const m = measureTree(child);
        depth = Math.max(depth, m.depth);
        leaves += m.leaves;
      }
      return { depth: depth + 1, leaves };
    }
    case 'not': {
      const m = measureTree(tree.child);
      return { depth: m.depth + 1, leaves: m.leaves };
    }
    default:
      return { depth: 1, leaves: 1 };
  }
}

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

export const segmentInvalid = (message: string, details?: ErrorDetail[]) =>
  new AppError(400, 'SEGMENT_INVALID', message, details);

/** Parses an untrusted tree; throws 400 SEGMENT_INVALID with one detail per problem. */
export function parseSegmentTree(input: unknown, path = 'tree'): SegmentTree {
  // Bound the work before zod walks a hostile tree (a deep JSON body).
  if (jsonDepth(input, 0) > SEGMENT_LIMITS.depth * 2 + 4) {
    throw segmentInvalid(`条件の入れ子は ${SEGMENT_LIMITS.depth} 段までです`, [
      { path, message: `条件の入れ子は ${SEGMENT_LIMITS.depth} 段までです` },
    ]);
  }
  const result = segmentTreeSchema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [path, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw segmentInvalid(`セグメントの条件に誤りがあります: ${details[0]?.message ?? ''}`, details);
}

function jsonDepth(value: unknown, depth: number): number {
  if (depth > 40 || value === null || typeof value !== 'object') return depth;
  let max = depth + 1;
  for (const v of Object.values(value as Record<string, unknown>)) {
    max = Math.max(max, jsonDepth(v, depth + 1));
    if (max > 40) break;
  }
  return max;
}

/**
 * Route hook: validates `body[field]` as a segment tree before the route's own body validation, so
 * a bad tree answers 400 SEGMENT_INVALID (not the generic VALIDATION_FAILED).
 */
export function segmentTreeHook(field: string, optional = false) {
  return async (request: { body: unknown }) => {
    const body = request.body;
    const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
    if (optional && value === undefined) return;
    parseSegmentTree(value, field);
  };
}

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

export interface SegmentView {
  id: string;
  channelId: string;
  name: string;
  tree: SegmentTree;
  createdAt: Date;
  updatedAt: Date;
}
