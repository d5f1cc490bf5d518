import {
  measureTree,
  SEGMENT_LIMITS,
  type SegmentLeaf,
  type SegmentTree,
  type SegmentView,
} from '@madoguchi/contracts/segments.ts';
import { api, query } from '../../api/client.ts';
import { CHOICE_TYPES, type FormChoice, type FormItem, type RegistrationForm } from '../forms/formTypes.ts';

/**
 * Segments (G-04): the condition tree of the server's contract, the registration form it refers
 * to, and the pure rules of the builder (limits, completeness, a readable summary).
 */

export type { SegmentLeaf, SegmentTree } from '@madoguchi/contracts/segments.ts';
export { SEGMENT_LIMITS } from '@madoguchi/contracts/segments.ts';

export type SegmentGroup = Extract<SegmentTree, { type: 'and' | 'or' }>;
/** A saved segment as GET /api/segments answers it. */
export type Segment = SegmentView;

export type { FormChoice, FormItem, RegistrationForm };

export const registrationFormPath = (channelId: string) => `/api/forms/registration${query({ channelId })}`;
export const segmentsListPath = (channelId: string) => `/api/segments${query({ channelId })}`;

export function countSegment(channelId: string, tree: SegmentTree, signal?: AbortSignal) {
  return api.post<{ count: number; ms: number }>('/api/segments/count', { channelId, tree }, { signal });
}

export const isGroup = (t: SegmentTree): t is SegmentGroup => t.type === 'and' || t.type === 'or';

/** Depth (a leaf alone is 1) and number of leaf conditions, as the server counts them. */
export const measure = measureTree;

/** What is missing or wrong in a condition (a message key), or null when it can be counted. */
export type LeafProblem =
  | 'segments.err.noItem'
  | 'segments.err.noChoice'
  | 'segments.err.yearRange'
  | 'segments.err.ageRange'
  | 'segments.err.dateRange';

const isYear = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1900 && n <= 2100);
const isAge = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= 150);

export function leafProblem(leaf: SegmentLeaf): LeafProblem | null {
  switch (leaf.type) {
    case 'choice':
      if (!leaf.itemId) return 'segments.err.noItem';
      return leaf.choiceIds.length === 0 ? 'segments.err.noChoice' : null;
    case 'birthYear':
      if (!leaf.itemId) return 'segments.err.noItem';
      if (!isYear(leaf.from) || !isYear(leaf.to)) return 'segments.err.yearRange';
      return leaf.from !== undefined && leaf.to !== undefined && leaf.from > leaf.to
        ? 'segments.err.yearRange'
        : null;
    case 'age':
      if (!leaf.itemId) return 'segments.err.noItem';
      if (!isAge(leaf.min) || !isAge(leaf.max)) return 'segments.err.ageRange';
      return leaf.min !== undefined && leaf.max !== undefined && leaf.min > leaf.max
        ? 'segments.err.ageRange'
        : null;
    case 'followedAt':
      return leaf.from && leaf.to && leaf.from > leaf.to ? 'segments.err.dateRange' : null;
    default:
      return null;
  }
}

/** True when the tree can be sent to the server: no empty group, every condition complete, within the limits. */
export function isCountable(tree: SegmentTree): boolean {
  const { depth, leaves } = measure(tree);
  if (depth > SEGMENT_LIMITS.depth || leaves > SEGMENT_LIMITS.leaves) return false;
  const ok = (t: SegmentTree): boolean => {
    if (isGroup(t)) {
      return t.children.length > 0 && t.children.length <= SEGMENT_LIMITS.children && t.children.every(ok);
    }
    if (t.type === 'not') return ok(t.child);
    return leafProblem(t) === null;
  };
  return ok(tree);
}

export const choiceItems = (form: RegistrationForm | undefined) =>
  (form?.items ?? []).filter((i) => CHOICE_TYPES.includes(i.type));
export const birthYearItems = (form: RegistrationForm | undefined) =>
  (form?.items ?? []).filter((i) => i.type === 'birth_year');

/** A new condition: the first choice item of the form, or "registered" when the form has none. */
export function newCondition(form: RegistrationForm | undefined): SegmentLeaf {
  const first = choiceItems(form).find((i) => !i.retired);
  return first
    ? { type: 'choice', itemId: first.id, choiceIds: [], match: 'any' }
    : { type: 'registered', value: true };
}

/** Removes double negations (NOT NOT x = x) for display; the meaning is unchanged. */
export function unwrapNot(tree: SegmentTree): { node: SegmentTree; negated: boolean } {
  let node = tree;
  let negated = false;
  while (node.type === 'not') {
    negated = !negated;
    node = node.child;
  }
  return { node, negated };
}

export const withNegation = (node: SegmentTree, negated: boolean): SegmentTree =>
  negated ? { type: 'not', child: node } : node;

type Labels = {
  and: string;
  or: string;
  not: (s: string) => string;
  item: (id: string) => string;
  choice: (id: string) => string;
  match: Record<'any' | 'all' | 'none', string>;
  birthYear: (label: string, from?: number, to?: number) => string;
  age: (label: string, min?: number, max?: number) => string;
  registered: (value: boolean) => string;
  followedAt: (from?: string, to?: string) => string;
  test: (value: boolean) => string;
};

/** A one-line, human-readable summary of a tree (for lists). */
export function describeTree(tree: SegmentTree, l: Labels, top = true): string {
  switch (tree.type) {
    case 'and':
    case 'or': {
      const inner = tree.children
        .map((c) => describeTree(c, l, false))
        .join(tree.type === 'and' ? l.and : l.or);
      return top || tree.children.length === 1 ? inner : `（${inner}）`;
    }
    case 'not':
      return l.not(describeTree(tree.child, l, true));
    case 'choice':
      return `${l.item(tree.itemId)}: ${tree.choiceIds.map(l.choice).join('・')} ${l.match[tree.match]}`;
    case 'birthYear':
      return l.birthYear(l.item(tree.itemId), tree.from, tree.to);
    case 'age':
      return l.age(l.item(tree.itemId), tree.min, tree.max);
    case 'registered':
      return l.registered(tree.value);
    case 'followedAt':
      return l.followedAt(tree.from, tree.to);
    case 'test':
      return l.test(tree.value);
  }
}
