import type { Insertable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, LineEventsRejectedTable, LineEventsTable } from '../../db/schema.ts';

/** Rows per INSERT: 1,000 × 9 columns stays far below PostgreSQL's 65,535 bind parameters. */
export const INSERT_CHUNK = 1000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) out.push(rows.slice(i, i + INSERT_CHUNK));
  return out;
}

/**
 * Inserts the events, INSERT_CHUNK per statement (call it inside a transaction so a body is stored
 * whole or not at all); duplicates (same webhookEventId) are skipped.
 */
export async function insertLineEvents(db: Db | Transaction<Database>, rows: Insertable<LineEventsTable>[]) {
  const inserted: { id: string; type: string }[] = [];
  for (const chunk of chunks(rows)) {
    inserted.push(
      ...(await db
        .insertInto('line_events')
        .values(chunk)
        .onConflict((oc) => oc.column('webhook_event_id').doNothing())
        .returning(['id', 'type'])
        .execute()),
    );
  }
  return inserted;
}

/** Keeps malformed events aside, INSERT_CHUNK per statement; one already kept (redelivery) is skipped. */
export async function insertRejectedEvents(
  db: Db | Transaction<Database>,
  rows: Insertable<LineEventsRejectedTable>[],
) {
  const inserted: { id: string; reason: string }[] = [];
  for (const chunk of chunks(rows)) {
    inserted.push(
      ...(await db
        .insertInto('line_events_rejected')
        .values(chunk)
        .onConflict((oc) => oc.columns(['channel_id', 'event_key']).doNothing())
        .returning(['id', 'reason'])
        .execute()),
    );
  }
  return inserted;
}

/** Rejected events, newest first; `beforeId` pages on. */
export function listRejectedEvents(db: Db, opts: { channelId?: string; beforeId?: string; limit: number }) {
  let q = db
    .selectFrom('line_events_rejected')
    .select(['id', 'channel_id', 'event_key', 'type', 'reason', 'detail', 'payload_enc', 'received_at'])
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.channelId) q = q.where('channel_id', '=', opts.channelId);
  if (opts.beforeId) q = q.where('id', '<', opts.beforeId);
  return q.execute();
}

export async function countRejectedEvents(db: Db, channelId?: string): Promise<number> {
  let q = db.selectFrom('line_events_rejected').select((eb) => eb.fn.countAll<string>().as('n'));
  if (channelId) q = q.where('channel_id', '=', channelId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export const MAX_DISPATCH_ATTEMPTS = 10;

/** The partition of a user's events (dispatched by one dispatcher at a time, in id order). */
export const partitionOf = (count: number) =>
  sql<number>`(hashtext(coalesce(line_events.source_user_id, '')) & 2147483647) % ${count}::int`;

// Advisory lock keys of the dispatch partitions: (DISPATCH_LOCK, partition).
const DISPATCH_LOCK = 0x4c455644; // "LEVD"

/** Takes the partition's dispatch lock for this transaction; false when another transaction holds it. */
export async function tryLockPartition(trx: Transaction<Database>, partition: number): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`
    select pg_try_advisory_xact_lock(${DISPATCH_LOCK}::int, ${partition}::int) as ok
  `.execute(trx);
  return r.rows[0]?.ok === true;
}

/**
 * Locks a batch of the partition's undispatched events for this transaction, in id order. Called
 * under the partition's lock (tryLockPartition), so no other dispatcher holds any of them; one that
 * some other transaction holds all the same (a node with older code, or another partition count) is
 * waited for, not skipped: after its commit it is dispatched and left out, so a friend's later event
 * never overtakes an earlier one.
 */
export function lockPendingEvents(
  trx: Transaction<Database>,
  limit: number,
  opts: { index: number; count: number; onlyIds?: string[] },
) {
  // With the channel's LIFF ID, so handlers building links need no second lookup (READ_JOINS);
  // only the event rows are locked.
  let q = trx
    .selectFrom('line_events')
    .innerJoin('channels', 'channels.id', 'line_events.channel_id')
    .select([
      'line_events.id',
      'line_events.channel_id',
      'line_events.type',
      'line_events.source_user_id',
      'line_events.occurred_at',
      'line_events.payload_enc',
      'channels.liff_id',
    ])
    .where('line_events.dispatched_at', 'is', null)
    .where('line_events.dispatch_attempts', '<', MAX_DISPATCH_ATTEMPTS)
    .orderBy('line_events.id')
    .limit(limit)
    .forUpdate('line_events');
  if (opts.count > 1) q = q.where(partitionOf(opts.count), '=', opts.index);
  if (opts.onlyIds) q = q.where('line_events.id', 'in', opts.onlyIds);
  return q.execute();
}

/**
 * Locks the user's earlier undispatched events (waiting for a dispatch that holds them to commit;
 * the ones this transaction holds itself are returned at once). Answers those still undispatched.
 */
export function lockEarlierPendingEvents(
  trx: Transaction<Database>,
  channelId: string,
  userId: string,
  beforeId: string,
) {
  return trx
    .selectFrom('line_events')
    .select('id')
    .where('dispatched_at', 'is', null)
    .where('id', '<', beforeId)
    .where('channel_id', '=', channelId)
    .where('source_user_id', '=', userId)
    .where('dispatch_attempts', '<', MAX_DISPATCH_ATTEMPTS)
    .forUpdate()
    .execute();
}

export async function markDispatched(trx: Transaction<Database> | Db, ids: string[]) {
  if (ids.length === 0) return;
  await trx
    .updateTable('line_events')
    .set({ dispatched_at: new Date(), dispatch_error: null })
    .where('id', 'in', ids)
    .execute();
}

export async function markDispatchFailed(db: Db, id: string, error: string) {
  await db
    .updateTable('line_events')
    .set({ dispatch_attempts: sql`dispatch_attempts + 1`, dispatch_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();
}

export async function countPendingEvents(db: Db): Promise<number> {
  const row = await db
    .selectFrom('line_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('dispatched_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
