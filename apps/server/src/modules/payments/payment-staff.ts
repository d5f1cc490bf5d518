import type {
  PaymentDetailView,
  PaymentPage,
  PaymentView,
  WebhookEventView,
} from '@madoguchi/contracts/payments.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import {
  findPayment,
  findRefundOfPayment,
  listPayments,
  listWebhookEvents,
  type PaymentRow,
  type RefundRow,
  type WebhookEventSummary,
} from './payments.repository.ts';
import type { PaymentListQuery } from './payments.schema.ts';

// What staff see of payments (the console's 決済 page): the list, one payment with its refund and
// webhook events, and the webhook events (e.g. those for no payment of ours).

const iso = (d: Date | null) => (d ? d.toISOString() : null);
// A day in Tokyo as the instant it starts.
export const tokyoDayStart = (day: string) => new Date(`${day}T00:00:00+09:00`);

export function paymentView(p: PaymentRow, r: RefundRow | null): PaymentView {
  return {
    id: p.id,
    purpose: p.purpose,
    ref: p.ref,
    description: p.description,
    lines: p.lines,
    amount: p.amount,
    currency: p.currency,
    provider: p.provider,
    providerRef: p.provider_ref,
    status: p.status,
    flag: p.flag,
    providerAmount: p.provider_amount,
    lastError: p.last_error,
    createdAt: p.created_at.toISOString(),
    paidAt: iso(p.paid_at),
    closedAt: iso(p.closed_at),
    refund: r
      ? {
          status: r.status,
          amount: r.amount,
          reason: r.reason,
          lastError: r.last_error,
          createdAt: r.created_at.toISOString(),
          succeededAt: iso(r.succeeded_at),
        }
      : null,
  };
}

export const webhookEventView = (e: WebhookEventSummary): WebhookEventView => ({
  id: e.id,
  provider: e.provider,
  eventId: e.event_id,
  type: e.type,
  paymentId: e.payment_id,
  state: e.state,
  attempts: e.attempts,
  lastError: e.last_error,
  receivedAt: e.received_at.toISOString(),
  processedAt: iso(e.processed_at),
});

export async function paymentList(db: Db, q: PaymentListQuery): Promise<PaymentPage> {
  let before: { createdAt: Date; id: string } | undefined;
  if (q.before) {
    const [at, id] = q.before.split('_') as [string, string];
    before = { createdAt: new Date(at), id };
  }
  const rows = await listPayments(db, {
    status: q.status,
    purpose: q.purpose,
    ref: q.ref,
    flagged: q.flagged,
    from: q.from ? tokyoDayStart(q.from) : undefined,
    to: q.to ? new Date(tokyoDayStart(q.to).getTime() + 86_400_000) : undefined,
    before,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const items: PaymentView[] = [];
  for (const p of page)
    items.push(paymentView(p, p.status === 'pending' ? null : await findRefundOfPayment(db, p.id)));
  const last = page[page.length - 1];
  return {
    items,
    next: rows.length > q.limit && last ? `${last.created_at.toISOString()}_${last.id}` : null,
  };
}

export async function paymentDetail(db: Db, paymentId: string): Promise<PaymentDetailView> {
  const p = await findPayment(db, paymentId);
  if (!p) throw notFound('支払い');
  const events = await listWebhookEvents(db, { paymentId, limit: 100 });
  return { ...paymentView(p, await findRefundOfPayment(db, p.id)), events: events.map(webhookEventView) };
}

export async function webhookEventList(
  db: Db,
  q: { state?: WebhookEventSummary['state'] | undefined; limit: number },
): Promise<WebhookEventView[]> {
  const rows = await listWebhookEvents(db, { ...(q.state ? { state: q.state } : {}), limit: q.limit });
  return rows.map(webhookEventView);
}
