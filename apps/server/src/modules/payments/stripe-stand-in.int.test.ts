import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../testing/wait-for.ts';
import { STAND_IN_STRIPE } from './stand-in-wiring.ts';

// The payment stand-in speaks Stripe as the real SDK expects: the SDK's own requests and
// error classes, Idempotency-Key semantics, the hosted page's test cards and 3-D Secure challenge,
// and webhooks the SDK's constructEvent accepts, retried with backoff while the endpoint fails.

let sim: RunningSimulator;
let hook: Server;
let hookUrl: string;
const received: { body: string; signature: string }[] = [];
let failNext = 0;

const sdk = (key: string = STAND_IN_STRIPE.secretKey, timeout = 5000) => {
  const u = new URL(sim.url);
  return new Stripe(key, { host: u.hostname, port: u.port, protocol: 'http', maxNetworkRetries: 0, timeout });
};

const sim$ = async (path: string, body: unknown) => {
  const r = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

const params = (amount = 300): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  currency: 'jpy',
  line_items: [
    {
      quantity: 1,
      price_data: { currency: 'jpy', unit_amount: amount, product_data: { name: '住民票の写し' } },
    },
  ],
  success_url: 'http://127.0.0.1:9/done?payment=1',
  cancel_url: 'http://127.0.0.1:9/done?payment=1&paymentCanceled=1',
  metadata: { payment_id: 'p-1' },
});

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['stripe-signature']),
      });
      if (failNext > 0 && received.at(-1)!.body.includes('"checkout.session.completed"')) {
        failNext--;
        res.writeHead(500).end();
      } else res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  await sim$('/_sim/payments/config', {
    secretKey: STAND_IN_STRIPE.secretKey,
    webhookSecret: STAND_IN_STRIPE.webhookSecret,
    webhookUrl: hookUrl,
    retryBaseMs: 20,
    maxAttempts: 4,
  });
});

afterAll(async () => {
  await sim?.close();
  await new Promise((resolve) => hook?.close(resolve));
});

