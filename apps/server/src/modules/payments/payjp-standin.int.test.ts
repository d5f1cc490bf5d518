import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../testing/wait-for.ts';
import { CARD_ATTEMPTS_PER_PAYMENT } from './payjp-card.routes.ts';
import { onPaymentChange, refreshPayment, refundPayment, startPayment } from './payments.service.ts';
import { type PaymentWorld, startPaymentWorld, TEST_PAYJP } from './testing/payment-world.ts';

// PAY.JP end to end against its stand-in (A-02, issue 15): the real `payjp` SDK, our card page
// routes over real HTTP, PostgreSQL. A charge with three_d_secure (our amount, our payment ID in
// metadata), the 3-D Secure start (back_url a JWS), tds_finish on the way back, the webhooks with
// X-Payjp-Webhook-Token, refunds, a double submit (one charge), the provider down or its answer
// lost (nothing charged twice), and bad input on each new route.

let w: PaymentWorld;
const calls: { id: string; status: string }[] = [];
const LINES = [
  { label: '住民票の写し', unitAmount: 300, quantity: 2 },
  { label: '郵送料', unitAmount: 110, quantity: 1 },
];
let n = 0;
const start = () =>
  startPayment(w.server.db, w.deps, {
    purpose: 'payjp-test',
    ref: `app-${++n}`,
    lines: LINES,
    description: '住民票の写しの交付手数料',
    returnPath: '/citizen/applications/',
  });

interface Charge {
  id: string;
  amount: number;
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  three_d_secure_status: string | null;
  metadata: Record<string, string>;
}
interface PayjpLog {
  requests: { method: string; path: string; key: string; status: number; fault: string | null }[];
  charges: Charge[];
  events: { id: string; type: string; chargeId: string }[];
  deliveries: { eventId: string; type: string; attempt: number; status: number | null }[];
}
const log = () => w.sim$<PayjpLog>('GET', '/_sim/payjp/log');
const chargesOf = async (paymentId: string) =>
  (await log()).charges.filter((c) => c.metadata.payment_id === paymentId);

