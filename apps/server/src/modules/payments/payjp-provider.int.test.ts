import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayjpProvider } from './payjp-provider.ts';
import { ProviderRequestError, ProviderUnavailableError, WebhookSignatureError } from './payment-provider.ts';

// The PAY.JP adapter through the official `payjp` SDK against a tiny local HTTP server that checks
// the request shapes PAY.JP documents (Basic auth with the secret key, form bodies, /v1 paths), and
// its webhook check (X-Payjp-Webhook-Token). The card payment (charge, 3-D Secure) runs against the PAY.JP stand-in: payjp-standin.int.test.ts.

let server: Server;
let base: string;
const seen: { method: string; path: string; auth: string; body: string }[] = [];
let answer: (req: IncomingMessage, body: string) => { status: number; json: unknown } = () => ({
  status: 200,
  json: {},
});

const SECRET = 'sk_test_payjp_madoguchi_0001';
const TOKEN = 'whook_token_madoguchi_0001';

const charge = (over: Record<string, unknown> = {}) => ({
  object: 'charge',
  id: 'ch_test_1',
  amount: 710,
  amount_refunded: 0,
  currency: 'jpy',
  paid: true,
  captured: true,
  refunded: false,
  failure_code: null,
  three_d_secure_status: 'verified',
  metadata: { payment_id: '4b0c8d6e-0000-4000-8000-000000000001' },
  ...over,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, path: req.url!, auth: String(req.headers.authorization), body });
      const a = answer(req, body);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const provider = () =>
  createPayjpProvider({ secretKey: SECRET, webhookToken: TOKEN, apiBase: base, timeoutMs: 2000 });

describe('PAY.JP adapter', () => {
  it('reads a charge with Basic auth (secret key, no password); 3-D Secure verified and captured → paid', async () => {
    seen.length = 0;
    answer = () => ({ status: 200, json: charge() });
    const status = await provider().retrieveCheckout('ch_test_1');
    expect(status).toEqual({ status: 'paid', amount: 710, currency: 'jpy', providerPaymentRef: 'ch_test_1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/charges/ch_test_1' });
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from(`${SECRET}:`).toString('base64')}`);
    answer = () => ({
      status: 200,
      json: charge({ three_d_secure_status: 'unverified', captured: false, paid: false }),
    });
    expect((await provider().retrieveCheckout('ch_test_1')).status).toBe('pending');
    answer = () => ({ status: 200, json: charge({ three_d_secure_status: 'failed', paid: false }) });
    expect((await provider().retrieveCheckout('ch_test_1')).status).toBe('failed');
  });

  it('refunds with a form body; a charge already refunded is not refunded again', async () => {
    seen.length = 0;
    answer = (req) =>
      req.method === 'GET'
        ? { status: 200, json: charge() }
        : { status: 200, json: charge({ refunded: true, amount_refunded: 710 }) };
    const r = await provider().refund({
      providerPaymentRef: 'ch_test_1',
      amount: 710,
      refundId: 'rf-1',
      paymentId: 'p-1',
      idempotencyKey: 'k',
    });
    expect(r).toEqual({ providerRef: 'ch_test_1', status: 'succeeded' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /v1/charges/ch_test_1',
      'POST /v1/charges/ch_test_1/refund',
    ]);
    expect(new URLSearchParams(seen[1]!.body).get('amount')).toBe('710');
    seen.length = 0;
    answer = () => ({ status: 200, json: charge({ refunded: true, amount_refunded: 710 }) });
    expect(
      (
        await provider().refund({
          providerPaymentRef: 'ch_test_1',
          amount: 710,
          refundId: 'rf-1',
          paymentId: 'p-1',
          idempotencyKey: 'k',
        })
      ).status,
    ).toBe('succeeded');
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });

  it('maps errors: 5xx and unreachable → unavailable (retry later); 4xx → refused', async () => {
    answer = () => ({ status: 500, json: { error: { message: 'boom', status: 500, type: 'server_error' } } });
    await expect(provider().retrieveCheckout('ch_test_1')).rejects.toBeInstanceOf(ProviderUnavailableError);
    answer = () => ({
      status: 404,
      json: { error: { code: 'invalid_id', message: 'No such charge', status: 404 } },
    });
    await expect(provider().retrieveCheckout('ch_x')).rejects.toBeInstanceOf(ProviderRequestError);
    const down = createPayjpProvider({
      secretKey: SECRET,
      webhookToken: TOKEN,
      apiBase: 'http://127.0.0.1:9/v1',
      timeoutMs: 500,
    });
    await expect(down.retrieveCheckout('ch_test_1')).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('webhooks: the right X-Payjp-Webhook-Token is parsed; a missing or wrong one is refused', () => {
    const body = Buffer.from(
      JSON.stringify({ id: 'evnt_1', object: 'event', type: 'charge.succeeded', data: charge() }),
    );
    const event = provider().parseWebhook(body, { 'x-payjp-webhook-token': TOKEN });
    expect(event).toMatchObject({
      kind: 'checkout',
      eventId: 'evnt_1',
      providerRef: 'ch_test_1',
      paymentId: '4b0c8d6e-0000-4000-8000-000000000001',
      observed: { status: 'paid', amount: 710 },
    });
    for (const headers of [
      {},
      { 'x-payjp-webhook-token': 'wrong' },
      { 'x-payjp-webhook-token': `${TOKEN}x` },
    ]) {
      expect(() => provider().parseWebhook(body, headers)).toThrow(WebhookSignatureError);
    }
    const refunded = provider().parseWebhook(
      Buffer.from(
        JSON.stringify({ id: 'evnt_2', type: 'charge.refunded', data: charge({ refunded: true }) }),
      ),
      { 'x-payjp-webhook-token': TOKEN },
    );
    expect(refunded).toMatchObject({ kind: 'refund', status: 'succeeded', providerPaymentRef: 'ch_test_1' });
  });

  it('the checkout is our card page (nothing at PAY.JP yet); without a public key it is refused, not faked', async () => {
    const checkout = {
      paymentId: '4b0c8d6e-0000-4000-8000-000000000001',
      amount: 300,
      currency: 'jpy' as const,
      lines: [{ label: 'x', unitAmount: 300, quantity: 1 }],
      description: 'x',
      successUrl: 'http://x/',
      cancelUrl: 'http://x/',
      idempotencyKey: 'k',
    };
    seen.length = 0;
    await expect(provider().createCheckout(checkout)).rejects.toMatchObject({
      providerCode: 'card_page_unconfigured',
    });
    const withCard = createPayjpProvider({
      secretKey: SECRET,
      webhookToken: TOKEN,
      apiBase: base,
      timeoutMs: 2000,
      publicKey: 'pk_test_madoguchi_0001',
      jsUrl: 'https://js.pay.jp/v2/pay.js',
      cardPageBase: 'https://city.example/pay/payjp',
    });
    expect(await withCard.createCheckout(checkout)).toEqual({
      providerRef: null,
      redirectUrl: `https://city.example/pay/payjp/${checkout.paymentId}`,
    });
    expect(seen).toEqual([]);
  });
});
