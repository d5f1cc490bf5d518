import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../platform/http/xlsx.testing.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { startPayment } from './payments.service.ts';
import { type PaymentWorld, startPaymentWorld } from './testing/payment-world.ts';

// The staff side of payments over HTTP: list, detail, server-side check, refund and the
// reconciliation export (CSV with BOM, xlsx), with bad input for each route and the permissions.

let w: PaymentWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let paidId: string;
let refundedId: string;
let pendingId: string;

const today = tokyoDay(new Date());

async function paidPayment(ref: string, lines = [{ label: '住民票の写し', unitAmount: 300, quantity: 2 }]) {
  const start = await startPayment(w.server.db, w.deps, {
    purpose: 'juminhyo',
    ref,
    lines: [...lines, { label: '郵送料', unitAmount: 110, quantity: 1 }],
    description: '住民票の写しの交付手数料',
    returnPath: '/citizen/applications/',
  });
  const log = await w.log();
  const session = log.sessions.find((s) => s.metadata.payment_id === start.paymentId)!;
  await w.sim$('POST', `/_sim/payments/sessions/${session.id}/pay`);
  await waitFor(
    () =>
      w.server.db
        .selectFrom('payments')
        .select('status')
        .where('id', '=', start.paymentId)
        .executeTakeFirstOrThrow(),
    (r) => r.status === 'paid',
    { what: 'paid' },
  );
  return start.paymentId;
}

