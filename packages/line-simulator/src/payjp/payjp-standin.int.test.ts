import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestSimulator,
  startWebhookReceiver,
  type TestSimulator,
  type WebhookReceiver,
} from '../testing/harness.ts';

// The PAY.JP stand-in's own contract (issue 15): Basic auth with the right key per endpoint,
// PAY.JP's error bodies for bad input, single-use tokens, webhooks with X-Payjp-Webhook-Token
// retried with backoff, and /_sim/payjp's bad input. (The product's adapter through the real
// `payjp` SDK: apps/server/src/modules/payments/payjp-standin.int.test.ts.)

const SECRET = 'sk_test_sim_payjp_0001';
const PUBLIC = 'pk_test_sim_payjp_0001';
const TOKEN = 'whook_sim_payjp_token_0001';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

let t: TestSimulator;
let hook: WebhookReceiver;

const api = async (method: string, path: string, key: string | null, form?: Record<string, string>) => {
  const r = await fetch(`${t.url}/payjp/v1${path}`, {
    method,
    headers: {
      ...(key ? { authorization: basic(key) } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : null,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  return { status: r.status, body: (await r.json()) as Record<string, any>, headers: r.headers };
};
const newToken = async (number = '4242424242424242') =>
  (
    await api('POST', '/tokens', PUBLIC, {
      'card[number]': number,
      'card[exp_month]': '12',
      'card[exp_year]': '2034',
      'card[cvc]': '123',
    })
  ).body.id as string;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never held');
}

beforeAll(async () => {
  t = await startTestSimulator();
  hook = await startWebhookReceiver();
  const c = await t.call('POST', '/_sim/payjp/config', {
    secretKey: SECRET,
    publicKey: PUBLIC,
    webhookUrl: hook.url,
    webhookToken: TOKEN,
    retryBaseMs: 10,
    maxAttempts: 3,
  });
  expect(c.status).toBe(200);
});

afterAll(async () => {
  await hook?.close();
  await t?.close();
});

describe('PAY.JP stand-in', () => {
  it('tokens need the public key (CORS for the browser); charges need the secret key', async () => {
    const pre = await fetch(`${t.url}/payjp/v1/tokens`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await api('POST', '/tokens', null, { 'card[number]': '4242424242424242' })).status).toBe(401);
    const bad = await api('POST', '/tokens', PUBLIC, { 'card[number]': '12' });
    expect(bad.status).toBe(402);
    expect(bad.body.error).toMatchObject({ type: 'card_error', code: 'invalid_number' });
    expect((await api('GET', '/charges', PUBLIC)).status).toBe(401);
    expect((await api('GET', '/charges', 'sk_test_someone_else')).status).toBe(401);
    expect((await api('GET', '/charges', SECRET)).body).toMatchObject({ object: 'list' });
  });

  it('charge bad input: PAY.JP error bodies; a token is used once; 3-D Secure must be done before tds_finish', async () => {
    const tok = await newToken();
    for (const form of [
      { card: tok, currency: 'jpy' } as Record<string, string>,
      { card: tok, amount: '10', currency: 'jpy' },
      { card: tok, amount: 'x', currency: 'jpy' },
      { card: tok, amount: '710', currency: 'usd' },
      { card: 'tok_nope', amount: '710', currency: 'jpy' },
    ]) {
      const r = await api('POST', '/charges', SECRET, form);
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('client_error');
    }
    const ok = await api('POST', '/charges', SECRET, {
      card: tok,
      amount: '710',
      currency: 'jpy',
      three_d_secure: 'true',
      'metadata[payment_id]': 'p-1',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      amount: 710,
      three_d_secure_status: 'unverified',
      metadata: { payment_id: 'p-1' },
    });
    const reuse = await api('POST', '/charges', SECRET, { card: tok, amount: '710', currency: 'jpy' });
    expect(reuse.body.error.code).toBe('token_already_used');
    expect((await api('POST', `/charges/${ok.body.id}/tds_finish`, SECRET)).status).toBe(400);
    expect((await api('POST', `/charges/${ok.body.id}/refund`, SECRET, {})).status).toBe(400);
    expect((await api('GET', '/charges/ch_nope', SECRET)).status).toBe(404);
    const declined = await api('POST', '/charges', SECRET, {
      card: await newToken('4000000000000002'),
      amount: '710',
      currency: 'jpy',
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('card_declined');
    const start = await fetch(
      `${t.url}/payjp/v1/tds/${ok.body.id}/start?publickey=${PUBLIC}&back_url=x.y.z`,
      {
        redirect: 'manual',
      },
    );
    expect(start.status).toBe(400);
  });

  it('webhooks carry X-Payjp-Webhook-Token and are retried with backoff until answered 2xx', async () => {
    hook.status = 500;
    hook.calls.length = 0;
    const c = await api('POST', '/charges', SECRET, {
      card: await newToken(),
      amount: '300',
      currency: 'jpy',
    });
    expect(c.body).toMatchObject({ paid: true, captured: true });
    await until(
      () => t.call('GET', '/_sim/payjp/log'),
      (l) => l.body.deliveries.filter((d: { attempt: number }) => d.attempt === 3).length === 1,
    );
    expect(hook.calls).toHaveLength(3);
    for (const call of hook.calls) {
      expect(call.headers['x-payjp-webhook-token']).toBe(TOKEN);
      expect(JSON.parse(call.body)).toMatchObject({ type: 'charge.succeeded', data: { id: c.body.id } });
    }
    hook.status = 200;
    const event = JSON.parse(hook.calls[0]!.body).id as string;
    expect((await t.call('POST', `/_sim/payjp/events/${event}/resend`)).status).toBe(200);
    await until(
      async () => hook.calls.length,
      (n) => n === 4,
    );
    const r = await api('POST', `/charges/${c.body.id}/refund`, SECRET, { amount: '300' });
    expect(r.body).toMatchObject({ refunded: true, amount_refunded: 300 });
    await until(
      async () => hook.calls.map((x) => JSON.parse(x.body).type),
      (types) => types.includes('charge.refunded'),
    );
  });

  it('/_sim/payjp bad input', async () => {
    for (const body of [
      { webhookUrl: 'not a url' },
      { webhookToken: 'short' },
      { secretKey: 'sk_live_real' },
      { publicKey: 'pk_live_real' },
      { webhooks: 'maybe' },
      { retryBaseMs: 0 },
      { maxAttempts: 99 },
    ]) {
      expect((await t.call('POST', '/_sim/payjp/config', body)).status).toBe(400);
    }
    expect((await t.call('POST', '/_sim/payjp/config', 'x')).status).toBe(400);
    expect((await t.call('POST', '/_sim/payjp/faults', { mode: 'explode' })).status).toBe(400);
    expect((await t.call('POST', '/_sim/payjp/faults', { mode: 'down', count: 0 })).status).toBe(400);
    expect((await t.call('POST', '/_sim/payjp/events/evnt_nope/resend')).status).toBe(404);
    expect((await fetch(`${t.url}/payjp/pay.js`)).headers.get('content-type')).toContain('javascript');
  });
});
