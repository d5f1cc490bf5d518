import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  Database,
  MailAddressesTable,
  MailMessageStatus,
  MailMessagesTable,
  MailRulesTable,
} from '../../db/schema.ts';

// All SQL of the mail bridge (issue 14): mail_addresses, mail_rules, mail_messages.

type Tx = Db | Transaction<Database>;
export type MailAddressRow = Selectable<MailAddressesTable>;
export type MailRuleRow = Selectable<MailRulesTable>;
export type MailMessageRow = Selectable<MailMessagesTable>;

// ---- addresses ----

export const insertAddress = (db: Tx, v: Insertable<MailAddressesTable>) =>
  db
    .insertInto('mail_addresses')
    .values(v)
    .onConflict((oc) => oc.column('address').doNothing())
    .returningAll()
    .executeTakeFirst();

export const updateAddress = (
  db: Tx,
  id: string,
  v: Partial<Omit<MailAddressRow, 'id' | 'channel_id' | 'address' | 'created_at' | 'updated_at'>>,
) =>
  db
    .updateTable('mail_addresses')
    .set({ ...v, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

export const deleteAddress = (db: Tx, id: string) =>
  db.deleteFrom('mail_addresses').where('id', '=', id).executeTakeFirst();

export const findAddress = (db: Tx, id: string) =>
  db.selectFrom('mail_addresses').selectAll().where('id', '=', id).executeTakeFirst();

export const findAddressByName = (db: Tx, address: string) =>
  db.selectFrom('mail_addresses').selectAll().where('address', '=', address).executeTakeFirst();

export const listAddresses = (db: Tx, channelId: string) =>
  db
    .selectFrom('mail_addresses')
    .selectAll()
    .where('channel_id', '=', channelId)
    .orderBy('address')
    .execute();

/**
 * Claims the addresses polled by IMAP whose interval is over (enabled, with a host): their polled
 * time is set now, in one statement, so that two workers never read the same mailbox at once.
 */
export const claimPollableAddresses = (db: Tx) =>
  db
    .updateTable('mail_addresses')
    .set({ imap_polled_at: sql<Date>`now()` })
    .where('enabled', '=', true)
    .where('imap_host', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('imap_polled_at', 'is', null),
        eb('imap_polled_at', '<=', sql<Date>`now() - make_interval(secs => imap_interval_s)`),
      ]),
    )
    .returningAll()
    .execute();

export const setImapError = (db: Tx, id: string, error: string | null) =>
  db.updateTable('mail_addresses').set({ imap_error: error }).where('id', '=', id).execute();

// ---- rules ----

