import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { listWebhookEvents } from './payments.repository.ts';
import {
  onPaymentChange,
  reconcilePayments,
  refreshPayment,
  refundPayment,
  startPayment,
} from './payments.service.ts';
import { type PaymentWorld, startPaymentWorld, TEST_STRIPE } from './testing/payment-world.ts';

// Payments against the Stripe stand-in, through the real Stripe SDK, real HTTP and PostgreSQL
// (A-02, issue 15): idempotent start, server-side amounts, signed webhooks applied once, unknown
// payments, provider down, redirect without webhook, refunds.

let w: PaymentWorld;
const calls: { id: string; ref: string; status: string; amount: number }[] = [];

const LINES = [
  { label: '住民票の写し', unitAmount: 300, quantity: 2 },
  { label: '郵送料', unitAmount: 110, quantity: 1 },
];
let n = 0;
const input = (over: Partial<Parameters<typeof startPayment>[2]> = {}) => ({
  purpose: 'test',
  ref: `app-${++n}`,
  lines: LINES,
  description: '住民票の写しの交付手数料',
  returnPath: '/citizen/applications/',
  ...over,
});

const stripeHeader = (body: string, secret: string = TEST_STRIPE.webhookSecret) => {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};

const sessionOf = async (paymentId: string) => {
  const log = await w.log();
  return log.sessions.filter((s) => s.metadata.payment_id === paymentId);
};

const statusOf = async (paymentId: string) =>
  (
    await w.server.db
      .selectFrom('payments')
      .select('status')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow()
  ).status;

