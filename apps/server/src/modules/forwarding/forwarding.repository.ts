import type { Insertable, Transaction, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, ForwardingItemsTable, ForwardingTargetsTable } from '../../db/schema.ts';

// SQL of webhook forwarding (W-01): targets, and the queue of items (one event for one target).

type Q = Db | Transaction<Database>;

const TARGET_COLUMNS = [
  'id',
  'channel_id',
  'name',
  'url',
  'secret_enc',
  'enabled',
  'event_types',
  'message_mode',
  'created_at',
  'updated_at',
] as const;

export type TargetRow = Awaited<ReturnType<typeof findTarget>> & object;

export function listTargetRows(db: Q, channelId: string) {
  return db
    .selectFrom('forwarding_targets')
    .select(TARGET_COLUMNS)
    .where('channel_id', '=', channelId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The enabled targets of a channel (read once per dispatch batch). */
export function enabledTargetRows(db: Q, channelId: string) {
  return db
    .selectFrom('forwarding_targets')
    .select(['id', 'event_types', 'message_mode'])
    .where('channel_id', '=', channelId)
    .where('enabled', '=', true)
    .execute();
}

export function findTarget(db: Q, id: string) {
  return db.selectFrom('forwarding_targets').select(TARGET_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function findTargetByName(db: Q, channelId: string, name: string) {
  return db
    .selectFrom('forwarding_targets')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function countTargets(db: Q, channelId: string): Promise<number> {
  const r = await db
    .selectFrom('forwarding_targets')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('channel_id', '=', channelId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function insertTarget(db: Q, row: Insertable<ForwardingTargetsTable>) {
  return db.insertInto('forwarding_targets').values(row).returning(TARGET_COLUMNS).executeTakeFirstOrThrow();
}

export function updateTargetRow(db: Q, id: string, change: Updateable<ForwardingTargetsTable>) {
  return db
    .updateTable('forwarding_targets')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .returning(TARGET_COLUMNS)
    .executeTakeFirst();
}

export async function deleteTargetRow(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('forwarding_targets').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Queues items; one already queued for the same (target, webhookEventId) is skipped (dedupe). */
export async function insertItems(db: Q, rows: Insertable<ForwardingItemsTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('forwarding_items')
    .values(rows)
    .onConflict((oc) => oc.columns(['target_id', 'webhook_event_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Heads are looked for among each target's oldest waiting items (by id): the first of a (target,
 * user) among them is the first of all its waiting items, so the answer is exact, and a claim reads
 * at most this many rows per target however long the queue has grown (an outage).
 */
const HEAD_WINDOW = 2000;

export interface ClaimedItem {
  id: string;
  target_id: string;
  attempts: number;
  queued_at: Date;
  url: string;
  secret_enc: string;
  webhook_event_id: string;
  payload_enc: Buffer;
  destination: string | null;
  signature: string | null;
}

/**
 * Claims due items for sending, at most `limit`, at most `perTarget` per target, none of the targets
 * in `busy` or paused: only the first pending item of each (target, user) — a user's next event waits until the
 * earlier one was sent or dead-lettered — and not one another sender holds (`FOR UPDATE SKIP LOCKED`,
 * then a lease: a sender that dies leaves the item to be claimed again when the lease runs out).
 * Answers each with its target's URL and secret and its event's sealed payload (READ_JOINS).
 */
export async function claimDueItems(
  db: Db,
  opts: { limit: number; perTarget: number; busy: string[]; leaseMs: number },
): Promise<ClaimedItem[]> {
  const busy = opts.busy.length > 0 ? opts.busy : ['00000000-0000-0000-0000-000000000000'];
  const r = await sql<ClaimedItem>`
    with heads as (
      select distinct on (w.target_id, w.user_key) w.id, w.target_id, w.next_attempt_at, w.leased_until
      from forwarding_targets t
      cross join lateral (
        select q.id, q.target_id, q.user_key, q.next_attempt_at, q.leased_until
        from forwarding_items q
        where q.target_id = t.id and q.state = 'pending'
        order by q.id
        limit ${HEAD_WINDOW}
      ) w
      where t.enabled and t.id <> all(${busy}::uuid[])
      order by w.target_id, w.user_key, w.id
    ),
    due as (
      select h.id from heads h
      where h.next_attempt_at <= now()
        and (h.leased_until is null or h.leased_until < now())
      order by h.next_attempt_at, h.id
      limit ${opts.limit * 4}
    ),
    candidates as (
      select q.id, q.target_id, q.next_attempt_at
      from forwarding_items q
      where q.id in (select id from due)
        and q.state = 'pending'
        and (q.leased_until is null or q.leased_until < now())
      for update of q skip locked
    ),
    picked as (
      select id from (
        select id, next_attempt_at,
          row_number() over (partition by target_id order by next_attempt_at, id) as n
        from candidates
      ) ranked
      where n <= ${opts.perTarget}
      order by next_attempt_at, id
      limit ${opts.limit}
    )
    update forwarding_items q
    set leased_until = now() + ${`${opts.leaseMs} milliseconds`}::interval, attempts = q.attempts + 1
    from picked, forwarding_targets t, line_events le
    where q.id = picked.id and t.id = q.target_id and le.id = q.line_event_id
    returning q.id::text as id, q.target_id, q.attempts, q.queued_at, t.url, t.secret_enc,
      q.webhook_event_id, le.payload_enc, le.destination, le.signature
  `.execute(db);
  return r.rows;
}

/** Marks delivered items sent, in one statement (the sender collects them between its claims). */
export async function markItemsSent(db: Q, rows: { id: string; status: number; excerpt: string | null }[]) {
  if (rows.length === 0) return;
  await sql`
    update forwarding_items q
    set state = 'sent', sent_at = now(), leased_until = null, last_status = v.status, last_error = null,
      response_excerpt = v.excerpt
    from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.status)}::int[],
      ${rows.map((r) => r.excerpt)}::text[]) as v(id, status, excerpt)
    where q.id = v.id and q.state = 'pending'
  `.execute(db);
}

export async function markItemFailed(
  db: Q,
  id: string,
  outcome: { status: number | null; error: string; excerpt: string | null; next: Date; dead: boolean },
) {
  await db
    .updateTable('forwarding_items')
    .set({
      state: outcome.dead ? 'dead' : 'pending',
      dead_at: outcome.dead ? new Date() : null,
      next_attempt_at: outcome.next,
      leased_until: null,
      failures: sql`failures + 1`,
      last_status: outcome.status,
      last_error: outcome.error.slice(0, 500),
      response_excerpt: outcome.excerpt,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
}

/** Gives back claimed items not sent (a sender that stops): claimable again at once, the attempt not counted. */
export async function releaseItems(db: Q, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .updateTable('forwarding_items')
    .set({ leased_until: null, attempts: sql`greatest(attempts - 1, 0)` })
    .where('id', 'in', ids)
    .where('state', '=', 'pending')
    .execute();
}

/** When the next pending item falls due (for the sender's wake-up); null when none is pending. */
export async function nextDueItemAt(db: Q): Promise<Date | null> {
  const r = await db
    .selectFrom('forwarding_items')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return r?.at ? new Date(r.at as Date) : null;
}

export function listItemRows(
  db: Q,
  targetId: string,
  opts: { state?: 'pending' | 'sent' | 'dead'; failedOnly?: boolean; before?: string; limit: number },
) {
  let q = db
    .selectFrom('forwarding_items')
    .select([
      'id',
      'webhook_event_id',
      'event_type',
      'state',
      'attempts',
      'failures',
      'queued_at',
      'next_attempt_at',
      'sent_at',
      'dead_at',
      'last_status',
      'last_error',
      'response_excerpt',
    ])
    .where('target_id', '=', targetId)
    .orderBy('id', 'desc')
    .limit(opts.limit);
  if (opts.state) q = q.where('state', '=', opts.state);
  if (opts.failedOnly) q = q.where('failures', '>', 0);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.execute();
}

/**
 * Puts dead items of the target back in the queue (a new retry window from now); `itemId`: only
 * that one. Answers how many.
 */
export async function requeueDeadItems(db: Q, targetId: string, itemId?: string): Promise<number> {
  let q = db
    .updateTable('forwarding_items')
    .set({
      state: 'pending',
      dead_at: null,
      attempts: 0,
      next_attempt_at: new Date(),
      queued_at: new Date(),
      leased_until: null,
    })
    .where('target_id', '=', targetId)
    .where('state', '=', 'dead');
  if (itemId) q = q.where('id', '=', itemId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function findItem(db: Q, id: string) {
  return db
    .selectFrom('forwarding_items')
    .select(['id', 'target_id', 'state'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface TargetStatsRow {
  target_id: string;
  sent: string;
  failed: string;
  queued: string;
  dead: string;
  oldest: Date | null;
}

/** Per target: items sent, failed attempts, waiting, dead, and the oldest waiting one's queue time. */
export async function targetStats(db: Q, targetIds?: string[]): Promise<TargetStatsRow[]> {
  if (targetIds && targetIds.length === 0) return [];
  let q = db
    .selectFrom('forwarding_items')
    .select((eb) => [
      'target_id',
      eb.fn.count<string>('id').filterWhere('state', '=', 'sent').as('sent'),
      eb.fn.coalesce(eb.fn.sum<string>('failures'), sql<string>`0`).as('failed'),
      eb.fn.count<string>('id').filterWhere('state', '=', 'pending').as('queued'),
      eb.fn.count<string>('id').filterWhere('state', '=', 'dead').as('dead'),
      eb.fn.min('queued_at').filterWhere('state', '=', 'pending').as('oldest'),
    ])
    .groupBy('target_id');
  if (targetIds) q = q.where('target_id', 'in', targetIds);
  return (await q.execute()) as TargetStatsRow[];
}

/** Every target's ID and name (the metrics' labels). */
export function allTargetNames(db: Q) {
  return db.selectFrom('forwarding_targets').select(['id', 'name', 'channel_id']).execute();
}

/** Forgets items delivered more than `days` ago (the queue keeps what is waiting, dead or recent). */
export async function purgeSentItems(db: Q, days: number): Promise<number> {
  const r = await db
    .deleteFrom('forwarding_items')
    .where('state', '=', 'sent')
    .where('sent_at', '<', sql<Date>`now() - ${`${days} days`}::interval`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
