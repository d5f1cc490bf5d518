import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, DeliveriesTable, DeliveryStatus } from '../../db/schema.ts';
import type { AudienceQuery } from '../segments/segments.service.ts';

// Every SQL statement of deliveries (G-07 … G-13). The state machine lives in the WHERE clauses:
// draft/scheduled rows can be edited or cancelled, `scheduled → sending` is taken under FOR UPDATE SKIP
// LOCKED, and a batch is counted once (`pending → sent|failed` and the counters in one statement).

export type DeliveryRow = Selectable<DeliveriesTable>;
type Executor = Db | Transaction<Database>;

export const BATCH_SIZE = 500;
/** Statuses in which a delivery can still be edited or cancelled. */
export const EDITABLE: DeliveryStatus[] = ['draft', 'scheduled'];

export interface DeliveryInsert {
  channelId: string;
  title: string;
  messages: unknown[];
  audience: unknown;
  isTest: boolean;
  status: DeliveryStatus;
  scheduledAt: Date | null;
  recurrence: unknown | null;
  seriesId: string | null;
  createdBy: string | null;
  /** A delivery made from a received mail (issue 14) links back to it. */
  mailMessageId?: string | null;
}

export const insertDelivery = (db: Executor, d: DeliveryInsert) =>
  db
    .insertInto('deliveries')
    .values({
      channel_id: d.channelId,
      title: d.title,
      messages: JSON.stringify(d.messages),
      audience: JSON.stringify(d.audience),
      is_test: d.isTest,
      status: d.status,
      scheduled_at: d.scheduledAt,
      recurrence: d.recurrence === null ? null : JSON.stringify(d.recurrence),
      series_id: d.seriesId,
      created_by: d.createdBy,
      ...(d.mailMessageId ? { source: 'mail' as const, mail_message_id: d.mailMessageId } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const findDelivery = (db: Executor, id: string) =>
  db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();

export const listDeliveryRows = (
  db: Db,
  q: {
    channelId?: string | undefined;
    status?: DeliveryStatus | undefined;
    seriesId?: string | undefined;
    isTest?: boolean | undefined;
    limit: number;
  },
) =>
  db
    .selectFrom('deliveries')
    .selectAll()
    .$if(q.channelId !== undefined, (qb) => qb.where('channel_id', '=', q.channelId!))
    .$if(q.status !== undefined, (qb) => qb.where('status', '=', q.status!))
    .$if(q.seriesId !== undefined, (qb) => qb.where('series_id', '=', q.seriesId!))
    .$if(q.isTest !== undefined, (qb) => qb.where('is_test', '=', q.isTest!))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(q.limit)
    .execute();

/** Batch counts per delivery (progress while sending). */
export async function batchProgress(db: Db, ids: string[]) {
  const out = new Map<string, { batches: number; sent: number; failed: number; pending: number }>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('delivery_batches')
    .select((eb) => [
      'delivery_id',
      eb.fn.countAll<string>().as('batches'),
      sql<string>`count(*) filter (where status = 'sent')`.as('sent'),
      sql<string>`count(*) filter (where status = 'failed')`.as('failed'),
      sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
    ])
    .where('delivery_id', 'in', ids)
    .groupBy('delivery_id')
    .execute();
  for (const r of rows) {
    out.set(r.delivery_id, {
      batches: Number(r.batches),
      sent: Number(r.sent),
      failed: Number(r.failed),
      pending: Number(r.pending),
    });
  }
  return out;
}

export interface DeliveryPatch {
  title?: string;
  messages?: unknown[];
  audience?: unknown;
  status?: DeliveryStatus;
  scheduledAt?: Date | null;
  recurrence?: unknown | null;
}

/** Changes a draft or scheduled delivery; undefined when it has started (or was cancelled) meanwhile. */
export const updateEditable = (db: Executor, id: string, p: DeliveryPatch) =>
  db
    .updateTable('deliveries')
    .set({
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.messages !== undefined ? { messages: JSON.stringify(p.messages) } : {}),
      ...(p.audience !== undefined ? { audience: JSON.stringify(p.audience) } : {}),
      ...(p.status !== undefined ? { status: p.status } : {}),
      ...(p.scheduledAt !== undefined ? { scheduled_at: p.scheduledAt } : {}),
      ...(p.recurrence !== undefined
        ? { recurrence: p.recurrence === null ? null : JSON.stringify(p.recurrence) }
        : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', 'in', EDITABLE)
    .returningAll()
    .executeTakeFirst();

/**
 * Cancels a draft or scheduled delivery (and, for a series, its occurrences not yet started).
 * Undefined when it has started: the row lock makes a concurrent start and cancel end with one winner.
 */
export async function cancelEditable(db: Db, id: string) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('deliveries')
      .set({ status: 'cancelled', cancelled_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', EDITABLE)
      .returningAll()
      .executeTakeFirst();
    if (row?.recurrence) {
      await trx
        .updateTable('deliveries')
        .set({ status: 'cancelled', cancelled_at: new Date(), updated_at: new Date() })
        .where('series_id', '=', id)
        .where('status', 'in', EDITABLE)
        .execute();
    }
    return row;
  });
}

// ---- The pipeline -------------------------------------------------------------------------------

/** One due delivery (not a series), locked for this transaction; others skip it. */
export const lockDueDelivery = (trx: Transaction<Database>) =>
  trx
    .selectFrom('deliveries')
    // With its channel's environment: a test delivery on a production channel reaches test friends only.
    .innerJoin('channels', 'channels.id', 'deliveries.channel_id')
    .selectAll('deliveries')
    .select('channels.environment as channel_environment')
    .where('deliveries.status', '=', 'scheduled')
    .where('deliveries.scheduled_at', '<=', sql<Date>`now()`)
    .where('deliveries.recurrence', 'is', null)
    .orderBy('deliveries.scheduled_at')
    .limit(1)
    .forUpdate('deliveries')
    .skipLocked()
    .executeTakeFirst();

/** One due series (its next occurrence has come), locked for this transaction. */
export const lockDueSeries = (trx: Transaction<Database>) =>
  trx
    .selectFrom('deliveries')
    .selectAll()
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', sql<Date>`now()`)
    .where('recurrence', 'is not', null)
    .where('series_id', 'is', null)
    .orderBy('scheduled_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();

/** The occurrence of a series at `at` (once: unique on series and time). */
export const insertOccurrence = (trx: Transaction<Database>, series: DeliveryRow, at: Date) =>
  trx
    .insertInto('deliveries')
    .values({
      channel_id: series.channel_id,
      title: series.title,
      messages: JSON.stringify(series.messages),
      audience: JSON.stringify(series.audience),
      is_test: false,
      status: 'scheduled',
      scheduled_at: at,
      recurrence: null,
      series_id: series.id,
      created_by: series.created_by,
    })
    .onConflict((oc) =>
      oc.columns(['series_id', 'scheduled_at']).where('series_id', 'is not', null).doNothing(),
    )
    .execute();

export const advanceSeries = (trx: Transaction<Database>, id: string, next: Date | null) =>
  trx
    .updateTable('deliveries')
    .set(
      next
        ? { scheduled_at: next, updated_at: new Date() }
        : { status: 'sent', finished_at: new Date(), updated_at: new Date() },
    )
    .where('id', '=', id)
    .execute();

/**
 * Resolves the recipients into batches of ≤ 500 in ONE statement: row_number() over the audience,
 * batch_no = (n - 1) / 500, friend and user IDs aggregated in the same order, a new retry key per
 * batch (kept for every later attempt). Returns the number of recipients.
 */
export async function insertBatches(trx: Transaction<Database>, deliveryId: string, audience: AudienceQuery) {
  const r = await sql<{ recipients: string | null; batches: string }>`
    with inserted as (
      insert into delivery_batches (delivery_id, batch_no, retry_key, friend_ids, user_ids)
      select ${deliveryId}::uuid, a.batch_no, gen_random_uuid(),
             array_agg(a.friend_id order by a.n), array_agg(a.line_user_id order by a.n)
      from (
        select q.friend_id, q.line_user_id, n, (n - 1) / ${sql.lit(BATCH_SIZE)} as batch_no
        from (select r.friend_id, r.line_user_id, row_number() over () as n from (${audience}) as r) as q
      ) as a
      group by a.batch_no
      returning cardinality(user_ids) as size
    )
    select sum(size)::int as recipients, count(*)::int as batches from inserted
  `.execute(trx);
  return Number(r.rows[0]?.recipients ?? 0);
}

/**
 * scheduled → sending, with the resolved recipients (same transaction as the batches). started_at is
 * the transaction's start (when the delivery was taken), resolved_at the moment the batches were stored.
 */
export const markSending = (
  trx: Transaction<Database>,
  id: string,
  recipients: number,
  lineMessages: unknown[],
) =>
  trx
    .updateTable('deliveries')
    .set({
      status: 'sending',
      line_messages: JSON.stringify(lineMessages),
      started_at: sql<Date>`now()`,
      resolved_at: sql<Date>`clock_timestamp()`,
      recipients,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();

/** A delivery that could not start (e.g. its segment was deleted): failed, with the reason. */
export const markFailedAtStart = (trx: Transaction<Database>, id: string, error: string) =>
  trx
    .updateTable('deliveries')
    .set({
      status: 'failed',
      started_at: new Date(),
      finished_at: new Date(),
      recipients: 0,
      error,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();

/** The earliest time a scheduled delivery or series is due (for the worker's timer). */
export const nextScheduledAt = async (db: Db) =>
  (
    await db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('scheduled_at').as('at'))
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
  )?.at ?? null;

/** Deliveries being sent (a restarted worker continues them). */
export const sendingDeliveryIds = async (db: Db) =>
  (await db.selectFrom('deliveries').select('id').where('status', '=', 'sending').execute()).map((r) => r.id);

export interface PendingBatch {
  batch_no: number;
  retry_key: string;
  user_ids: string[];
  attempts: number;
}

export const pendingBatches = (db: Db, deliveryId: string, afterBatchNo: number, limit: number) =>
  db
    .selectFrom('delivery_batches')
    .select(['batch_no', 'retry_key', 'user_ids', 'attempts'])
    .where('delivery_id', '=', deliveryId)
    .where('status', '=', 'pending')
    .where('batch_no', '>', afterBatchNo)
    .orderBy('batch_no')
    .limit(limit)
    .execute() as Promise<PendingBatch[]>;

export const countAttempt = (db: Db, deliveryId: string, batchNo: number) =>
  db
    .updateTable('delivery_batches')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('delivery_id', '=', deliveryId)
    .where('batch_no', '=', batchNo)
    .execute();

/**
 * pending → sent or failed, and the delivery's counter raised by the batch's recipients, in one
 * statement: a batch finished twice (two workers, a retry) is counted once.
 */
export async function finishBatch(
  db: Db,
  deliveryId: string,
  batchNo: number,
  outcome: {
    status: 'sent' | 'failed';
    httpStatus: number | null;
    requestId: string | null;
    error: string | null;
  },
) {
  const counter = outcome.status === 'sent' ? sql.raw('sent') : sql.raw('failed');
  await sql`
    with b as (
      update delivery_batches
      set status = ${outcome.status}, http_status = ${outcome.httpStatus}, request_id = ${outcome.requestId},
          error = ${outcome.error}, sent_at = ${outcome.status === 'sent' ? sql`now()` : null}
      where delivery_id = ${deliveryId} and batch_no = ${batchNo} and status = 'pending'
      returning cardinality(user_ids) as size
    )
    update deliveries set ${counter} = ${counter} + (select size from b), updated_at = now()
    where id = ${deliveryId} and exists (select 1 from b)
  `.execute(db);
}

/** Fails every pending batch of a delivery (e.g. its channel is gone). */
export async function failPendingBatches(db: Db, deliveryId: string, error: string) {
  await sql`
    with b as (
      update delivery_batches set status = 'failed', error = ${error}
      where delivery_id = ${deliveryId} and status = 'pending'
      returning cardinality(user_ids) as size
    )
    update deliveries set failed = failed + (select coalesce(sum(size), 0) from b), updated_at = now()
    where id = ${deliveryId}
  `.execute(db);
}

/**
 * sending → sent (or failed when nothing was sent and something failed) once no batch is pending,
 * with the first batch error as the delivery's error. Returns the finished row, if it finished now.
 */
export const finishDelivery = (db: Db, id: string) =>
  db
    .updateTable('deliveries')
    .set({
      status: sql<DeliveryStatus>`case when sent = 0 and failed > 0 then 'failed' else 'sent' end`,
      finished_at: new Date(),
      updated_at: new Date(),
      error: sql<string | null>`case when failed > 0 then coalesce(error, (
        select 'バッチ ' || batch_no || ': ' || coalesce(http_status::text || ' ', '') || coalesce(b.error, '')
        from delivery_batches b where b.delivery_id = deliveries.id and b.status = 'failed'
        order by batch_no limit 1)) else error end`,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('delivery_batches')
            .select(sql`1`.as('one'))
            .where('delivery_id', '=', id)
            .where('status', '=', 'pending'),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();

/** Stores a delivery's counted links (a position keeps its first token; its URL is refreshed). */
export const upsertDeliveryLinks = (
  db: Db,
  rows: { delivery_id: string; position: number; url: string; token: string }[],
) =>
  db
    .insertInto('delivery_links')
    .values(rows)
    .onConflict((oc) => oc.columns(['delivery_id', 'position']).doUpdateSet({ url: sql`excluded.url` }))
    .returning(['position', 'token'])
    .execute();

export const findLinkByToken = (db: Db, token: string) =>
  db.selectFrom('delivery_links').select(['id', 'url']).where('token', '=', token).executeTakeFirst();

/** One click: the link and the time, nothing else. */
export async function insertClick(db: Db, linkId: string): Promise<void> {
  await db.insertInto('delivery_clicks').values({ link_id: linkId }).execute();
}

// Session advisory locks of the delivery sender: one sender per delivery across processes. They
// live on one held connection (`conn`), not the pool. Two-key form: namespace, hash of the ID.
const LOCK_NAMESPACE = 0x4d_44_4c; // "MDL"

export async function tryLockDelivery(conn: Kysely<Database>, deliveryId: string): Promise<boolean> {
  const got = await sql<{ ok: boolean }>`
    select pg_try_advisory_lock(${LOCK_NAMESPACE}, hashtext(${deliveryId})) as ok`.execute(conn);
  return !!got.rows[0]?.ok;
}

export async function unlockDelivery(conn: Kysely<Database>, deliveryId: string): Promise<void> {
  await sql`select pg_advisory_unlock(${LOCK_NAMESPACE}, hashtext(${deliveryId}))`.execute(conn);
}

/** Drops every advisory lock the connection holds (before it goes back to the pool). */
export async function unlockAll(conn: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_unlock_all()`.execute(conn);
}

/** Titles of the deliveries among `ids` (public read API). */
export const deliveryTitles = (db: Db, ids: string[]) =>
  db.selectFrom('deliveries').select(['id', 'title as name']).where('id', 'in', ids).execute();

/** Monitoring (O-03): deliveries sending now, and scheduled ones overdue (due but not started). */
export async function deliveryFigures(db: Db) {
  const r = await db
    .selectFrom('deliveries')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('status', '=', 'sending').as('sending'),
      eb.fn.min('scheduled_at').filterWhere('status', '=', 'scheduled').as('oldest_due'),
    ])
    .where((eb) =>
      eb.or([
        eb('status', '=', 'sending'),
        eb.and([eb('status', '=', 'scheduled'), eb('scheduled_at', '<=', sql<Date>`now()`)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return { sending: Number(r.sending), oldestDue: r.oldest_due as Date | null };
}
