import type { SegmentLeaf } from '@madoguchi/contracts/segments.ts';
import type { Db } from '../../db/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { compileSegment, segmentRefs } from './segment.compiler.ts';
import {
  parseSegmentTree,
  type SegmentInput,
  type SegmentTree,
  type SegmentUpdate,
  type SegmentView,
} from './segment.schema.ts';
import {
  audienceHas,
  audienceSelect,
  channelExists,
  countPendingDeliveriesUsing,
  countRows,
  deleteSegmentRow,
  findSegmentRow,
  insertSegmentRow,
  listSegmentRows,
  loadSegmentCatalog,
  updateSegmentRow,
} from './segments.repository.ts';

// Read by other modules through this service (they never import this module's repository).
export { segmentNames } from './segments.repository.ts';

// Segments (G-04, O-09): who receives a delivery. The audience is resolved in one SQL statement over
// the channel's following friends, so it can feed INSERT … SELECT and count 200,000 friends quickly.

export type AudienceQuery = ReturnType<typeof audienceSelect>;

/**
 * Following friends of the channel in the segment (tree null = every following friend), as a Kysely
 * select of `friend_id` and `line_user_id`. Async: the registration form's items and choices are
 * looked up once to check the tree (400 SEGMENT_INVALID) and to expand wards to their towns.
 */
export async function audienceQuery(
  db: Db,
  channelId: string,
  tree: SegmentTree | null,
  options: { now?: Date } = {},
): Promise<AudienceQuery> {
  const checkedTree = tree === null ? null : parseSegmentTree(tree);
  const refs = segmentRefs(checkedTree);
  const catalog = await loadSegmentCatalog(db, channelId, refs);
  const condition = compileSegment(checkedTree, catalog, options.now);
  return audienceSelect(db, channelId, { join: refs.usesResponse, formId: catalog.formId }, condition);
}

/** The number of following friends in the segment. */
export async function countAudience(
  db: Db,
  channelId: string,
  tree: SegmentTree | null,
  options: { now?: Date } = {},
): Promise<number> {
  return countRows(db, await audienceQuery(db, channelId, tree, options));
}

/**
 * Whether one friend of the channel meets one segment condition (a chatbot branch on registered
 * attributes, B-02), compiled the same way as a delivery's audience. A condition that no longer
 * compiles (a deleted item) is not met.
 */
export async function friendMatchesLeaf(
  db: Db,
  channelId: string,
  leaf: SegmentLeaf | SegmentTree,
  who: { friendId: string } | { lineUserId: string },
): Promise<boolean> {
  let query: AudienceQuery;
  try {
    query = await audienceQuery(db, channelId, leaf);
  } catch (err) {
    if ((err as { status?: number }).status === 400) return false;
    throw err;
  }
  return audienceHas(query, who);
}

/**
 * Whether one friend of the channel is in a saved segment (a survey's audience, Q-02), compiled as a
 * delivery's audience. A segment that is gone or no longer compiles has nobody in it.
 */
export async function friendInSegment(
  db: Db,
  channelId: string,
  segmentId: string,
  who: { friendId: string } | { lineUserId: string },
): Promise<boolean> {
  const row = await findSegmentRow(db, segmentId);
  if (!row || row.channel_id !== channelId) return false;
  return friendMatchesLeaf(db, channelId, row.tree as SegmentTree, who);
}

type SegmentRow = NonNullable<Awaited<ReturnType<typeof findSegmentRow>>>;

const view = (r: SegmentRow): SegmentView => ({
  id: r.id,
  channelId: r.channel_id,
  name: r.name,
  tree: r.tree as SegmentTree,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

async function requireChannel(db: Db, channelId: string) {
  if (!(await channelExists(db, channelId))) throw notFound('チャネル');
}

export async function listSegments(db: Db, channelId: string): Promise<SegmentView[]> {
  return (await listSegmentRows(db, channelId)).map(view);
}

export async function getSegment(db: Db, id: string): Promise<SegmentView> {
  const row = await findSegmentRow(db, id);
  if (!row) throw notFound('セグメント');
  return view(row);
}

export async function createSegment(db: Db, input: SegmentInput, createdBy: string | null) {
  await requireChannel(db, input.channelId);
  // A saved segment must compile: its items and choices exist in the registration form.
  await audienceQuery(db, input.channelId, input.tree);
  return view(await insertSegmentRow(db, { ...input, createdBy }));
}

export async function updateSegment(db: Db, id: string, input: SegmentUpdate) {
  const current = await getSegment(db, id);
  if (input.tree !== undefined) await audienceQuery(db, current.channelId, input.tree);
  const row = await updateSegmentRow(db, id, input);
  if (!row) throw notFound('セグメント');
  return view(row);
}

export async function deleteSegment(db: Db, id: string) {
  await getSegment(db, id);
  if ((await countPendingDeliveriesUsing(db, id)) > 0) {
    throw conflict('SEGMENT_IN_USE', 'このセグメントは送信前の配信で使われているため削除できません');
  }
  await deleteSegmentRow(db, id);
}

/** Resolves a saved segment's tree for a delivery (`{ kind: 'segment', segmentId }`). */
export async function segmentTree(db: Db, segmentId: string, channelId: string): Promise<SegmentTree> {
  const s = await getSegment(db, segmentId);
  if (s.channelId !== channelId) throw notFound('セグメント');
  return s.tree;
}

export { requireChannel };
