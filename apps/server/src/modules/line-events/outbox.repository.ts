import type { Insertable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, LineOutboxTable } from '../../db/schema.ts';

// The LINE outbox (issue 8 §6): rows are written by event handlers inside the dispatch transaction
// and taken by the sender a few at a time, in a transaction that holds them while LINE is called, so
// two workers never send the same row and a killed worker's rows are simply pending again.

export type OutboxRow = Pick<
  LineOutboxTable,
  'channel_id' | 'kind' | 'reply_token' | 'to_id' | 'retry_key' | 'messages_enc'
> & { id: string; attempts: number };

/** Records a call; a second reply with the same reply token is skipped (answers false). */
export async function insertOutbox(
  trx: Transaction<Database>,
  row: Insertable<LineOutboxTable>,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('line_outbox')
    .values(row)
    .onConflict((oc) => oc.columns(['channel_id', 'reply_token']).where('kind', '=', 'reply').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Due rows (oldest first), read without locking: the sender prepares their channels' credentials. */
export function peekDueOutbox(db: Db, limit: number) {
  return db
    .selectFrom('line_outbox')
    .select(['id', 'channel_id'])
    .where('status', '=', 'pending')
    .where(sql<boolean>`next_attempt_at <= now()`)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Locks up to `limit` rows of `ids` that are still due; other workers skip them (and this one skips theirs). */
export function lockDueOutbox(
  trx: Transaction<Database>,
  ids: string[],
  limit: number,
): Promise<OutboxRow[]> {
  return trx
    .selectFrom('line_outbox')
    .select(['id', 'channel_id', 'kind', 'reply_token', 'to_id', 'retry_key', 'messages_enc', 'attempts'])
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .where(sql<boolean>`next_attempt_at <= now()`)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function finishOutbox(
  trx: Transaction<Database>,
  id: string,
  result: {
    status: 'pending' | 'sent' | 'failed';
    httpStatus: number | null;
    error: string | null;
    requestId: string | null;
    retryAt?: Date;
  },
) {
  await trx
    .updateTable('line_outbox')
    .set({
      status: result.status,
      attempts: sql`attempts + 1`,
      http_status: result.httpStatus,
      error: result.error,
      request_id: result.requestId,
      ...(result.status === 'sent' ? { sent_at: new Date() } : {}),
      ...(result.retryAt ? { next_attempt_at: result.retryAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** When the next pending row (waiting for a retry) falls due, or null when none is pending. */
export async function nextOutboxAttemptAt(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('line_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : null;
}