describe('the Stripe stand-in through the real SDK', () => {
  it('creates and reads a Checkout Session; refuses a wrong key', async () => {
    const s = await sdk().checkout.sessions.create(params(710));
    expect(s).toMatchObject({
      object: 'checkout.session',
      amount_total: 710,
      currency: 'jpy',
      status: 'open',
      payment_status: 'unpaid',
    });
    expect(s.id).toMatch(/^cs_test_/);
    expect(s.url).toBe(`${sim.url}/pay/checkout/${s.id}`);
    expect((await sdk().checkout.sessions.retrieve(s.id)).id).toBe(s.id);
    await expect(sdk('sk_test_wrong_key').checkout.sessions.retrieve(s.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
    await expect(sdk().checkout.sessions.retrieve('cs_test_nope')).rejects.toMatchObject({
      code: 'resource_missing',
    });
    await expect(sdk().checkout.sessions.create({ ...params(), line_items: [] })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it('Idempotency-Key: same key and parameters → the same session; other parameters → idempotency_error', async () => {
    const key = `k-${Date.now()}`;
    const a = await sdk().checkout.sessions.create(params(300), { idempotencyKey: key });
    const b = await sdk().checkout.sessions.create(params(300), { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    const err = await sdk()
      .checkout.sessions.create(params(600), { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((err as { statusCode: number }).statusCode).toBe(400);
  });

  it('faults: down is an API error, timeout a connection error', async () => {
    await sim$('/_sim/payments/faults', { mode: 'down', count: 1 });
    await expect(sdk().checkout.sessions.create(params())).rejects.toBeInstanceOf(
      Stripe.errors.StripeAPIError,
    );
    await sim$('/_sim/payments/faults', { mode: 'timeout', count: 1 });
    await expect(sdk(undefined, 300).checkout.sessions.create(params())).rejects.toBeInstanceOf(
      Stripe.errors.StripeConnectionError,
    );
    expect((await sdk().checkout.sessions.create(params())).status).toBe('open');
  });

  it('the hosted page: Japanese, the lines; 4242 pays and sends a signed checkout.session.completed', async () => {
    const s = await sdk().checkout.sessions.create(params(300));
    const page = await fetch(s.url!);
    const html = await page.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('住民票の写し');
    expect(html).toContain('300 円');
    expect(html).toMatch(/<label for="card">カード番号/);
    received.length = 0;
    failNext = 2; // the endpoint fails this event twice: retried with backoff, accepted the third time
    const paid = await fetch(s.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'card=4242+4242+4242+4242&exp=12%2F34&cvc=123',
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(params().success_url);
    const deliveries = await waitFor(
      async () => received.filter((r) => r.body.includes('"checkout.session.completed"')),
      (d) => d.length >= 3,
      { what: 'three deliveries of checkout.session.completed' },
    );
    const events = deliveries.map((d) =>
      sdk().webhooks.constructEvent(d.body, d.signature, STAND_IN_STRIPE.webhookSecret),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    const event = events[0]!;
    expect(event.type).toBe('checkout.session.completed');
    const obj = event.data.object as Stripe.Checkout.Session;
    expect(obj).toMatchObject({ id: s.id, status: 'complete', payment_status: 'paid', amount_total: 300 });
    expect(() =>
      sdk().webhooks.constructEvent(deliveries[0]!.body, deliveries[0]!.signature, 'whsec_other_secret'),
    ).toThrow();
    const pi = await sdk().paymentIntents.retrieve(obj.payment_intent as string);
    expect(pi.status).toBe('succeeded');
    expect((await sdk().checkout.sessions.retrieve(s.id)).payment_status).toBe('paid');
  });

  it('4000…0002 is declined (the session stays open); 4000…3220 asks for 3-D Secure', async () => {
    const s = await sdk().checkout.sessions.create(params(300));
    const post = (url: string, body: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
    const declined = await post(s.url!, 'card=4000000000000002');
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-invalid="true"');
    expect((await sdk().checkout.sessions.retrieve(s.id)).status).toBe('open');

    const tds = await post(s.url!, 'card=4000000000003220');
    expect(tds.status).toBe(303);
    expect(tds.headers.get('location')).toBe(`/pay/3ds/${s.id}`);
    expect(await (await fetch(`${sim.url}/pay/3ds/${s.id}`)).text()).toContain('本人認証');
    const failed = await post(`${sim.url}/pay/3ds/${s.id}`, 'result=fail');
    expect(failed.headers.get('location')).toBe(`/pay/checkout/${s.id}`);
    expect((await sdk().checkout.sessions.retrieve(s.id)).status).toBe('open');
    await post(s.url!, 'card=4000000000003220');
    const ok = await post(`${sim.url}/pay/3ds/${s.id}`, 'result=complete');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(params().success_url);
    expect((await sdk().checkout.sessions.retrieve(s.id)).payment_status).toBe('paid');
  });

  it('refunds: once in full; a second refund or more than paid is refused', async () => {
    const s = await sdk().checkout.sessions.create(params(500));
    await sim$(`/_sim/payments/sessions/${s.id}/pay`, {});
    const pi = (await sdk().checkout.sessions.retrieve(s.id)).payment_intent as string;
    await expect(sdk().refunds.create({ payment_intent: pi, amount: 501 })).rejects.toMatchObject({
      code: 'amount_too_large',
    });
    const key = `r-${Date.now()}`;
    const r = await sdk().refunds.create({ payment_intent: pi }, { idempotencyKey: key });
    expect(r).toMatchObject({ object: 'refund', amount: 500, status: 'succeeded', payment_intent: pi });
    expect((await sdk().refunds.create({ payment_intent: pi }, { idempotencyKey: key })).id).toBe(r.id);
    await expect(sdk().refunds.create({ payment_intent: pi })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    expect((await sdk().refunds.retrieve(r.id)).status).toBe('succeeded');
  });

  it('/_sim/payments refuses bad input', async () => {
    for (const [path, body] of [
      ['/_sim/payments/config', { webhookSecret: 'not-a-secret' }],
      ['/_sim/payments/config', { secretKey: 'sk_live_real' }],
      ['/_sim/payments/config', { webhookUrl: 'nope' }],
      ['/_sim/payments/faults', { mode: 'explode' }],
      ['/_sim/payments/faults', { mode: 'down', count: 0 }],
    ] as const) {
      const r = await fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await fetch(`${sim.url}/_sim/payments/sessions/cs_nope/pay`, { method: 'POST' })).status).toBe(
      404,
    );
  });
});