/** What payjp.js does in the browser: a token from the card, with the public key. */
async function token(number: string): Promise<string> {
  const r = await fetch(`${w.simUrl}/payjp/v1/tokens`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${TEST_PAYJP.publicKey}:`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      'card[number]': number,
      'card[exp_month]': '12',
      'card[exp_year]': '2034',
      'card[cvc]': '123',
    }).toString(),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { id: string }).id;
}

const charge = (paymentId: string, body: unknown) =>
  fetch(`${w.server.url}/pay/payjp/${paymentId}/charge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const statusOf = async (paymentId: string) =>
  (
    await w.server.db
      .selectFrom('payments')
      .select(['status', 'provider_ref'])
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow()
  ).status;

/** The browser at PAY.JP's 3-D Secure start: the redirect it is given (or the challenge page). */
async function threeDSecure(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

/** The browser back from 3-D Secure at our back route (PUBLIC_URL is not the test server's URL). */
const back = (paymentId: string) =>
  fetch(`${w.server.url}/pay/payjp/${paymentId}/back`, { redirect: 'manual' });

beforeAll(async () => {
  w = await startPaymentWorld({}, { provider: 'payjp' });
  onPaymentChange('payjp-test', async (_trx, p) => {
    calls.push({ id: p.id, status: p.status });
  });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('PAY.JP card page', () => {
  it('startPayment sends the browser to our card page; the page shows our amount and allows only payjp.js’s origin', async () => {
    const p = await start();
    expect(p.url).toBe(`${w.server.config.PUBLIC_URL}/pay/payjp/${p.paymentId}`);
    expect(p.amount).toBe(710);
    // Nothing exists at PAY.JP yet.
    expect(await chargesOf(p.paymentId)).toEqual([]);
    const r = await fetch(`${w.server.url}/pay/payjp/${p.paymentId}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('710 円を支払う');
    expect(html).toContain(`data-public-key="${TEST_PAYJP.publicKey}"`);
    expect(html).toContain(`<script src="${w.simUrl}/payjp/pay.js"></script>`);
    const csp = r.headers.get('content-security-policy')!;
    const sim = new URL(w.simUrl).origin;
    expect(csp).toContain(`script-src 'self'`);
    for (const d of ['script-src', 'frame-src', 'connect-src']) {
      expect(csp.split('; ').find((x) => x.startsWith(d))).toContain(sim);
    }
    // Only that page: the console's policy has no PAY.JP origin.
    const other = await fetch(`${w.server.url}/console/`);
    expect(other.headers.get('content-security-policy')).not.toContain('frame-src');
    const en = await (await fetch(`${w.server.url}/pay/payjp/${p.paymentId}?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Pay ¥710');
  });

  it('charges our amount with 3-D Secure; a double submit makes one charge; back → tds_finish → paid once', async () => {
    const p = await start();
    const t1 = await token('4242424242424242');
    // The browser says 1 yen: ignored (the body has only a token; the amount is our row's).
    const [a, b] = await Promise.all([
      charge(p.paymentId, { token: t1, amount: 1 }),
      charge(p.paymentId, { token: t1, amount: 1 }),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const ja = (await a.json()) as { next: string; url: string };
    const jb = (await b.json()) as { next: string; url: string };
    expect(ja).toEqual(jb);
    expect(ja.next).toBe('three_d_secure');
    const start3ds = new URL(ja.url);
    expect(start3ds.origin + start3ds.pathname).toMatch(
      new RegExp(`^${w.simUrl}/payjp/v1/tds/ch_[0-9a-f]+/start$`),
    );
    expect(start3ds.searchParams.get('publickey')).toBe(TEST_PAYJP.publicKey);
    expect(start3ds.searchParams.get('back_url')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const charges = await chargesOf(p.paymentId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ amount: 710, three_d_secure_status: 'unverified', paid: false });
    const created = (await log()).requests.filter(
      (r) => r.method === 'POST' && r.path === '/payjp/v1/charges',
    );
    expect(created.every((r) => r.key === 'secret')).toBe(true);
    // The redirect alone proves nothing: still pending.
    expect(await statusOf(p.paymentId)).toBe('pending');

    // 4242…: no challenge; PAY.JP sends the browser to our back URL (the JWS's url).
    const r3 = await threeDSecure(ja.url);
    expect(r3.status).toBe(303);
    expect(r3.headers.get('location')).toBe(`${w.server.config.PUBLIC_URL}/pay/payjp/${p.paymentId}/back`);
    expect(await statusOf(p.paymentId)).toBe('pending');
    const rb = await back(p.paymentId);
    expect(rb.status).toBe(303);
    expect(rb.headers.get('location')).toBe(
      `${w.server.config.PUBLIC_URL}/citizen/applications/?payment=${p.paymentId}`,
    );
    expect(await statusOf(p.paymentId)).toBe('paid');
    expect((await log()).requests.some((r) => r.path.endsWith('/tds_finish'))).toBe(true);
    // The charge.succeeded webhook arrives too (token checked) and changes nothing more.
    await waitFor(log, (l) => l.deliveries.some((d) => d.type === 'charge.succeeded' && d.status === 200), {
      what: 'charge.succeeded delivered',
    });
    expect(await back(p.paymentId).then((r) => r.status)).toBe(303);
    expect(calls.filter((c) => c.id === p.paymentId)).toEqual([{ id: p.paymentId, status: 'paid' }]);
    // A token sent after payment charges nothing.
    const again = await charge(p.paymentId, { token: await token('4242424242424242') });
    expect(again.status).toBe(200);
    expect(await chargesOf(p.paymentId)).toHaveLength(1);

    // Refund (staff rejected): the charge refunded at PAY.JP, charge.refunded applied once.
    const refund = await refundPayment(w.server.db, w.deps, {
      paymentId: p.paymentId,
      reason: '却下のため',
      actorId: 'system',
    });
    expect(refund.status).toBe('refunded');
    expect((await chargesOf(p.paymentId))[0]!.refunded).toBe(true);
    expect(await statusOf(p.paymentId)).toBe('refunded');
    await waitFor(log, (l) => l.deliveries.some((d) => d.type === 'charge.refunded' && d.status === 200), {
      what: 'charge.refunded delivered',
    });
    expect(calls.filter((c) => c.id === p.paymentId).map((c) => c.status)).toEqual(['paid', 'refunded']);
  });

  it('two submits at once with two tokens (two tabs): one charge, both sent to the same 3-D Secure', async () => {
    const p = await start();
    const [t1, t2] = [await token('4242424242424242'), await token('4242424242424242')];
    const answers = await Promise.all([
      charge(p.paymentId, { token: t1 }),
      charge(p.paymentId, { token: t2 }),
    ]);
    const [a, b] = (await Promise.all(answers.map((r) => r.json()))) as { url: string }[];
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(a!.url).toBe(b!.url);
    expect(await chargesOf(p.paymentId)).toHaveLength(1);
  });

  it('a declined card charges nothing and leaves the payment open; a 3-D Secure challenge approved → paid', async () => {
    const p = await start();
    const r = await charge(p.paymentId, { token: await token('4000000000000002') });
    expect(r.status).toBe(402);
    expect(await r.json()).toMatchObject({ code: 'PAYMENT_CARD_DECLINED' });
    expect(await statusOf(p.paymentId)).toBe('pending');
    expect(await chargesOf(p.paymentId)).toEqual([]);

    const ok = (await (await charge(p.paymentId, { token: await token('4000000000003220') })).json()) as {
      url: string;
    };
    const page = await threeDSecure(ok.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('認証する');
    expect(html).toContain('キャンセル');
    const backUrl = /name="back_url" value="([^"]+)"/.exec(html)![1]!;
    const chargeId = (await chargesOf(p.paymentId))[0]!.id;
    const done = await fetch(`${w.simUrl}/payjp/v1/tds/${chargeId}/challenge`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ back_url: backUrl, result: 'ok' }).toString(),
    });
    expect(done.status).toBe(303);
    expect((await back(p.paymentId)).headers.get('location')).toContain(`?payment=${p.paymentId}`);
    expect(await statusOf(p.paymentId)).toBe('paid');
  });

  it('3-D Secure passed but the browser never came back: the server-side check (refreshPayment) finishes it', async () => {
    const p = await start();
    const ok = (await (await charge(p.paymentId, { token: await token('4242424242424242') })).json()) as {
      url: string;
    };
    expect((await threeDSecure(ok.url)).status).toBe(303); // verified at PAY.JP; the tab is closed
    expect((await chargesOf(p.paymentId))[0]).toMatchObject({
      three_d_secure_status: 'verified',
      captured: false,
    });
    expect((await refreshPayment(w.server.db, w.deps, p.paymentId)).status).toBe('paid');
    expect((await chargesOf(p.paymentId))[0]).toMatchObject({ captured: true });
  });

  it('a 3-D Secure challenge canceled → failed, nothing captured, the card page says so', async () => {
    const p = await start();
    const ok = (await (await charge(p.paymentId, { token: await token('4000000000003220') })).json()) as {
      url: string;
    };
    const html = await (await threeDSecure(ok.url)).text();
    const backUrl = /name="back_url" value="([^"]+)"/.exec(html)![1]!;
    const chargeId = (await chargesOf(p.paymentId))[0]!.id;
    await fetch(`${w.simUrl}/payjp/v1/tds/${chargeId}/challenge`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ back_url: backUrl, result: 'cancel' }).toString(),
    });
    const rb = await back(p.paymentId);
    expect(rb.headers.get('location')).toBe(`/pay/payjp/${p.paymentId}?error=tds_failed`);
    expect(await statusOf(p.paymentId)).toBe('failed');
    expect((await chargesOf(p.paymentId))[0]).toMatchObject({ captured: false, paid: false });
    const pageHtml = await (await fetch(`${w.server.url}/pay/payjp/${p.paymentId}?error=tds_failed`)).text();
    expect(pageHtml).toContain('本人認証（3D セキュア）ができませんでした');
    expect(pageHtml).not.toContain('id="card-form"');
  });

  it('the provider down: a clear 503, nothing charged; an answer lost: the retry finds the charge (one charge)', async () => {
    const p = await start();
    await w.sim$('POST', '/_sim/payjp/faults', { mode: 'down', count: 1 });
    const down = await charge(p.paymentId, { token: await token('4242424242424242') });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
    expect(await chargesOf(p.paymentId)).toEqual([]);

    await w.sim$('POST', '/_sim/payjp/faults', { mode: 'lose-response', count: 1 });
    const lost = await charge(p.paymentId, { token: await token('4242424242424242') });
    expect(lost.status).toBe(503);
    expect(await chargesOf(p.paymentId)).toHaveLength(1); // made at PAY.JP, answer lost
    // Meanwhile other citizens pay: our charge is no longer on the list's first page (100).
    for (let i = 0; i < 120; i++) {
      const r = await fetch(`${w.simUrl}/payjp/v1/charges`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${TEST_PAYJP.secretKey}:`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          card: await token('4242424242424242'),
          amount: '300',
          currency: 'jpy',
          three_d_secure: 'true',
        }).toString(),
      });
      expect(r.status).toBe(200);
    }
    const retry = await charge(p.paymentId, { token: await token('4242424242424242') });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { next: string }).next).toBe('three_d_secure');
    expect(await chargesOf(p.paymentId)).toHaveLength(1);
  });

  it('webhooks: a wrong X-Payjp-Webhook-Token is refused with nothing recorded; a right one for no payment is kept', async () => {
    const body = JSON.stringify({
      id: 'evnt_test_unknown_1',
      object: 'event',
      type: 'charge.succeeded',
      data: { id: 'ch_unknown', amount: 710, currency: 'jpy', paid: true, captured: true, metadata: {} },
    });
    const send = (tokenValue: string | null) =>
      fetch(`${w.server.url}/webhooks/payments/payjp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(tokenValue ? { 'x-payjp-webhook-token': tokenValue } : {}),
        },
        body,
      });
    for (const bad of [null, 'wrong-token-wrong-token', `${TEST_PAYJP.webhookToken}x`]) {
      const r = await send(bad);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ code: 'PAYMENT_WEBHOOK_SIGNATURE' });
    }
    const rows = await w.server.db
      .selectFrom('payment_webhook_events')
      .select('state')
      .where('event_id', '=', 'evnt_test_unknown_1')
      .execute();
    expect(rows).toEqual([]);
    const good = await send(TEST_PAYJP.webhookToken);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ state: 'unknown_payment' });
  });

  it('bad input on each card route', async () => {
    const p = await start();
    const unknown = '4b0c8d6e-0000-4000-8000-00000000ffff';
    expect((await fetch(`${w.server.url}/pay/payjp/not-a-uuid`)).status).toBe(400);
    expect((await fetch(`${w.server.url}/pay/payjp/${unknown}`)).status).toBe(404);
    expect((await fetch(`${w.server.url}/pay/payjp/${p.paymentId}?lang=fr`)).status).toBe(400);
    expect((await fetch(`${w.server.url}/pay/payjp/${p.paymentId}?error=<x>`)).status).toBe(400);
    for (const body of [{}, { token: '' }, { token: 'card_4242' }, { token: 'tok_<script>' }, { token: 7 }]) {
      const r = await charge(p.paymentId, body);
      expect(r.status).toBe(400);
    }
    expect((await charge(unknown, { token: 'tok_abc' })).status).toBe(404);
    const wrongToken = await charge(p.paymentId, { token: 'tok_doesnotexist' });
    expect(wrongToken.status).toBe(502);
    expect(await wrongToken.json()).toMatchObject({ code: 'PAYMENT_PROVIDER_REFUSED' });
    expect((await back(unknown)).status).toBe(404);
    expect((await fetch(`${w.server.url}/pay/payjp/x/back`)).status).toBe(400);
    // Back without a charge: nothing to finish, the card page says it is not confirmed.
    expect((await back(p.paymentId)).headers.get('location')).toBe(`/pay/payjp/${p.paymentId}?error=pending`);
    expect(await statusOf(p.paymentId)).toBe('pending');
    expect((await fetch(`${w.server.url}/pay/payjp/card.js`)).headers.get('content-type')).toContain(
      'javascript',
    );
  });
});

