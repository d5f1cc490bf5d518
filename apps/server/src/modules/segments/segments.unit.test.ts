import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  type SqlBool,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { tokyoYear } from '../../platform/tokyo-time.ts';
import {
  ageToBirthYears,
  compileSegment,
  type SegmentCatalog,
  segmentRefs,
  tokyoDayBounds,
} from './segment.compiler.ts';
import { measureTree, parseSegmentTree, SEGMENT_LIMITS, type SegmentTree } from './segment.schema.ts';

// Pure parts of segments (G-04): tree validation and limits, age → birth years in Asia/Tokyo,
// Asia/Tokyo day bounds, and the compiler's checks against the registration form.

const ITEM = '00000000-0000-4000-8000-00000000000a';
const AREA = '00000000-0000-4000-8000-00000000000b';
const BIRTH = '00000000-0000-4000-8000-00000000000c';
const TEXT = '00000000-0000-4000-8000-00000000000d';
const leaf: SegmentTree = { type: 'choice', itemId: ITEM, choiceIds: ['1'], match: 'any' };

const nest = (depth: number): SegmentTree =>
  depth <= 1 ? leaf : { type: 'and', children: [nest(depth - 1)] };

function invalid(input: unknown) {
  try {
    parseSegmentTree(input);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SEGMENT_INVALID');
    expect((err as AppError).status).toBe(400);
    return err as AppError;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('segment tree validation (G-04)', () => {
  it('G-04: accepts every condition type nested in AND / OR / NOT', () => {
    const tree: SegmentTree = {
      type: 'and',
      children: [
        {
          type: 'or',
          children: [leaf, { type: 'choice', itemId: ITEM, choiceIds: ['2', '3'], match: 'all' }],
        },
        { type: 'not', child: { type: 'choice', itemId: ITEM, choiceIds: ['4'], match: 'none' } },
        { type: 'birthYear', itemId: BIRTH, from: 1960, to: 1990 },
        { type: 'age', itemId: BIRTH, min: 20 },
        { type: 'registered', value: true },
        { type: 'followedAt', from: '2026-01-01', to: '2026-03-31' },
        { type: 'test', value: false },
      ],
    };
    expect(parseSegmentTree(tree)).toEqual(tree);
    expect(measureTree(tree)).toEqual({ depth: 3, leaves: 8 });
  });

  it('G-04: refuses malformed trees with SEGMENT_INVALID and the path of the problem', () => {
    expect(invalid(null).details?.[0]?.path).toBe('tree');
    invalid({ type: 'xor', children: [leaf] });
    expect(invalid({ type: 'and', children: [] }).details?.[0]?.path).toBe('tree.children');
    invalid({ type: 'not', children: [leaf] });
    invalid({ type: 'choice', itemId: 'not-a-uuid', choiceIds: ['1'], match: 'any' });
    invalid({ type: 'choice', itemId: ITEM, choiceIds: [], match: 'any' });
    invalid({ type: 'choice', itemId: ITEM, choiceIds: ['1'], match: 'some' });
    invalid({ type: 'choice', itemId: ITEM, choiceIds: ['0'], match: 'any' });
    invalid({ type: 'choice', itemId: ITEM, choiceIds: [1], match: 'any' });
    invalid({ ...leaf, extra: true });
    invalid({ type: 'birthYear', itemId: BIRTH, from: 1990, to: 1980 });
    invalid({ type: 'birthYear', itemId: BIRTH, from: 1990.5 });
    invalid({ type: 'age', itemId: BIRTH, min: 40, max: 30 });
    invalid({ type: 'age', itemId: BIRTH, min: -1 });
    invalid({ type: 'registered', value: 'yes' });
    invalid({ type: 'followedAt', from: '2026-02-30' });
    invalid({ type: 'followedAt', from: '2026-03-02', to: '2026-03-01' });
    invalid({ type: 'test' });
    const nested = invalid({ type: 'and', children: [leaf, { type: 'or', children: [{ type: 'age' }] }] });
    expect(nested.details?.some((d) => d.path.startsWith('tree.children.1.children.0'))).toBe(true);
  });

  it('G-04: depth ≤ 6, ≤ 20 children per group, ≤ 50 leaves', () => {
    expect(parseSegmentTree(nest(SEGMENT_LIMITS.depth))).toBeTruthy();
    expect(invalid(nest(SEGMENT_LIMITS.depth + 1)).message).toContain('6 段');
    expect(invalid(nest(40)).code).toBe('SEGMENT_INVALID');
    const group = (n: number): SegmentTree => ({
      type: 'or',
      children: Array.from({ length: n }, () => leaf),
    });
    expect(parseSegmentTree(group(20))).toBeTruthy();
    expect(invalid(group(21)).message).toContain('20 個');
    const fifty: SegmentTree = { type: 'and', children: [group(20), group(20), group(10)] };
    expect(parseSegmentTree(fifty)).toBeTruthy();
    const fiftyOne: SegmentTree = { type: 'and', children: [group(20), group(20), group(11)] };
    expect(invalid(fiftyOne).message).toContain('50 個');
  });
});

describe('dates in Asia/Tokyo whatever the server time zone (G-04)', () => {
  it('G-04: the year turns at midnight JST, not UTC', () => {
    expect(tokyoYear(new Date('2026-12-31T14:59:59Z'))).toBe(2026);
    expect(tokyoYear(new Date('2026-12-31T15:00:00Z'))).toBe(2027);
  });

  it('G-04: an age range is the age reached this year: birth years year − max … year − min', () => {
    const now = new Date('2026-06-01T00:00:00+09:00');
    expect(ageToBirthYears({ min: 20, max: 29 }, now)).toEqual({ from: 1997, to: 2006 });
    expect(ageToBirthYears({ min: 65 }, now)).toEqual({ from: undefined, to: 1961 });
    expect(ageToBirthYears({ max: 18 }, now)).toEqual({ from: 2008, to: undefined });
    // New Year's Day in Tokyo while it is still 31 December in UTC.
    expect(ageToBirthYears({ min: 20, max: 20 }, new Date('2026-12-31T15:30:00Z'))).toEqual({
      from: 2007,
      to: 2007,
    });
  });

  it('G-04: followedAt days are [00:00 JST of from, 00:00 JST of the day after to)', () => {
    const b = tokyoDayBounds({ from: '2026-03-01', to: '2026-03-31' });
    expect(b.start?.toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(b.end?.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(tokyoDayBounds({ to: '2026-12-31' }).end?.toISOString()).toBe('2026-12-31T15:00:00.000Z');
    expect(tokyoDayBounds({}).start).toBeUndefined();
  });
});

describe('segment compiler checks against the registration form (G-04)', () => {
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const catalog: SegmentCatalog = {
    formId: 'form',
    items: new Map([
      [ITEM, { key: 'topics', type: 'multiple' }],
      [AREA, { key: 'area', type: 'area' }],
      [BIRTH, { key: 'birth_year', type: 'birth_year' }],
      [TEXT, { key: 'note', type: 'text' }],
    ]),
    choices: new Map([
      ['1', { itemId: ITEM, parentId: null }],
      ['2', { itemId: ITEM, parentId: null }],
      ['10', { itemId: AREA, parentId: null }],
      ['11', { itemId: AREA, parentId: '10' }],
      ['12', { itemId: AREA, parentId: '10' }],
      ['20', { itemId: AREA, parentId: null }],
      ['21', { itemId: AREA, parentId: '20' }],
    ]),
  };
  const compiled = (tree: SegmentTree) => (compileSegment(tree, catalog) as RawBuilder<SqlBool>).compile(db);
  const problem = (tree: SegmentTree) => {
    try {
      compileSegment(tree, catalog);
    } catch (err) {
      expect((err as AppError).code).toBe('SEGMENT_INVALID');
      return (err as AppError).details ?? [];
    }
    throw new Error('compiled');
  };

  it('G-04: unknown items, choices of another item and conditions of the wrong type are refused', () => {
    const other = '00000000-0000-4000-8000-0000000000ff';
    expect(problem({ type: 'choice', itemId: other, choiceIds: ['1'], match: 'any' })[0]?.path).toBe(
      'tree.itemId',
    );
    expect(
      problem({
        type: 'and',
        children: [
          { type: 'registered', value: true },
          { type: 'choice', itemId: ITEM, choiceIds: ['11'], match: 'any' },
        ],
      })[0]?.path,
    ).toBe('tree.children.1.choiceIds');
    expect(problem({ type: 'choice', itemId: ITEM, choiceIds: ['999'], match: 'all' })).toHaveLength(1);
    expect(problem({ type: 'age', itemId: ITEM, min: 20 })[0]?.message).toContain('使えません');
    expect(problem({ type: 'choice', itemId: BIRTH, choiceIds: ['1'], match: 'any' })).toHaveLength(1);
    expect(problem({ type: 'choice', itemId: TEXT, choiceIds: ['1'], match: 'any' })).toHaveLength(1);
  });

  it('G-04: a ward matches its towns; "all" needs each ward (or one of its towns)', () => {
    const any = compiled({ type: 'choice', itemId: AREA, choiceIds: ['10'], match: 'any' });
    expect(any.sql).toBe('r.choice_ids && $1::bigint[]');
    expect(any.parameters).toEqual([['10', '11', '12']]);
    const all = compiled({ type: 'choice', itemId: AREA, choiceIds: ['10', '20', '11'], match: 'all' });
    expect(all.parameters).toEqual([['11'], ['10', '11', '12'], ['20', '21']]);
  });

  it('G-04: NOT is pushed to the leaves; negated leaves count unknown answers as "no"', () => {
    const tree: SegmentTree = {
      type: 'not',
      child: {
        type: 'or',
        children: [
          { type: 'choice', itemId: ITEM, choiceIds: ['1'], match: 'any' },
          { type: 'registered', value: false },
          { type: 'not', child: { type: 'test', value: true } },
        ],
      },
    };
    expect(compiled(tree).sql).toBe(
      '(((r.choice_ids && $1::bigint[]) is not true) and (r.id is not null) and f.is_test)',
    );
    expect(compiled({ type: 'choice', itemId: ITEM, choiceIds: ['1'], match: 'none' }).sql).toBe(
      '((r.choice_ids && $1::bigint[]) is not true)',
    );
  });

  it('G-04: refs tell whether the registration response is needed', () => {
    expect(segmentRefs(null).usesResponse).toBe(false);
    expect(segmentRefs({ type: 'test', value: true }).usesResponse).toBe(false);
    const refs = segmentRefs({
      type: 'and',
      children: [
        { type: 'age', itemId: BIRTH, min: 1 },
        { type: 'not', child: { type: 'choice', itemId: AREA, choiceIds: ['10'], match: 'any' } },
      ],
    });
    expect(refs).toEqual({ itemIds: [BIRTH, AREA], choiceItemIds: [AREA], usesResponse: true });
  });
});
