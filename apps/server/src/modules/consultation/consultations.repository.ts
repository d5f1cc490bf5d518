import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ConsultationMessagesTable, Database } from '../../db/schema.ts';
import { REALTIME_CHANNEL } from '../../platform/realtime.ts';

type Tx = Db | Transaction<Database>;

export async function upsertLineConsultee(db: Tx, channelId: string, lineUserId: string, label: string) {
  const found = await db
    .selectFrom('consultees')
    .select(['id', 'label'])
    .where('channel_id', '=', channelId)
    .where('line_user_id', '=', lineUserId)
    .executeTakeFirst();
  if (found) return found;
  return db
    .insertInto('consultees')
    .values({ channel_id: channelId, line_user_id: lineUserId, label })
    .onConflict((oc) => oc.columns(['channel_id', 'line_user_id']).doUpdateSet({ label }))
    .returning(['id', 'label'])
    .executeTakeFirstOrThrow();
}

export const insertWebConsultee = (db: Tx, tokenHash: string, label: string) =>
  db
    .insertInto('consultees')
    .values({ web_token_hash: tokenHash, label })
    .returning(['id', 'label'])
    .executeTakeFirstOrThrow();

export const findConsulteeByWebToken = (db: Tx, tokenHash: string) =>
  db
    .selectFrom('consultees')
    .select(['id', 'label'])
    .where('web_token_hash', '=', tokenHash)
    .executeTakeFirst();

export const findConsultee = (db: Tx, id: string) =>
  db.selectFrom('consultees').selectAll().where('id', '=', id).executeTakeFirst();

export const findOpenConsultation = (db: Tx, consulteeId: string, deskId: string) =>
  db
    .selectFrom('consultations')
    .select(['id'])
    .where('consultee_id', '=', consulteeId)
    .where('desk_id', '=', deskId)
    .where('status', '!=', 'closed')
    .executeTakeFirst();

