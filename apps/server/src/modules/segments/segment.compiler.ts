import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ErrorDetail } from '../../platform/errors.ts';
import { tokyoYear } from '../../platform/tokyo-time.ts';
import { type SegmentTree, segmentInvalid } from './segment.schema.ts';

// Segment tree → one SQL condition over `f` (friends) and `r` (the friend's registration form
// response, left-joined: NULL columns when the friend has not registered) (G-04). Conditions mean
// what people expect whatever is missing: a friend without a response is outside `choice any` and
// outside an age range, inside `choice none` and inside NOT(registered).

/** What the compiler needs to know about the channel's registration form (looked up once). */
export interface SegmentCatalog {
  /** The channel's registration form, or null when it has none. */
  formId: string | null;
  items: Map<string, { key: string; type: string }>;
  /** Choices of the items used in choice conditions: id → {itemId, parentId}. */
  choices: Map<string, { itemId: string; parentId: string | null }>;
}

export interface SegmentRefs {
  itemIds: string[];
  /** Items used by choice conditions (their choices are looked up). */
  choiceItemIds: string[];
  /** True when a condition reads the registration response (the join is needed). */
  usesResponse: boolean;
}

const CHOICE_TYPES = new Set(['single', 'multiple', 'select', 'area']);

/** The items and facts a tree refers to. */
export function segmentRefs(tree: SegmentTree | null): SegmentRefs {
  const itemIds = new Set<string>();
  const choiceItemIds = new Set<string>();
  let usesResponse = false;
  const walk = (t: SegmentTree) => {
    switch (t.type) {
      case 'and':
      case 'or':
        for (const c of t.children) walk(c);
        return;
      case 'not':
        walk(t.child);
        return;
      case 'choice':
        choiceItemIds.add(t.itemId);
        itemIds.add(t.itemId);
        usesResponse = true;
        return;
      case 'birthYear':
      case 'age':
        itemIds.add(t.itemId);
        usesResponse = true;
        return;
      case 'registered':
        usesResponse = true;
        return;
      default:
        return;
    }
  };
  if (tree) walk(tree);
  return { itemIds: [...itemIds], choiceItemIds: [...choiceItemIds], usesResponse };
}

/**
 * Birth years for an age range. Only the birth year is known, so the age is the one reached this
 * year (today's year in Asia/Tokyo − birth year): min age m ⇔ born in or before year − m.
 */
export function ageToBirthYears(range: { min?: number | undefined; max?: number | undefined }, now: Date) {
  const year = tokyoYear(now);
  return {
    from: range.max === undefined ? undefined : year - range.max,
    to: range.min === undefined ? undefined : year - range.min,
  };
}

/** [start, end) instants of Asia/Tokyo days: `from` 00:00 JST and the day after `to` 00:00 JST. */
export function tokyoDayBounds(range: { from?: string | undefined; to?: string | undefined }) {
  const start = range.from ? new Date(`${range.from}T00:00:00+09:00`) : undefined;
  let end: Date | undefined;
  if (range.to) {
    end = new Date(`${range.to}T00:00:00+09:00`);
    end.setUTCDate(end.getUTCDate() + 1);
  }
  return { start, end };
}

const bigints = (ids: string[]) => sql`${ids}::bigint[]`;
const never = sql<SqlBool>`false`;
const always = sql<SqlBool>`true`;

function checked(problems: ErrorDetail[]) {
  if (problems.length > 0) {
    throw segmentInvalid(`セグメントの条件に誤りがあります: ${problems[0]!.message}`, problems);
  }
}

/**
 * Checks every item and choice against the channel's registration form (400 SEGMENT_INVALID
 * otherwise) and returns the WHERE condition. `now` fixes "today" for age conditions.
 */
