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

/**
 * Records a dispatch batch's calls in one statement, in their order; a reply whose token already has
 * a row is skipped. Answers how many rows were recorded.
 */
export async function insertOutboxRows(
  trx: Transaction<Database>,
  rows: Insertable<LineOutboxTable>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto('line_outbox')
    .values(
      rows.map((r) => ({
        channel_id: r.channel_id,
        line_event_id: r.line_event_id ?? null,
        kind: r.kind,
        reply_token: r.reply_token ?? null,
        to_id: r.to_id ?? null,
        retry_key: r.retry_key ?? null,
        messages_enc: r.messages_enc,
      })),
    )
    .onConflict((oc) => oc.columns(['channel_id', 'reply_token']).where('kind', '=', 'reply').doNothing())
    .returning('id')
    .execute();
  return inserted.length;
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

export type OutboxOutcome = Parameters<typeof finishOutbox>[2];

/**
 * finishOutbox for a group of rows in one statement (the sender's group of calls made at once):
 * each row gets its own outcome; `at` is when the calls were answered (sent_at of the sent ones).
 */
export async function finishOutboxRows(
  trx: Transaction<Database>,
  rows: { id: string; outcome: OutboxOutcome }[],
  at: Date,
) {
  if (rows.length === 0) return;
  const col = <T>(f: (o: OutboxOutcome) => T) => rows.map((r) => f(r.outcome));
  await sql`
    update line_outbox as o
       set status = v.status,
           attempts = o.attempts + 1,
           http_status = v.http_status,
           error = v.error,
           request_id = v.request_id,
           sent_at = case when v.status = 'sent' then ${at}::timestamptz else o.sent_at end,
           next_attempt_at = coalesce(v.retry_at, o.next_attempt_at)
      from unnest(
             ${rows.map((r) => r.id)}::bigint[],
             ${col((o) => o.status)}::text[],
             ${col((o) => o.httpStatus)}::int[],
             ${col((o) => o.error)}::text[],
             ${col((o) => o.requestId)}::text[],
             ${col((o) => o.retryAt ?? null)}::timestamptz[]
           ) as v(id, status, http_status, error, request_id, retry_at)
     where o.id = v.id
  `.execute(trx);
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

/** Monitoring (O-03): LINE calls waiting to be sent (with retries) and when the oldest was recorded. */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldest: Date | null }> {
  const r = await db
    .selectFrom('line_outbox')
    .select((eb) => [eb.fn.countAll<string>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(r.pending), oldest: r.oldest as Date | null };
}