export const insertConsultation = (
  db: Tx,
  c: {
    deskId: string;
    consulteeId: string;
    origin: 'line' | 'web';
    status: 'waiting' | 'active';
    dataKeyEnc: Buffer;
    counselorId?: string | null;
  },
) =>
  db
    .insertInto('consultations')
    .values({
      desk_id: c.deskId,
      consultee_id: c.consulteeId,
      origin: c.origin,
      status: c.status,
      data_key_enc: c.dataKeyEnc,
      counselor_id: c.counselorId ?? null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();

/** Consultations with their desk, counselor and consultee label. */
export const consultationQuery = (db: Tx) =>
  db
    .selectFrom('consultations as c')
    .innerJoin('desks as d', 'd.id', 'c.desk_id')
    .innerJoin('consultees as p', 'p.id', 'c.consultee_id')
    .leftJoin('staff_accounts as a', 'a.id', 'c.counselor_id')
    .selectAll('c')
    .select([
      'd.name as desk_name',
      'd.slug as desk_slug',
      'd.channel_id as desk_channel_id',
      'p.label as consultee_label',
      'p.line_user_id',
      'p.channel_id as consultee_channel_id',
      'a.display_name as counselor_name',
    ]);

export type ConsultationRow = Awaited<
  ReturnType<ReturnType<typeof consultationQuery>['executeTakeFirstOrThrow']>
>;

export const findConsultationRow = (db: Tx, id: string) =>
  consultationQuery(db).where('c.id', '=', id).executeTakeFirst();

export async function updateConsultationRow(
  db: Tx,
  id: string,
  patch: Partial<{
    status: 'waiting' | 'active' | 'closed';
    counselor_id: string | null;
    desk_id: string;
    first_reply_at: Date;
    last_message_at: Date;
    closed_at: Date;
    closed_by: string;
    risk_flagged_at: Date;
    history_confirmed_at: Date | null;
    history_confirmed_by: string | null;
    out_of_hours_replied_at: Date;
    line_notified_at: Date;
  }>,
) {
  await db.updateTable('consultations').set(patch).where('id', '=', id).execute();
}

/**
 * Gives the consultation to `counselorId` only if it is still open and still assigned to `expected`
 * (null: unassigned), in one statement: two counselors pressing 対応する at once cannot both win, and
 * a takeover cannot overwrite a hand-over that happened a moment before. Returns false when it moved.
 */
export async function claimConsultation(
  db: Tx,
  id: string,
  counselorId: string,
  expected: string | null,
  historyConfirmedAt: Date | null,
): Promise<boolean> {
  const r = await db
    .updateTable('consultations')
    .set({
      counselor_id: counselorId,
      status: 'active',
      history_confirmed_at: historyConfirmedAt,
      history_confirmed_by: historyConfirmedAt ? counselorId : null,
    })
    .where('id', '=', id)
    .where('status', '!=', 'closed')
    .where((eb) => (expected === null ? eb('counselor_id', 'is', null) : eb('counselor_id', '=', expected)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The consultee has a consultation at one of these desks (undefined: at any desk). */
export async function consulteeSeenAt(db: Tx, consulteeId: string, deskIds: string[] | undefined) {
  let q = db.selectFrom('consultations').select('id').where('consultee_id', '=', consulteeId);
  if (deskIds) {
    if (!deskIds.length) return false;
    q = q.where('desk_id', 'in', deskIds);
  }
  return !!(await q.limit(1).executeTakeFirst());
}

/** A staff account as a transfer target: whether it is enabled and what its role allows. */
export async function countActiveFor(db: Tx, counselorId: string): Promise<number> {
  const r = await db
    .selectFrom('consultations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('counselor_id', '=', counselorId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Stores a message once per (consultation, clientId) and returns the stored row either way. A new
 * message also moves the consultation's last_message_at (and first_reply_at for a counselor's first
 * reply) and announces itself on the realtime channel — one statement, one transaction, so the event
 * is sent exactly when the message is committed.
 */
export async function insertMessageOnce(
  db: Tx,
  m: {
    consultationId: string;
    sender: 'consultee' | 'counselor' | 'system';
    kind: 'text' | 'note';
    accountId: string | null;
    clientId: string | null;
    bodyEnc: Buffer;
    /** Moves last_message_at ('last'), and first_reply_at too ('reply'). */
    touch: 'none' | 'last' | 'reply';
    /** The counselor the consultation is assigned to, carried by the event. */
    assignee: string | null;
  },
): Promise<{ row: Selectable<ConsultationMessagesTable>; created: boolean }> {
  const { rows } = await sql<Selectable<ConsultationMessagesTable>>`
    with ins as (
      insert into consultation_messages (consultation_id, sender, kind, account_id, client_id, body_enc)
      values (${m.consultationId}, ${m.sender}, ${m.kind}, ${m.accountId}, ${m.clientId}, ${m.bodyEnc})
      on conflict (consultation_id, client_id) where client_id is not null do nothing
      returning *
    ), touched as (
      update consultations c
      set last_message_at = ins.created_at,
          first_reply_at = case when ${m.touch === 'reply'} then coalesce(c.first_reply_at, ins.created_at)
                           else c.first_reply_at end
      from ins
      where c.id = ins.consultation_id and ${m.touch !== 'none'}
    ), notified as (
      select pg_notify(${REALTIME_CHANNEL}, json_build_object(
        't', 'msg', 'c', ins.consultation_id, 'm', ins.id::text, 's', ins.sender, 'k', ins.kind,
        'a', ${m.assignee}::text)::text)
      from ins
    )
    select ins.* from ins, notified
  `.execute(db);
  if (rows[0]) return { row: rows[0], created: true };
  const existing = await db
    .selectFrom('consultation_messages')
    .selectAll()
    .where('consultation_id', '=', m.consultationId)
    .where('client_id', '=', m.clientId)
    .executeTakeFirstOrThrow();
  return { row: existing, created: false };
}

export const messageQuery = (db: Tx) =>
  db
    .selectFrom('consultation_messages as m')
    .leftJoin('staff_accounts as a', 'a.id', 'm.account_id')
    .selectAll('m')
    .select('a.display_name as account_name');

export type MessageRow = Awaited<ReturnType<ReturnType<typeof messageQuery>['executeTakeFirstOrThrow']>>;

export function listMessageRows(
  db: Tx,
  consultationId: string,
  opts: { afterId?: string | null; includeNotes: boolean },
) {
  let q = messageQuery(db).where('m.consultation_id', '=', consultationId).orderBy('m.id');
  if (opts.afterId) q = q.where('m.id', '>', opts.afterId);
  if (!opts.includeNotes) q = q.where('m.kind', '=', 'text');
  return q.execute();
}

export const findMessageRow = (db: Tx, id: string) =>
  messageQuery(db).where('m.id', '=', id).executeTakeFirst();

export const pastConsultationRows = (db: Tx, consulteeId: string, exceptId: string) =>
  consultationQuery(db)
    .where('c.consultee_id', '=', consulteeId)
    .where('c.id', '!=', exceptId)
    .orderBy('c.opened_at', 'desc')
    .limit(50)
    .execute();

export const findRecordRow = (db: Tx, consultationId: string) =>
  db
    .selectFrom('consultation_records')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();

export async function upsertRecordRow(
  db: Tx,
  consultationId: string,
  valuesEnc: Buffer,
  accountId: string,
  missingReason?: string | null,
) {
  await db
    .insertInto('consultation_records')
    .values({
      consultation_id: consultationId,
      values_enc: valuesEnc,
      updated_by: accountId,
      missing_reason: missingReason ?? null,
    })
    .onConflict((oc) =>
      oc.column('consultation_id').doUpdateSet({
        values_enc: valuesEnc,
        updated_by: accountId,
        updated_at: sql`now()`,
        ...(missingReason !== undefined ? { missing_reason: missingReason } : {}),
      }),
    )
    .execute();
}

export interface ConsultationFilter {
  status?: 'waiting' | 'active' | 'closed' | undefined;
  deskIds?: string[] | undefined;
  counselorId?: string | undefined;
  limit: number;
}

export function listConsultationRows(db: Tx, f: ConsultationFilter) {
  let q = consultationQuery(db).orderBy('c.opened_at', 'desc').limit(f.limit);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.deskIds) q = f.deskIds.length ? q.where('c.desk_id', 'in', f.deskIds) : q.where(sql<boolean>`false`);
  if (f.counselorId) q = q.where('c.counselor_id', '=', f.counselorId);
  return q.execute();
}

/** The sealed data key of a consultation. */
export const findDataKeyEnc = async (db: Tx, id: string) =>
  (await db.selectFrom('consultations').select('data_key_enc').where('id', '=', id).executeTakeFirstOrThrow())
    .data_key_enc;

/** Consultations opened in [from, to) (optionally of one desk) with their records, oldest first. */
export function listConsultationsWithRecords(
  db: Tx,
  q: { from: Date; to: Date; deskId?: string | undefined },
) {
  let query = consultationQuery(db)
    .leftJoin('consultation_records as r', 'r.consultation_id', 'c.id')
    .select(['r.values_enc', 'r.missing_reason'])
    .where('c.opened_at', '>=', q.from)
    .where('c.opened_at', '<', q.to)
    .orderBy('c.opened_at');
  if (q.deskId) query = query.where('c.desk_id', '=', q.deskId);
  return query.execute();
}

/** Monitoring (O-03): open consultations by desk and status, and the oldest waiting one's opening. */
export async function openConsultationFigures(db: Tx) {
  return db
    .selectFrom('consultations')
    .select((eb) => [
      'desk_id',
      'status',
      eb.fn.countAll<string>().as('count'),
      eb.fn.min('opened_at').as('oldest'),
    ])
    .where('status', 'in', ['waiting', 'active'])
    .groupBy(['desk_id', 'status'])
    .execute();
}
