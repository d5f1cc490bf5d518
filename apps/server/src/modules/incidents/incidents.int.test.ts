import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// Incident reports (障害報告, O-03: failure reports with cause, action and prevention): recorded and
// changed by administrators, exported as CSV, every change audited; bad input answers 4xx with a code.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let adminLogin: string;
beforeAll(async () => {
  server = await startTestServer();
  adminLogin = (await createStaff(server.db, 'admin')).loginId;
  admin = await staffClient(server, adminLogin);
});
afterAll(async () => server?.close());

const report = {
  title: 'LINE 配信の遅延',
  startedAt: '2026-12-01T09:00:00+09:00',
  impact: '防災情報の配信が 20 分遅れた',
  cause: 'ワーカーが 1 台停止していた',
  action: 'ワーカーを再起動した',
  prevention: 'MadoguchiJobBacklog の警報を担当者の携帯に送る',
};

describe('incident reports (O-03)', () => {
  it('O-03: an admin records a failure, resolves it with its end, and the list shows it newest first', async () => {
    const created = await admin.request('POST', '/api/incidents', report);
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; status: string; endedAt: string | null };
    expect(body).toMatchObject({ status: 'open', endedAt: null, title: report.title });
    const later = await admin.request('POST', '/api/incidents', {
      ...report,
      title: 'メール送信の失敗',
      startedAt: '2026-12-03T10:00:00+09:00',
    });
    expect(later.status).toBe(201);

    const resolved = await admin.request('PATCH', `/api/incidents/${body.id}`, {
      ...report,
      status: 'resolved',
      endedAt: '2026-12-01T09:20:00+09:00',
    });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', endedAt: '2026-12-01T00:20:00.000Z' });

    const list = (await (await admin.request('GET', '/api/incidents')).json()) as {
      items: { title: string }[];
    };
    expect(list.items.map((i) => i.title)).toEqual(['メール送信の失敗', 'LINE 配信の遅延']);
  });

  it('O-03: the CSV has every field in Japanese headers with Tokyo times; creation, change and export are audited', async () => {
    const csv = await admin.request('GET', '/api/incidents.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('件名,状態,開始日時,終了日時,影響,原因,対応,再発防止策,ID');
    expect(text).toContain(
      'LINE 配信の遅延,解決済み,2026-12-01 09:00:00,2026-12-01 09:20:00,防災情報の配信が 20 分遅れた',
    );
    for (const action of ['incident.create', 'incident.update', 'incident.export']) {
      const res = await admin.request('GET', `/api/audit?action=${action}&loginId=${adminLogin}`);
      const { items } = (await res.json()) as { items: { result: string }[] };
      expect([action, items.length > 0, items[0]?.result]).toEqual([action, true, 'success']);
    }
  });

  it('O-03: bad input answers 400 with a stable code, an unknown report 404, never 5xx', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/incidents', { ...report, title: '' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/incidents', { ...report, title: '<script>' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/incidents', { ...report, startedAt: '2026-12-01' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/incidents', { ...report, status: 'closed' }, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/incidents', { ...report, cause: 'x'.repeat(4001) }, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/incidents',
        { ...report, endedAt: '2026-11-30T09:00:00+09:00' },
        400,
        'INCIDENT_ENDS_BEFORE_START',
      ],
      ['POST', '/api/incidents', { ...report, status: 'resolved' }, 400, 'INCIDENT_END_REQUIRED'],
      ['PATCH', '/api/incidents/not-a-uuid', report, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/incidents/${crypto.randomUUID()}`, report, 404, 'NOT_FOUND'],
      ['POST', '/api/incidents', '{"title":', 400, 'INVALID_JSON'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await admin.request(method, path, body);
      expect([method, path, res.status, ((await res.json()) as { code: string }).code]).toEqual([
        method,
        path,
        status,
        code,
      ]);
    }
  });

  it('O-03: staff without incidents.manage (general, counselor) are refused', async () => {
    for (const role of ['general', 'counselor']) {
      const { loginId } = await createStaff(server.db, role);
      const staff = await staffClient(server, loginId);
      expect((await staff.request('GET', '/api/incidents')).status).toBe(403);
      expect((await staff.request('POST', '/api/incidents', report)).status).toBe(403);
      expect((await staff.request('GET', '/api/incidents.csv')).status).toBe(403);
    }
  });
});