beforeAll(async () => {
  w = await startPaymentWorld();
  onPaymentChange('test', async (trx, p) => {
    // Inside the transition's transaction: the payment row already shows the new status.
    const row = await trx
      .selectFrom('payments')
      .select('status')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe(p.status);
    calls.push(p);
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('startPayment', () => {
  it('a double tap gives one payment and one provider session; the amount is the lines’ sum', async () => {
    const i = input();
    const [a, b] = await Promise.all([
      startPayment(w.server.db, w.deps, i),
      startPayment(w.server.db, w.deps, i),
    ]);
    expect(a).toEqual(b);
    expect(a.amount).toBe(710);
    expect(a.url).toMatch(/\/pay\/checkout\/cs_test_/);
    const again = await startPayment(w.server.db, w.deps, i);
    expect(again).toEqual(a);
    const sessions = await sessionOf(a.paymentId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.amount_total).toBe(710);
    const rows = await w.server.db.selectFrom('payments').selectAll().where('ref', '=', i.ref).execute();
    expect(rows).toHaveLength(1);
  });

  it('a changed fee cancels the open payment and starts a new one (the old checkout expired)', async () => {
    const i = input();
    const first = await startPayment(w.server.db, w.deps, i);
    const second = await startPayment(w.server.db, w.deps, {
      ...i,
      lines: [{ label: '住民票の写し', unitAmount: 300, quantity: 1 }],
    });
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(second.amount).toBe(300);
    expect(await statusOf(first.paymentId)).toBe('canceled');
    expect((await sessionOf(first.paymentId))[0]!.status).toBe('expired');
  });

  it('refuses bad input: no lines, negative or fractional amounts, another site as return path', async () => {
    const db = w.server.db;
    for (const bad of [
      input({ lines: [] }),
      input({ lines: [{ label: 'x', unitAmount: -300, quantity: 1 }] }),
      input({ lines: [{ label: 'x', unitAmount: 1.5, quantity: 1 }] }),
      input({ lines: [{ label: 'x', unitAmount: 300, quantity: 0 }] }),
      input({ lines: [{ label: 'x', unitAmount: 0, quantity: 1 }] }),
      input({ returnPath: '//evil.example/' }),
      input({ returnPath: 'https://evil.example/' }),
      input({ purpose: 'Bad Purpose' }),
    ]) {
      await expect(startPayment(db, w.deps, bad)).rejects.toMatchObject({
        code: 'PAYMENT_INVALID',
        status: 400,
      });
    }
  });

  it('provider down: a clear error, nothing charged; a retry later gives one session', async () => {
    const i = input();
    await w.sim$('POST', '/_sim/payments/faults', { mode: 'down' });
    await expect(startPayment(w.server.db, w.deps, i)).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      status: 503,
    });
    await w.sim$('POST', '/_sim/payments/faults', { mode: 'none' });
    const ok = await startPayment(w.server.db, w.deps, i);
    const ok2 = await startPayment(w.server.db, w.deps, i);
    expect(ok2.url).toBe(ok.url);
    expect(await sessionOf(ok.paymentId)).toHaveLength(1);
  });

  it('a lost answer: the retry with the stored idempotency key gets the same session', async () => {
    const i = input();
    await w.sim$('POST', '/_sim/payments/faults', { mode: 'lose-response', count: 1 });
    let first: Awaited<ReturnType<typeof startPayment>> | null = null;
    try {
      first = await startPayment(w.server.db, w.deps, i);
    } catch (err) {
      expect(err).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    }
    const ok = await startPayment(w.server.db, w.deps, i);
    if (first) expect(first.url).toBe(ok.url);
    expect(await sessionOf(ok.paymentId)).toHaveLength(1);
    const log = await w.log();
    const creates = log.requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v1/checkout/sessions' &&
        r.idempotencyKey === `madoguchi-payment-${ok.paymentId}`,
    );
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(creates.some((r) => r.replayed)).toBe(true);
  });
});

describe('confirmation', () => {
  it('a signed webhook marks it paid, once; a replay changes nothing and the listener ran once', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    const [session] = await sessionOf(start.paymentId);
    await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
    await waitFor(
      () => statusOf(start.paymentId),
      (s) => s === 'paid',
      { what: 'paid' },
    );
    const mine = () => calls.filter((c) => c.id === start.paymentId);
    expect(mine()).toEqual([{ id: start.paymentId, ref: expect.any(String), status: 'paid', amount: 710 }]);
    const log = await w.log();
    const completed = log.events.find(
      (e) =>
        e.type === 'checkout.session.completed' &&
        log.deliveries.some((d) => d.eventId === e.id && d.status === 200),
    );
    expect(completed).toBeDefined();
    const events = await listWebhookEvents(w.server.db, { paymentId: start.paymentId, limit: 10 });
    const before = events.length;
    // The stand-in sends the same event again (signed anew, as Stripe's resend does).
    const completedForMe = (await w.log()).events
      .filter((e) => e.type === 'checkout.session.completed')
      .at(-1)!;
    await w.sim$('POST', `/_sim/payments/events/${completedForMe.id}/resend`);
    await waitFor(
      async () => (await w.log()).deliveries.filter((x) => x.eventId === completedForMe.id),
      (d) => d.length >= 2 && d.every((x) => x.status !== null),
      { what: 'the resent event delivered' },
    );
    expect(mine()).toHaveLength(1);
    expect(await listWebhookEvents(w.server.db, { paymentId: start.paymentId, limit: 10 })).toHaveLength(
      before,
    );
    expect((await refreshPayment(w.server.db, w.deps, start.paymentId)).status).toBe('paid');
    expect(mine()).toHaveLength(1);
  });

  it('a webhook with a bad signature is refused with 400 and changes nothing', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    const [session] = await sessionOf(start.paymentId);
    const body = JSON.stringify({
      id: 'evt_forged_1',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: session!.id,
          object: 'checkout.session',
          status: 'complete',
          payment_status: 'paid',
          amount_total: 710,
          currency: 'jpy',
          metadata: { payment_id: start.paymentId },
          payment_intent: 'pi_forged',
        },
      },
    });
    for (const signature of [stripeHeader(body, 'whsec_wrong_secret'), 't=1,v1=00', '', undefined]) {
      const r = await fetch(`${w.server.url}/webhooks/payments/stripe`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature === undefined ? {} : { 'stripe-signature': signature }),
        },
        body,
      });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { code: string }).code).toBe('PAYMENT_WEBHOOK_SIGNATURE');
    }
    // The right signature over other bytes is refused too.
    const r = await fetch(`${w.server.url}/webhooks/payments/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeHeader(body) },
      body: body.replace('710', '7100'),
    });
    expect(r.status).toBe(400);
    expect(await statusOf(start.paymentId)).toBe('pending');
    expect(await listWebhookEvents(w.server.db, { paymentId: start.paymentId, limit: 10 })).toHaveLength(0);
    const forged = await w.server.db
      .selectFrom('payment_webhook_events')
      .select('id')
      .where('event_id', '=', 'evt_forged_1')
      .execute();
    expect(forged).toHaveLength(0);
  });

  it('a webhook for no payment of ours is recorded and answered 200; another provider’s path is 404', async () => {
    const body = JSON.stringify({
      id: 'evt_unknown_1',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_test_not_ours',
          object: 'checkout.session',
          status: 'complete',
          payment_status: 'paid',
          amount_total: 500,
          currency: 'jpy',
          metadata: {},
          payment_intent: 'pi_x',
        },
      },
    });
    const r = await fetch(`${w.server.url}/webhooks/payments/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeHeader(body) },
      body,
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ received: true, state: 'unknown_payment' });
    const rows = await listWebhookEvents(w.server.db, { state: 'unknown_payment', limit: 10 });
    expect(rows.map((e) => e.event_id)).toContain('evt_unknown_1');
    const other = await fetch(`${w.server.url}/webhooks/payments/payjp`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe('PAYMENT_PROVIDER_UNKNOWN');
    const malformed = await fetch(`${w.server.url}/webhooks/payments/stripe`, {
      method: 'POST',
      headers: { 'stripe-signature': stripeHeader('not json') },
      body: 'not json',
    });
    expect(malformed.status).toBe(400);
  });

  it('a redirect without a webhook proves nothing: pending until the server-side check says paid', async () => {
    await w.sim$('POST', '/_sim/payments/config', { webhooks: 'off' });
    try {
      const start = await startPayment(w.server.db, w.deps, input());
      const [session] = await sessionOf(start.paymentId);
      // The browser lands on the return path with ?payment=<id> before paying: still pending.
      expect((await refreshPayment(w.server.db, w.deps, start.paymentId)).status).toBe('pending');
      // Paid at the stand-in, the webhook lost.
      await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
      expect(await statusOf(start.paymentId)).toBe('pending');
      expect((await refreshPayment(w.server.db, w.deps, start.paymentId)).status).toBe('paid');
      expect(calls.filter((c) => c.id === start.paymentId)).toHaveLength(1);
    } finally {
      await w.sim$('POST', '/_sim/payments/config', { webhooks: 'on' });
    }
  });

  it('the reconciler recovers a payment whose webhook was lost', async () => {
    await w.sim$('POST', '/_sim/payments/config', { webhooks: 'off' });
    try {
      const start = await startPayment(w.server.db, w.deps, input());
      const [session] = await sessionOf(start.paymentId);
      await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
      const later = new Date(Date.now() + (w.deps.reconcileAfterMinutes + 1) * 60_000);
      const result = await reconcilePayments(w.server.db, w.deps, later);
      expect(result.checked).toBeGreaterThanOrEqual(1);
      expect(await statusOf(start.paymentId)).toBe('paid');
    } finally {
      await w.sim$('POST', '/_sim/payments/config', { webhooks: 'on' });
    }
  });

  it('the provider charging another amount: not paid, flagged for staff', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    const [session] = await sessionOf(start.paymentId);
    await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`, { amount: 1 });
    await waitFor(
      () =>
        w.server.db
          .selectFrom('payments')
          .select('flag')
          .where('id', '=', start.paymentId)
          .executeTakeFirstOrThrow(),
      (row) => row.flag === 'amount_mismatch',
      { what: 'flagged' },
    );
    expect(await statusOf(start.paymentId)).toBe('pending');
    expect(calls.filter((c) => c.id === start.paymentId)).toHaveLength(0);
  });

  it('a failing listener rolls the transition back; the webhook is retried and applied once', async () => {
    const start = await startPayment(w.server.db, w.deps, input({ purpose: 'flaky' }));
    let failures = 1;
    const seen: string[] = [];
    onPaymentChange('flaky', async (_trx, p) => {
      if (failures-- > 0) throw new Error('listener failed once');
      seen.push(p.status);
    });
    const [session] = await sessionOf(start.paymentId);
    await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
    await waitFor(
      () => statusOf(start.paymentId),
      (s) => s === 'paid',
      { what: 'paid' },
    );
    expect(seen).toEqual(['paid']);
    const log = await w.log();
    const statuses = log.deliveries
      .filter((d) => d.type === 'checkout.session.completed')
      .map((d) => d.status);
    expect(statuses).toContain(503);
  });
});

describe('refundPayment', () => {
  it('refunds a paid payment once; a second call changes nothing', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    const [session] = await sessionOf(start.paymentId);
    await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
    await waitFor(
      () => statusOf(start.paymentId),
      (s) => s === 'paid',
      { what: 'paid' },
    );
    const { id: actorId } = await createStaff(w.server.db, 'admin');
    const [a, b] = await Promise.all([
      refundPayment(w.server.db, w.deps, { paymentId: start.paymentId, reason: '却下', actorId }),
      refundPayment(w.server.db, w.deps, { paymentId: start.paymentId, reason: '却下', actorId }),
    ]);
    expect([a.status, b.status]).toEqual(['refunded', 'refunded']);
    expect(
      await refundPayment(w.server.db, w.deps, { paymentId: start.paymentId, reason: '却下', actorId }),
    ).toEqual({
      status: 'refunded',
    });
    const log = await w.log();
    const refunds = log.refunds.filter((r) => r.amount === 710);
    const mineCount = (
      await w.server.db
        .selectFrom('payment_refunds')
        .selectAll()
        .where('payment_id', '=', start.paymentId)
        .execute()
    ).length;
    expect(mineCount).toBe(1);
    expect(refunds.length).toBeGreaterThanOrEqual(1);
    const creates = log.requests.filter(
      (r) =>
        r.path === '/v1/refunds' &&
        r.idempotencyKey === `madoguchi-refund-${start.paymentId}-1` &&
        !r.replayed,
    );
    expect(creates).toHaveLength(1);

    expect(calls.filter((c) => c.id === start.paymentId).map((c) => c.status)).toEqual(['paid', 'refunded']);
    expect(await statusOf(start.paymentId)).toBe('refunded');
  });

  it('provider down during a refund: refund_pending, then the reconciler refunds it once with the same key', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    const [session] = await sessionOf(start.paymentId);
    await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
    await waitFor(
      () => statusOf(start.paymentId),
      (s) => s === 'paid',
      { what: 'paid' },
    );
    const { id: actorId } = await createStaff(w.server.db, 'admin');
    await w.sim$('POST', '/_sim/payments/faults', { mode: 'down' });
    try {
      expect(
        await refundPayment(w.server.db, w.deps, { paymentId: start.paymentId, reason: '却下', actorId }),
      ).toEqual({
        status: 'refund_pending',
      });
    } finally {
      await w.sim$('POST', '/_sim/payments/faults', { mode: 'none' });
    }
    expect(await statusOf(start.paymentId)).toBe('paid');
    const result = await reconcilePayments(w.server.db, w.deps, new Date(Date.now() + 5 * 60_000));
    expect(result.refunds).toBeGreaterThanOrEqual(1);
    expect(await statusOf(start.paymentId)).toBe('refunded');
    const log = await w.log();
    const key = `madoguchi-refund-${start.paymentId}-1`;
    expect(
      log.requests.filter((r) => r.path === '/v1/refunds' && r.idempotencyKey === key && r.status === 200),
    ).toHaveLength(1);
    expect(calls.filter((c) => c.id === start.paymentId).map((c) => c.status)).toEqual(['paid', 'refunded']);
  });

  it('a refund the provider settles later: refund_pending until its webhook says succeeded', async () => {
    await w.sim$('POST', '/_sim/payments/config', { refunds: 'pending' });
    try {
      const start = await startPayment(w.server.db, w.deps, input());
      const [session] = await sessionOf(start.paymentId);
      await w.sim$('POST', `/_sim/payments/sessions/${session!.id}/pay`);
      await waitFor(
        () => statusOf(start.paymentId),
        (s) => s === 'paid',
        { what: 'paid' },
      );
      const { id: actorId } = await createStaff(w.server.db, 'admin');
      expect(
        await refundPayment(w.server.db, w.deps, { paymentId: start.paymentId, reason: '却下', actorId }),
      ).toEqual({
        status: 'refund_pending',
      });
      const refund = (await w.log()).refunds.at(-1)!;
      expect(refund.status).toBe('pending');
      await w.sim$('POST', `/_sim/payments/refunds/${refund.id}/settle`, { status: 'succeeded' });
      await waitFor(
        () => statusOf(start.paymentId),
        (s) => s === 'refunded',
        { what: 'refunded by webhook' },
      );
      expect(calls.filter((c) => c.id === start.paymentId).map((c) => c.status)).toEqual([
        'paid',
        'refunded',
      ]);
    } finally {
      await w.sim$('POST', '/_sim/payments/config', { refunds: 'succeeded' });
    }
  });

  it('refuses to refund a payment that is not paid', async () => {
    const start = await startPayment(w.server.db, w.deps, input());
    await expect(
      refundPayment(w.server.db, w.deps, {
        paymentId: start.paymentId,
        reason: '却下',
        actorId: (await createStaff(w.server.db, 'admin')).id,
      }),
    ).rejects.toMatchObject({ code: 'PAYMENT_NOT_PAID' });
  });
});
