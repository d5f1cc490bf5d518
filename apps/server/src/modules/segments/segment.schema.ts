import { segmentTreeSchema } from '@madoguchi/contracts/segments.schema.ts';
import {
  SEGMENT_LIMITS,
  type SegmentTree,
  type SegmentView as SegmentViewOf,
} from '@madoguchi/contracts/segments.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';

// A segment (G-04): the shapes are the HTTP contract (packages/contracts/src/segments*.ts); here the
// server's error answers (400 SEGMENT_INVALID) and route hooks.

export {
  type SegmentInput,
  type SegmentUpdate,
  segmentCountSchema,
  segmentInputSchema,
  segmentListQuery,
  segmentNameSchema,
  segmentTreeSchema,
  segmentUpdateSchema,
} from '@madoguchi/contracts/segments.schema.ts';
export {
  measureTree,
  SEGMENT_LIMITS,
  type SegmentLeaf,
  type SegmentTree,
} from '@madoguchi/contracts/segments.ts';

export type SegmentView = SegmentViewOf<Date>;

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