export function compileSegment(
  tree: SegmentTree | null,
  catalog: SegmentCatalog,
  now: Date = new Date(),
): RawBuilder<SqlBool> {
  if (!tree) return always;
  const problems: ErrorDetail[] = [];

  const item = (itemId: string, path: string, types: Set<string> | string) => {
    const found = catalog.items.get(itemId);
    if (!found) {
      problems.push({ path: `${path}.itemId`, message: 'この項目は登録フォームにありません' });
      return null;
    }
    const ok = typeof types === 'string' ? found.type === types : types.has(found.type);
    if (!ok) {
      problems.push({ path: `${path}.itemId`, message: 'この項目はこの条件に使えません' });
      return null;
    }
    return found;
  };

  /** A choice and its descendants (a ward of an area item matches its towns too). */
  const children = new Map<string, string[]>();
  for (const [id, c] of catalog.choices) {
    if (c.parentId !== null) children.set(c.parentId, [...(children.get(c.parentId) ?? []), id]);
  }
  const expand = (choiceId: string): string[] => {
    const out = [choiceId];
    const seen = new Set(out);
    for (let i = 0; i < out.length; i++) {
      for (const id of children.get(out[i]!) ?? []) {
        if (!seen.has(id)) {
          seen.add(id);
          out.push(id);
        }
      }
    }
    return out;
  };

  // Leaves are written as plain SQL conditions that may be NULL where the fact is unknown (no
  // response). Under AND / OR that is harmless: a WHERE keeps only TRUE rows, and AND / OR are
  // monotone, so NULL behaves as false. Under NOT it is not, so NOT is pushed down to the leaves
  // (De Morgan) and a negated leaf is `(leaf) is not true`, which is TRUE for NULL. Positive leaves
  // stay strict, which lets PostgreSQL turn the left join into an inner (parallel) join.
  const leaf = (expr: RawBuilder<SqlBool>, negated: boolean) =>
    negated ? sql<SqlBool>`((${expr}) is not true)` : expr;
  const numberOf = (key: string) => sql`(r.numbers ->> ${key})::int`;
  const yearRange = (key: string, from: number | undefined, to: number | undefined) => {
    const n = numberOf(key);
    if (from !== undefined && to !== undefined) return sql<SqlBool>`${n} between ${from} and ${to}`;
    if (from !== undefined) return sql<SqlBool>`${n} >= ${from}`;
    if (to !== undefined) return sql<SqlBool>`${n} <= ${to}`;
    return sql<SqlBool>`(r.numbers ->> ${key}) is not null`;
  };
  const all = (parts: RawBuilder<SqlBool>[]) =>
    parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql.raw(' and '))})`;

  /** The condition for `t`, or for NOT `t` when `negated`. */
  const walk = (t: SegmentTree, path: string, negated: boolean): RawBuilder<SqlBool> => {
    switch (t.type) {
      case 'and':
      case 'or': {
        const parts = t.children.map((c, i) => walk(c, `${path}.children.${i}`, negated));
        if (parts.length === 1) return parts[0]!;
        const conjunction = (t.type === 'and') !== negated;
        return sql<SqlBool>`(${sql.join(parts, sql.raw(conjunction ? ' and ' : ' or '))})`;
      }
      case 'not':
        return walk(t.child, `${path}.child`, !negated);
      case 'choice': {
        const found = item(t.itemId, path, CHOICE_TYPES);
        if (!found) return never;
        const unknown = t.choiceIds.filter((id) => catalog.choices.get(id)?.itemId !== t.itemId);
        if (unknown.length > 0) {
          problems.push({
            path: `${path}.choiceIds`,
            message: `この項目にない選択肢が指定されています（${unknown.join(', ')}）`,
          });
          return never;
        }
        const ids = [...new Set(t.choiceIds)];
        const expanded = ids.map((id) => (found.type === 'area' ? expand(id) : [id]));
        const union = [...new Set(expanded.flat())];
        const overlaps = sql<SqlBool>`r.choice_ids && ${bigints(union)}`;
        if (t.match === 'any') return leaf(overlaps, negated);
        if (t.match === 'none') return leaf(overlaps, !negated);
        // all: every chosen choice, where a ward counts as chosen when the ward or one of its towns is.
        const plain = expanded.filter((e) => e.length === 1).map((e) => e[0]!);
        const parts: RawBuilder<SqlBool>[] = [];
        if (plain.length > 0) parts.push(sql<SqlBool>`r.choice_ids @> ${bigints(plain)}`);
        for (const e of expanded) if (e.length > 1) parts.push(sql<SqlBool>`r.choice_ids && ${bigints(e)}`);
        return leaf(all(parts), negated);
      }
      case 'birthYear': {
        const found = item(t.itemId, path, 'birth_year');
        if (!found) return never;
        return leaf(yearRange(found.key, t.from, t.to), negated);
      }
      case 'age': {
        const found = item(t.itemId, path, 'birth_year');
        if (!found) return never;
        const years = ageToBirthYears(t, now);
        return leaf(yearRange(found.key, years.from, years.to), negated);
      }
      case 'registered':
        return t.value !== negated ? sql<SqlBool>`(r.id is not null)` : sql<SqlBool>`(r.id is null)`;
      case 'followedAt': {
        const { start, end } = tokyoDayBounds(t);
        const parts: RawBuilder<SqlBool>[] = [];
        if (start) parts.push(sql<SqlBool>`f.followed_at >= ${start}`);
        if (end) parts.push(sql<SqlBool>`f.followed_at < ${end}`);
        if (parts.length === 0) parts.push(sql<SqlBool>`f.followed_at is not null`);
        return leaf(all(parts), negated);
      }
      case 'test':
        return t.value !== negated ? sql<SqlBool>`f.is_test` : sql<SqlBool>`(not f.is_test)`;
    }
  };

  const condition = walk(tree, 'tree', false);
  checked(problems);
  return condition;
}
