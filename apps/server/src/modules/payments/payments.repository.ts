import { type Insertable, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  Database,
  PaymentRefundsTable,
  PaymentsTable,
  PaymentWebhookEventsTable,
} from '../../db/schema.ts';

// SQL of the payments module (payments, payment_refunds, payment_webhook_events).

type Q = Db | Transaction<Database>;
export type PaymentRow = Selectable<PaymentsTable>;
export type RefundRow = Selectable<PaymentRefundsTable>;
export type WebhookEventRow = Selectable<PaymentWebhookEventsTable>;

/** Inserts a pending payment; null when (purpose, ref) already has an open one. */
export async function insertPayment(db: Q, row: Insertable<PaymentsTable>): Promise<PaymentRow | null> {
  const inserted = await db
    .insertInto('payments')
    .values(row)
    .onConflict((oc) => oc.columns(['purpose', 'ref']).where('status', '=', 'pending').doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ?? null;
}

export async function findOpenPayment(db: Q, purpose: string, ref: string): Promise<PaymentRow | null> {
  const row = await db
    .selectFrom('payments')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('ref', '=', ref)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row ?? null;
}

/** Whether any payment of `purpose` exists (the demo seeds its payments once). */
export async function hasPaymentsOf(db: Q, purpose: string): Promise<boolean> {
  const row = await db
    .selectFrom('payments')
    .select('id')
    .where('purpose', '=', purpose)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findPayment(db: Q, id: string): Promise<PaymentRow | null> {
  return (await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The payment, locked until the transaction ends (one transition at a time). */
export async function lockPayment(trx: Transaction<Database>, id: string): Promise<PaymentRow | null> {
  return (
    (await trx.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null
  );
}

export async function findPaymentByProviderRef(
  db: Q,
  provider: string,
  providerRef: string,
): Promise<PaymentRow | null> {
  return (
    (await db
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', provider)
      .where('provider_ref', '=', providerRef)
      .executeTakeFirst()) ?? null
  );
}

export async function findPaymentByPaymentRef(
  db: Q,
  provider: string,
  providerPaymentRef: string,
): Promise<PaymentRow | null> {
  return (
    (await db
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', provider)
      .where('provider_payment_ref', '=', providerPaymentRef)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null
  );
}

export async function updatePayment(db: Q, id: string, values: Updateable<PaymentsTable>): Promise<void> {
  await db
    .updateTable('payments')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export interface PaymentListFilter {
  status?: PaymentRow['status'] | undefined;
  purpose?: string | undefined;
  ref?: string | undefined;
  flagged?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: rows created before this (created_at, id). */
  before?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

export async function listPayments(db: Q, f: PaymentListFilter): Promise<PaymentRow[]> {
  let q = db.selectFrom('payments').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.purpose) q = q.where('purpose', '=', f.purpose);
  if (f.ref) q = q.where('ref', '=', f.ref);
  if (f.flagged) q = q.where('flag', 'is not', null);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<', f.to);
  if (f.before) {
    const b = f.before;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', b.createdAt),
        eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
      ]),
    );
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

/** Pending payments with a checkout, created (and last checked) before `before`: the reconciler's. */
export async function stalePendingPayments(db: Q, before: Date, limit: number): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('status', '=', 'pending')
    .where('provider_ref', 'is not', null)
    .where('created_at', '<', before)
    .where((eb) => eb.or([eb('checked_at', 'is', null), eb('checked_at', '<', before)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

// ---- refunds

export async function insertRefund(db: Q, row: Insertable<PaymentRefundsTable>): Promise<RefundRow | null> {
  return (
    (await db
      .insertInto('payment_refunds')
      .values(row)
      .onConflict((oc) => oc.column('payment_id').doNothing())
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

export async function findRefundOfPayment(db: Q, paymentId: string): Promise<RefundRow | null> {
  return (
    (await db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .executeTakeFirst()) ?? null
  );
}

export async function lockRefundOfPayment(
  trx: Transaction<Database>,
  paymentId: string,
): Promise<RefundRow | null> {
  return (
    (await trx
      .selectFrom('payment_refunds')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

export async function updateRefund(
  db: Q,
  id: string,
  values: Updateable<PaymentRefundsTable>,
): Promise<void> {
  await db
    .updateTable('payment_refunds')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Refunds not yet settled, last touched before `before` (retried by the reconciler). */
export async function openRefunds(db: Q, before: Date, limit: number): Promise<RefundRow[]> {
  return db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('status', 'in', ['requested', 'pending'])
    .where('updated_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

// ---- webhook events

/** Records an accepted event; null when this provider event ID was recorded before. */
export async function insertWebhookEvent(
  db: Q,
  row: Insertable<PaymentWebhookEventsTable>,
): Promise<WebhookEventRow | null> {
  return (
    (await db
      .insertInto('payment_webhook_events')
      .values(row)
      .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

export async function findWebhookEvent(
  db: Q,
  provider: string,
  eventId: string,
): Promise<WebhookEventRow | null> {
  return (
    (await db
      .selectFrom('payment_webhook_events')
      .selectAll()
      .where('provider', '=', provider)
      .where('event_id', '=', eventId)
      .executeTakeFirst()) ?? null
  );
}

export async function lockWebhookEvent(
  trx: Transaction<Database>,
  id: string,
): Promise<WebhookEventRow | null> {
  return (
    (await trx
      .selectFrom('payment_webhook_events')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

export async function updateWebhookEvent(
  db: Q,
  id: string,
  values: Updateable<PaymentWebhookEventsTable>,
): Promise<void> {
  await db.updateTable('payment_webhook_events').set(values).where('id', '=', id).execute();
}

/** Events whose processing failed or never finished (retried from their stored body). */
export async function unfinishedWebhookEvents(
  db: Q,
  before: Date,
  limit: number,
): Promise<WebhookEventRow[]> {
  return db
    .selectFrom('payment_webhook_events')
    .selectAll()
    .where('state', 'in', ['received', 'failed'])
    .where('received_at', '<', before)
    .where('attempts', '<', 20)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type WebhookEventSummary = Omit<WebhookEventRow, 'payload_enc'>;

export async function listWebhookEvents(
  db: Q,
  f: { paymentId?: string; state?: WebhookEventRow['state']; limit: number },
): Promise<WebhookEventSummary[]> {
  let q = db
    .selectFrom('payment_webhook_events')
    .select([
      'id',
      'provider',
      'event_id',
      'type',
      'payment_id',
      'state',
      'attempts',
      'last_error',
      'received_at',
      'processed_at',
    ]);
  if (f.paymentId) q = q.where('payment_id', '=', f.paymentId);
  if (f.state) q = q.where('state', '=', f.state);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

// ---- reconciliation export

export interface ReconciliationRow {
  kind: 'payment' | 'refund';
  at: Date;
  payment_id: string;
  purpose: string;
  ref: string;
  description: string;
  lines: PaymentRow['lines'];
  amount: number;
  currency: string;
  provider: string;
  provider_ref: string | null;
  provider_payment_ref: string | null;
  status: string;
  flag: string | null;
  refund_ref: string | null;
}

/**
 * One page of the day's money movements, oldest first: payments paid (or refunded after being paid)
 * in [from, to) by paid_at, and refunds succeeded in [from, to). `after` is the previous page's last
 * (at, kind, payment_id).
 */
export async function reconciliationPage(
  db: Q,
  range: { from: Date; to: Date },
  after: { at: Date; kind: string; paymentId: string } | null,
  limit: number,
): Promise<ReconciliationRow[]> {
  const rows = await sql<ReconciliationRow>`
    select * from (
      select 'payment' as kind, p.paid_at as at, p.id as payment_id, p.purpose, p.ref, p.description,
             p.lines, p.amount, p.currency, p.provider, p.provider_ref, p.provider_payment_ref,
             p.status, p.flag, null::text as refund_ref
        from payments p
       where p.paid_at >= ${range.from} and p.paid_at < ${range.to}
      union all
      select 'refund' as kind, r.succeeded_at as at, p.id, p.purpose, p.ref, p.description,
             p.lines, -r.amount, p.currency, p.provider, p.provider_ref, p.provider_payment_ref,
             r.status, p.flag, r.provider_ref
        from payment_refunds r join payments p on p.id = r.payment_id
       where r.status = 'succeeded' and r.succeeded_at >= ${range.from} and r.succeeded_at < ${range.to}
    ) m
    where ${after === null ? sql`true` : sql`(m.at, m.kind, m.payment_id) > (${after.at}, ${after.kind}, ${after.paymentId}::uuid)`}
    order by m.at, m.kind, m.payment_id
    limit ${limit}
  `.execute(db);
  return rows.rows;
}