describe('card testing', () => {
  it('the card submits of one payment are limited (429 RATE_LIMITED), other payments are not', async () => {
    const p = await start();
    const answers: number[] = [];
    for (let i = 0; i <= CARD_ATTEMPTS_PER_PAYMENT; i++) {
      answers.push((await charge(p.paymentId, { token: await token('4000000000000002') })).status);
    }
    expect(answers.slice(0, CARD_ATTEMPTS_PER_PAYMENT).every((s) => s === 402)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    const other = await start();
    expect((await charge(other.paymentId, { token: await token('4000000000000002') })).status).toBe(402);
  });
});

describe('PAY.JP stand-in', () => {
  it('refuses the API without the secret key, and a 3-D Secure start with a forged back_url', async () => {
    const r = await fetch(`${w.simUrl}/payjp/v1/charges`, {
      headers: { authorization: `Basic ${Buffer.from(`${TEST_PAYJP.publicKey}:`).toString('base64')}` },
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { type: 'auth_error' } });
    const p = await start();
    const ok = (await (await charge(p.paymentId, { token: await token('4242424242424242') })).json()) as {
      url: string;
    };
    const u = new URL(ok.url);
    const [h, payload] = u.searchParams.get('back_url')!.split('.');
    const forged = Buffer.from(JSON.stringify({ url: 'https://evil.example/' })).toString('base64url');
    u.searchParams.set('back_url', `${h}.${forged}.${payload}`);
    expect((await fetch(u, { redirect: 'manual' })).status).toBe(400);
    const bad = await fetch(`${w.simUrl}/_sim/payjp/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secretKey: 'sk_live_nope' }),
    });
    expect(bad.status).toBe(400);
  });
});