export const listRules = (db: Tx, addressId: string) =>
  db
    .selectFrom('mail_rules')
    .selectAll()
    .where('address_id', '=', addressId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();

export const findRule = (db: Tx, id: string) =>
  db.selectFrom('mail_rules').selectAll().where('id', '=', id).executeTakeFirst();

export const insertRule = (
  db: Tx,
  v: { addressId: string; name: string; enabled: boolean; definition: unknown },
) =>
  db
    .insertInto('mail_rules')
    .values((eb) => ({
      address_id: v.addressId,
      name: v.name,
      enabled: v.enabled,
      definition: JSON.stringify(v.definition),
      position: eb
        .selectFrom('mail_rules')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
        .where('address_id', '=', v.addressId),
    }))
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateRule = (
  db: Tx,
  id: string,
  v: { name?: string | undefined; enabled?: boolean | undefined; definition?: unknown },
) =>
  db
    .updateTable('mail_rules')
    .set({
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.enabled !== undefined ? { enabled: v.enabled } : {}),
      ...(v.definition !== undefined ? { definition: JSON.stringify(v.definition) } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

export const deleteRule = (db: Tx, id: string) =>
  db.deleteFrom('mail_rules').where('id', '=', id).executeTakeFirst();

/** Positions 1 … n in the order given (the caller checked the IDs are exactly the address's rules). */
export const reorderRules = (trx: Transaction<Database>, addressId: string, ruleIds: string[]) =>
  sql`
    update mail_rules r set position = o.n, updated_at = now()
    from unnest(${ruleIds}::uuid[]) with ordinality as o(id, n)
    where r.id = o.id and r.address_id = ${addressId}
  `.execute(trx);

// ---- messages ----

/**
 * Stores an accepted mail for one address (in the SMTP DATA transaction, before the 250). The first
 * copy of a Message-ID at the address is the original (status received, raw sealed); a later copy is
 * a duplicate row pointing at it (no raw kept twice), never processed.
 */
export async function insertAccepted(
  trx: Transaction<Database>,
  v: Omit<Insertable<MailMessagesTable>, 'status' | 'duplicate_of'> & { message_id: string },
): Promise<{ id: string; duplicateOf: string | null }> {
  const original = await trx
    .insertInto('mail_messages')
    .values({ ...v, status: 'received' })
    .onConflict((oc) =>
      oc
        .columns(['address_id', 'message_id'])
        .where('duplicate_of', 'is', null)
        .where('status', '<>', 'refused')
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (original) return { id: original.id, duplicateOf: null };
  const first = await trx
    .selectFrom('mail_messages')
    .select('id')
    .where('address_id', '=', v.address_id!)
    .where('message_id', '=', v.message_id)
    .where('duplicate_of', 'is', null)
    .where('status', '<>', 'refused')
    .executeTakeFirstOrThrow();
  const dup = await trx
    .insertInto('mail_messages')
    .values({
      ...v,
      raw_enc: null,
      status: 'duplicate',
      status_reason: '同じ Message-ID のメールを受信済みです（配信しません）',
      duplicate_of: first.id,
      processed_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: dup.id, duplicateOf: first.id };
}

/**
 * A refusal, counted in one row per (address, sender, hour): a flood of refused mails adds a row
 * per hour and sender, not per mail (received_at: the first of the hour, processed_at: the latest).
 */
export const insertRefused = (
  db: Tx,
  v: Pick<Insertable<MailMessagesTable>, 'address_id' | 'recipient' | 'from_address' | 'remote_ip'> & {
    reason: string;
  },
) =>
  db
    .insertInto('mail_messages')
    .values({
      address_id: v.address_id,
      recipient: v.recipient,
      from_address: v.from_address,
      remote_ip: v.remote_ip,
      status: 'refused',
      status_reason: v.reason,
      refused_hour: sql<Date>`date_trunc('hour', now())`,
      processed_at: sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc
        .columns(['address_id', 'from_address', 'refused_hour'])
        .where('status', '=', 'refused')
        .doUpdateSet((eb) => ({
          refused_count: sql<number>`mail_messages.refused_count + 1`,
          status_reason: eb.ref('excluded.status_reason'),
          remote_ip: eb.ref('excluded.remote_ip'),
          processed_at: sql<Date>`now()`,
        })),
    )
    .execute();

/** Refusal rows older than `days` go (the sweep): the log stays bounded in time too. */
export const pruneRefused = (db: Tx, days: number) =>
  db
    .deleteFrom('mail_messages')
    .where('status', '=', 'refused')
    .where('received_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();

/** The oldest mail waiting to be processed, locked (workers side by side skip it). */
export const lockDueMessage = (trx: Transaction<Database>) =>
  trx
    .selectFrom('mail_messages')
    .selectAll()
    .where('status', '=', 'received')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', sql<Date>`now()`)]))
    .orderBy('received_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();

export const setOutcome = (
  db: Tx,
  id: string,
  v: {
    status: MailMessageStatus;
    reason: string | null;
    ruleId?: string | null;
    deliveryId?: string | null;
    subjectEnc?: string | null;
  },
) =>
  db
    .updateTable('mail_messages')
    .set({
      status: v.status,
      status_reason: v.reason,
      processed_at: sql<Date>`now()`,
      ...(v.ruleId !== undefined ? { rule_id: v.ruleId } : {}),
      ...(v.deliveryId !== undefined ? { delivery_id: v.deliveryId } : {}),
      ...(v.subjectEnc !== undefined ? { subject_enc: v.subjectEnc } : {}),
    })
    .where('id', '=', id)
    .execute();

export const lockMessage = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('mail_messages').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/**
 * A processing attempt that failed (rolled back): counted, and retried after `baseMs` × 4^(attempts)
 * (next_attempt_at; the sweep picks it up then); failed for good after `max`. The reason is shown.
 */
export const countFailedAttempt = (db: Tx, id: string, max: number, baseMs: number, error: string) =>
  db
    .updateTable('mail_messages')
    .set({
      attempts: sql<number>`attempts + 1`,
      status: sql<MailMessageStatus>`case when attempts + 1 >= ${max} then 'failed' else status end`,
      status_reason: sql<string>`case when attempts + 1 >= ${max}
        then ${`処理に失敗しました: ${error}`.slice(0, 500)}
        else ${`処理に失敗しました（再試行します）: ${error}`.slice(0, 500)} end`,
      next_attempt_at: sql<Date>`case when attempts + 1 >= ${max} then null
        else now() + make_interval(secs => ${baseMs / 1000}::double precision * power(4, attempts)) end`,
      processed_at: sql<Date>`case when attempts + 1 >= ${max} then now() else processed_at end`,
    })
    .where('id', '=', id)
    .where('status', '=', 'received')
    .execute();

export const setDisasterResult = (db: Tx, id: string, result: string) =>
  db.updateTable('mail_messages').set({ disaster_result: result }).where('id', '=', id).execute();

export const findMessage = (db: Tx, id: string) =>
  db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();

export const listMessages = (
  db: Tx,
  q: { addressId: string; status?: MailMessageStatus | undefined; limit: number },
) =>
  db
    .selectFrom('mail_messages')
    .selectAll()
    .where('address_id', '=', q.addressId)
    .$if(q.status !== undefined, (qb) => qb.where('status', '=', q.status!))
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(q.limit)
    .execute();

/** Monitoring (O-03): received mails of the last 24 hours by status, and the oldest still to process. */
export async function mailMessageFigures(db: Db) {
  const [byStatus, waiting] = await Promise.all([
    db
      .selectFrom('mail_messages')
      .select((eb) => ['status', eb.fn.countAll<string>().as('count')])
      .where('received_at', '>', sql<Date>`now() - interval '24 hours'`)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('mail_messages')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('received_at').as('oldest')])
      .where('status', '=', 'received')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    lastDay: byStatus.map((r) => ({ status: r.status as MailMessageStatus, count: Number(r.count) })),
    waiting: Number(waiting.count),
    oldestWaiting: waiting.oldest as Date | null,
  };
}
