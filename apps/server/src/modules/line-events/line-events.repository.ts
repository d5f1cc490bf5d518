import type { Insertable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, LineEventsTable } from '../../db/schema.ts';

/** Inserts the events in one statement; duplicates (same webhookEventId) are skipped. */
export async function insertLineEvents(db: Db, rows: Insertable<LineEventsTable>[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto('line_events')
    .values(rows)
    .onConflict((oc) => oc.column('webhook_event_id').doNothing())
    .returning(['id', 'type'])
    .execute();
}

export const MAX_DISPATCH_ATTEMPTS = 10;

/** Locks a batch of undispatched events for this transaction (other workers skip them). */
export function lockPendingEvents(trx: Transaction<Database>, limit: number, onlyIds?: string[]) {
  let q = trx
    .selectFrom('line_events')
    .select(['id', 'channel_id', 'type', 'source_user_id', 'occurred_at', 'payload_enc'])
    .where('dispatched_at', 'is', null)
    .where('dispatch_attempts', '<', MAX_DISPATCH_ATTEMPTS)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked();
  if (onlyIds) q = q.where('id', 'in', onlyIds);
  return q.execute();
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
