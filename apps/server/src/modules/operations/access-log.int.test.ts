import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../../platform/jobs.ts';
import { runMadoguchi } from '../../testing/cli.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { ACCESS_LOG_RETENTION_JOB, applyAccessLogRetention } from './access-log.service.ts';

// The access log (S-05): every request is recorded (route, path without its query, status, address,
// staff account), written in batches; rows older than the retention are deleted; the access log and
// the audit log are exported by period, and the export is audited.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let adminId: string;
const out = (name: string) => path.join(os.tmpdir(), `${path.basename(server.databaseUrl)}-${name}`);

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1/32' });
  const staff = await createStaff(server.db, 'admin');
  adminId = staff.id;
  admin = await staffClient(server, staff.loginId);
});
afterAll(async () => server?.close());

const logged = (pathPrefix: string) =>
  server.db
    .selectFrom('access_log')
    .selectAll()
    .where('path', 'like', `${pathPrefix}%`)
    .orderBy('id')
    .execute();

describe('access log (S-05)', () => {
  it('S-05: requests produce rows (route, path without query, status, proxied address, account); never the query string', async () => {
    await fetch(`${server.url}/api/public/maintenance?token=secret-token-123`, {
      headers: { 'x-forwarded-for': '203.0.113.7', 'user-agent': `probe/${'x'.repeat(400)}` },
    });
    await admin.request('GET', '/api/accounts?q=abc');
    await fetch(`${server.url}/api/nothing-here`);
    const rows = await waitFor(
      async () => [
        ...(await logged('/api/public/maintenance')),
        ...(await logged('/api/accounts')),
        ...(await logged('/api/nothing')),
      ],
      (r) => r.length >= 3,
      { what: 'access log rows' },
    );
    const pub = rows.find((r) => r.path === '/api/public/maintenance')!;
    expect(pub).toMatchObject({
      method: 'GET',
      route: '/api/public/maintenance',
      status: 200,
      ip: '203.0.113.7',
      account_id: null,
    });
    expect(pub.user_agent).toHaveLength(200);
    expect(pub.duration_ms).toBeGreaterThanOrEqual(0);
    const staff = rows.find((r) => r.path === '/api/accounts')!;
    expect(staff).toMatchObject({ route: '/api/accounts', status: 200, account_id: adminId });
    expect(rows.find((r) => r.path === '/api/nothing-here')).toMatchObject({ route: null, status: 404 });
    expect(JSON.stringify(await server.db.selectFrom('access_log').selectAll().execute())).not.toContain(
      'secret-token-123',
    );
  });

  it('S-05: retention deletes only rows older than the set days', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    await server.db
      .insertInto('access_log')
      .values(
        [401, 399, 1].map((days) => ({
          at: new Date(now.getTime() - days * 86400_000),
          method: 'GET',
          route: '/retention-probe',
          path: `/retention-probe/${days}`,
          status: 200,
          duration_ms: 1,
        })),
      )
      .execute();
    expect(await applyAccessLogRetention(server.db, 400, now)).toBe(1);
    expect((await logged('/retention-probe')).map((r) => r.path)).toEqual([
      '/retention-probe/399',
      '/retention-probe/1',
    ]);
    expect(server.config.ACCESS_LOG_RETENTION_DAYS).toBe(400);

    // the daily job does the same with the configured days (sent now instead of at 3:20)
    await server.db
      .insertInto('access_log')
      .values(
        [401, 399].map((days) => ({
          at: new Date(Date.now() - days * 86400_000),
          method: 'GET',
          route: '/retention-job',
          path: `/retention-job/${days}`,
          status: 200,
          duration_ms: 1,
        })),
      )
      .execute();
    const jobs = createJobs(server.databaseUrl, () => {});
    await jobs.start({ workers: false });
    try {
      await jobs.send(ACCESS_LOG_RETENTION_JOB, {});
    } finally {
      await jobs.stop();
    }
    const left = await waitFor(
      () => logged('/retention-job'),
      (r) => r.length === 1,
      { what: 'the retention job' },
    );
    expect(left.map((r) => r.path)).toEqual(['/retention-job/399']);
  });

  it('S-05, S-04: export by period returns exactly the rows in the period (CLI and console), audited; bad periods refused', async () => {
    const at = (iso: string, p: string) => ({
      at: new Date(iso),
      method: 'POST',
      route: '/p',
      path: p,
      status: 201,
      duration_ms: 3,
    });
    await server.db
      .insertInto('access_log')
      .values([
        at('2025-03-31T14:59:59.999Z', '/period/before'), // 2025-03-31 23:59:59.999 Tokyo
        at('2025-03-31T15:00:00Z', '/period/first'), // 2025-04-01 00:00 Tokyo
        at('2025-04-02T14:59:59Z', '/period/last'), // 2025-04-02 23:59:59 Tokyo
        at('2025-04-02T15:00:00Z', '/period/after'),
      ])
      .execute();
    const file = out('access.csv');
    const r = runMadoguchi(server, [
      'logs',
      'export',
      '--kind',
      'access',
      '--from',
      '2025-04-01',
      '--to',
      '2025-04-02',
      '--out',
      file,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 access log rows');
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFF日時,メソッド')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('2025-04-01 00:00:00,POST,/p,/period/first');
    expect(lines[2]).toContain('/period/last');

    const web = await admin.request('GET', '/api/access-log.csv?from=2025-04-01&to=2025-04-02');
    expect(web.status).toBe(200);
    expect(web.headers.get('content-type')).toContain('text/csv');
    expect((await web.text()).trim().split('\r\n')).toHaveLength(3);

    const auditFile = out('audit.csv');
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const a = runMadoguchi(server, [
      'logs',
      'export',
      '--kind',
      'audit',
      '--from',
      today,
      '--to',
      today,
      '--out',
      auditFile,
    ]);
    expect(a.status, a.stderr).toBe(0);
    const auditCsv = readFileSync(auditFile, 'utf8');
    expect(auditCsv).toContain('access-log.export');
    expect(auditCsv).toContain('access.read');

    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'login_id', 'count'])
      .where('action', 'in', ['access-log.export', 'audit.export'])
      .orderBy('id')
      .execute();
    expect(audit.map((x) => [x.action, x.login_id, x.count])).toEqual([
      ['access-log.export', 'cli', 2],
      ['access-log.export', expect.stringMatching(/^staff/), 2],
      ['audit.export', 'cli', expect.any(Number)],
    ]);

    for (const [from, to] of [
      ['2025-04-03', '2025-04-01'],
      ['2025-02-30', '2025-03-01'],
      ['yesterday', '2025-03-01'],
    ] as const) {
      const bad = runMadoguchi(server, [
        'logs',
        'export',
        '--kind',
        'access',
        '--from',
        from,
        '--to',
        to,
        '--out',
        out('bad.csv'),
      ]);
      expect(bad.status, `${from}..${to}`).toBe(2);
      expect(bad.stderr).toMatch(/期間|日付/);
      const res = await admin.request('GET', `/api/access-log.csv?from=${from}&to=${to}`);
      expect(res.status).toBe(400);
    }
    expect(
      runMadoguchi(server, [
        'logs',
        'export',
        '--kind',
        'ftp',
        '--from',
        '2025-04-01',
        '--to',
        '2025-04-02',
        '--out',
        file,
      ]).status,
    ).toBe(2);
    expect((await admin.request('GET', '/api/access-log.csv')).status).toBe(400);
  });
}, 120_000); // each CLI call is a process start: slow on a loaded machine