beforeAll(async () => {
  w = await startPaymentWorld();
  const a = await createStaff(w.server.db, 'admin');
  const g = await createStaff(w.server.db, 'general');
  admin = await staffClient(w.server, a.loginId);
  general = await staffClient(w.server, g.loginId);
  paidId = await paidPayment('r-paid');
  refundedId = await paidPayment('r-refunded', [{ label: '住民票の写し', unitAmount: 300, quantity: 1 }]);
  const start = await startPayment(w.server.db, w.deps, {
    purpose: 'juminhyo',
    ref: 'r-pending',
    lines: [{ label: '住民票の写し', unitAmount: 300, quantity: 1 }],
    description: '住民票の写しの交付手数料',
    returnPath: '/citizen/applications/',
  });
  pendingId = start.paymentId;
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('/api/payments', () => {
  it('lists with a status filter, pages with before, and shows one payment with its events', async () => {
    const all = await admin.request('GET', '/api/payments');
    expect(all.status).toBe(200);
    const page = (await all.json()) as { items: { id: string; status: string }[]; next: string | null };
    expect(page.items.map((p) => p.id).sort()).toEqual([paidId, refundedId, pendingId].sort());
    const pending = (await (
      await admin.request('GET', '/api/payments?status=pending')
    ).json()) as typeof page;
    expect(pending.items.map((p) => p.id)).toEqual([pendingId]);
    const first = (await (await admin.request('GET', '/api/payments?limit=2')).json()) as typeof page;
    expect(first.items).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = (await (
      await admin.request('GET', `/api/payments?limit=2&before=${encodeURIComponent(first.next!)}`)
    ).json()) as typeof page;
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();

    const detail = await admin.request('GET', `/api/payments/${paidId}`);
    expect(detail.status).toBe(200);
    const d = (await detail.json()) as {
      amount: number;
      status: string;
      lines: unknown[];
      events: { type: string; state: string }[];
    };
    expect(d).toMatchObject({ amount: 710, status: 'paid' });
    expect(d.events.some((e) => e.type === 'checkout.session.completed' && e.state === 'processed')).toBe(
      true,
    );
  });

  it('refuses bad input on every route', async () => {
    for (const path of [
      '/api/payments?status=bogus',
      '/api/payments?limit=0',
      '/api/payments?limit=1000',
      '/api/payments?before=yesterday',
      '/api/payments?from=2026-13-01',
      '/api/payments?purpose=Bad%20Purpose',
      '/api/payments?unknown=1',
      '/api/payments/not-a-uuid',
      '/api/payments/webhook-events?state=bogus',
      `/api/payments/reconciliation.csv?from=${today}`,
      `/api/payments/reconciliation.csv?from=${today}&to=2000-01-01`,
      '/api/payments/reconciliation.csv?from=2026-01-01&to=2026-12-31',
      '/api/payments/reconciliation.xlsx?from=x&to=y',
    ]) {
      const r = await admin.request('GET', path);
      expect(r.status, path).toBe(400);
      expect(((await r.json()) as { code: string }).code, path).toBeTruthy();
    }
    expect((await admin.request('GET', `/api/payments/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await admin.request('POST', `/api/payments/not-a-uuid/refresh`)).status).toBe(400);
    expect((await admin.request('POST', `/api/payments/${paidId}/refund`, {})).status).toBe(400);
    expect((await admin.request('POST', `/api/payments/${paidId}/refund`, { reason: '' })).status).toBe(400);
    expect(
      (await admin.request('POST', `/api/payments/${paidId}/refund`, { reason: 'x', amount: 1 })).status,
    ).toBe(400);
    expect(
      (await admin.request('POST', `/api/payments/${paidId}/refund`, { reason: 'a\u0000b' })).status,
    ).toBe(400);
    const notPaid = await admin.request('POST', `/api/payments/${pendingId}/refund`, { reason: '却下' });
    expect(notPaid.status).toBe(409);
    expect(((await notPaid.json()) as { code: string }).code).toBe('PAYMENT_NOT_PAID');
    expect(
      (await admin.request('POST', `/api/payments/${crypto.randomUUID()}/refund`, { reason: '却下' })).status,
    ).toBe(404);
  });

  it('needs payments.read / payments.manage (a general account is refused)', async () => {
    expect((await general.request('GET', '/api/payments')).status).toBe(403);
    expect((await general.request('GET', `/api/payments/${paidId}`)).status).toBe(403);
    expect((await general.request('POST', `/api/payments/${paidId}/refund`, { reason: '却下' })).status).toBe(
      403,
    );
    expect(
      (await general.request('GET', `/api/payments/reconciliation.csv?from=${today}&to=${today}`)).status,
    ).toBe(403);
  });

  it('refunds through the console route (audited), and checks a payment with the provider', async () => {
    const r = await admin.request('POST', `/api/payments/${refundedId}/refund`, {
      reason: '申請を却下したため',
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      status: string;
      payment: { status: string; refund: { status: string } };
    };
    expect(body.status).toBe('refunded');
    expect(body.payment.status).toBe('refunded');
    expect(body.payment.refund.status).toBe('succeeded');
    const again = await admin.request('POST', `/api/payments/${refundedId}/refund`, {
      reason: '申請を却下したため',
    });
    expect(((await again.json()) as { status: string }).status).toBe('refunded');
    const audit = await w.server.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_id', '=', refundedId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['payment.refund', 'payment.refund.request']),
    );

    const check = await admin.request('POST', `/api/payments/${pendingId}/refresh`);
    expect(check.status).toBe(200);
    expect(((await check.json()) as { status: string }).status).toBe('pending');
  });

  it('the reconciliation export: payments and refunds of the day, and the fees per procedure', async () => {
    const csv = await admin.request('GET', `/api/payments/reconciliation.csv?from=${today}&to=${today}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const raw = Buffer.from(await csv.arrayBuffer());
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('種別,日時,支払ID,用途,参照,内容,明細,金額（円）,決済サービス,決済ID,状態,要確認');
    const rows = lines.slice(1).map((l) => l.split(','));
    const byKind = (kind: string, id: string) => rows.filter((r) => r[0] === kind && r[2] === id);
    expect(byKind('入金', paidId)).toHaveLength(1);
    expect(byKind('入金', paidId)[0]![7]).toBe('710');
    expect(byKind('入金', refundedId)).toHaveLength(1);
    expect(byKind('入金', refundedId)[0]![7]).toBe('410');
    expect(byKind('返金', refundedId)).toHaveLength(1);
    expect(byKind('返金', refundedId)[0]![7]).toBe('-410');
    expect(rows.some((r) => r[2] === pendingId)).toBe(false);
    // Fees per procedure: 住民票の写し 2 + 1 − 1 copies = 600 円, postage 110 + 110 − 110.
    const fees = rows.filter((r) => r[0] === '手数料集計');
    expect(fees).toEqual(
      expect.arrayContaining([
        ['手数料集計', '', '', 'juminhyo', '', '2点', '住民票の写し', '600', '', '', '', ''],
        ['手数料集計', '', '', 'juminhyo', '', '1点', '郵送料', '110', '', '', '', ''],
      ]),
    );
    // Another day has nothing.
    const empty = await admin.request(
      'GET',
      '/api/payments/reconciliation.csv?from=2026-01-01&to=2026-01-02',
    );
    expect(
      Buffer.from(await empty.arrayBuffer())
        .subarray(3)
        .toString('utf8')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);

    const xlsx = await admin.request('GET', `/api/payments/reconciliation.xlsx?from=${today}&to=${today}`);
    expect(xlsx.status).toBe(200);
    const sheet = await readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet.rows[0]![0]).toBe('種別');
    expect(sheet.rows.length).toBe(lines.length);
  });

  it('no route takes an amount: the API description has no request field named amount for payments', async () => {
    const doc = (await (await admin.request('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>;
    };
    const paymentPaths = Object.keys(doc.paths).filter((p) => p.includes('payment'));
    expect(paymentPaths.length).toBeGreaterThanOrEqual(6);
    for (const path of paymentPaths) {
      for (const [method, op] of Object.entries(doc.paths[path]!)) {
        const inputs = JSON.stringify({ body: op.requestBody ?? null, params: op.parameters ?? [] });
        expect(inputs, `${method} ${path}`).not.toMatch(/"amount"|unitAmount|"lines"/);
      }
    }
  });

  it('lists webhook events by state', async () => {
    const r = await admin.request('GET', '/api/payments/webhook-events?state=processed');
    expect(r.status).toBe(200);
    const events = (await r.json()) as { state: string; paymentId: string | null }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.state === 'processed')).toBe(true);
  });
});
