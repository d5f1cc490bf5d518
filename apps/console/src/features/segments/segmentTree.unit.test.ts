import { describe, expect, it } from 'vitest';
import {
  describeTree,
  isCountable,
  leafProblem,
  measure,
  newCondition,
  type RegistrationForm,
  type SegmentTree,
  unwrapNot,
  withNegation,
} from './segmentTree.ts';

// The segment builder's pure rules (G-04): what may be counted, limits, NOT handling, summaries.

const leaf: SegmentTree = { type: 'choice', itemId: 'i1', choiceIds: ['1'], match: 'any' };
const form: RegistrationForm = {
  id: 'f',
  channelId: 'c',
  title: '受信設定',
  description: '',
  items: [
    {
      id: 'b',
      key: 'birth_year',
      label: '生年',
      type: 'birth_year',
      required: false,
      position: 1,
      help: '',
      config: {},
      retired: false,
      choices: [],
    },
    {
      id: 'i1',
      key: 'topics',
      label: '情報分野',
      type: 'multiple',
      required: false,
      position: 2,
      help: '',
      config: {},
      retired: false,
      choices: [{ id: '1', label: '防災', parentId: null, position: 1, retired: false }],
    },
  ],
};

describe('segment builder rules (G-04)', () => {
  it('G-04: an empty group, an unchosen choice or a bad range is not counted', () => {
    expect(isCountable({ type: 'and', children: [] })).toBe(false);
    expect(isCountable({ type: 'and', children: [leaf] })).toBe(true);
    expect(isCountable({ type: 'choice', itemId: 'i1', choiceIds: [], match: 'any' })).toBe(false);
    expect(isCountable({ type: 'age', itemId: 'b', min: 40, max: 30 })).toBe(false);
    expect(isCountable({ type: 'age', itemId: 'b', min: Number.NaN })).toBe(false);
    expect(isCountable({ type: 'birthYear', itemId: 'b', from: 19 })).toBe(false);
    expect(isCountable({ type: 'followedAt', from: '2026-03-02', to: '2026-03-01' })).toBe(false);
    expect(isCountable({ type: 'not', child: { type: 'registered', value: false } })).toBe(true);
    expect(leafProblem({ type: 'choice', itemId: '', choiceIds: ['1'], match: 'any' })).toBe(
      'segments.err.noItem',
    );
  });

  it('G-04: the limits of the server (depth 6, 50 conditions, 20 per group)', () => {
    let deep: SegmentTree = leaf;
    for (let i = 0; i < 5; i++) deep = { type: 'not', child: deep };
    expect(measure(deep).depth).toBe(6);
    expect(isCountable(deep)).toBe(true);
    expect(isCountable({ type: 'not', child: deep })).toBe(false);
    const group = (n: number): SegmentTree => ({
      type: 'or',
      children: Array.from({ length: n }, () => leaf),
    });
    expect(isCountable(group(20))).toBe(true);
    expect(isCountable(group(21))).toBe(false);
    expect(measure({ type: 'and', children: [group(20), group(20), group(11)] }).leaves).toBe(51);
    expect(isCountable({ type: 'and', children: [group(20), group(20), group(11)] })).toBe(false);
  });

  it('G-04: NOT is a toggle; double negation is shown as none', () => {
    expect(unwrapNot({ type: 'not', child: { type: 'not', child: leaf } })).toEqual({
      node: leaf,
      negated: false,
    });
    expect(unwrapNot({ type: 'not', child: leaf })).toEqual({ node: leaf, negated: true });
    expect(withNegation(leaf, true)).toEqual({ type: 'not', child: leaf });
    expect(withNegation(leaf, false)).toBe(leaf);
  });

  it('G-04: a new condition starts on the first choice item, or "registered" without one', () => {
    expect(newCondition(form)).toEqual({ type: 'choice', itemId: 'i1', choiceIds: [], match: 'any' });
    expect(newCondition(undefined)).toEqual({ type: 'registered', value: true });
  });

  it('G-04: a readable summary', () => {
    const text = describeTree(
      {
        type: 'and',
        children: [
          leaf,
          {
            type: 'not',
            child: {
              type: 'or',
              children: [
                { type: 'test', value: true },
                { type: 'age', itemId: 'b', min: 20 },
              ],
            },
          },
        ],
      },
      {
        and: ' かつ ',
        or: ' または ',
        not: (s) => `「${s}」ではない`,
        item: (id) => form.items.find((i) => i.id === id)?.label ?? '?',
        choice: (id) => (id === '1' ? '防災' : '?'),
        match: { any: 'のいずれか', all: 'のすべて', none: 'のいずれでもない' },
        birthYear: () => '',
        age: (label, min, max) => `${label}: ${min ?? ''}〜${max ?? ''} 歳`,
        registered: () => '',
        followedAt: () => '',
        test: (v) => (v ? 'テスト用' : 'テスト用以外'),
      },
    );
    expect(text).toBe('情報分野: 防災 のいずれか かつ 「テスト用 または 生年: 20〜 歳」ではない');
  });
});
