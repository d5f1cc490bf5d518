import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { runMadoguchi } from '../../testing/cli.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';

// The change record (O-05): every start compares what it runs with the last start recorded and
// writes a row only when something changed, naming the changed settings; secrets are never stored.
// Operators add their own work with `madoguchi changes add`; staff read and export the record.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
const SMTP_PASSWORD = 'very-secret-smtp-password-42';

const rows = (server: TestServer) =>
  server.db.selectFrom('change_records').selectAll().orderBy('id').execute();

/** One start of the installation with these settings, stopped again; returns what it recorded. */
async function startOnce(env: Record<string, string>) {
  const server = await startTestServer(env, { database });
  try {
    return await rows(server);
  } finally {
    await server.close();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('change record (O-05)', () => {
  it('O-05: the first start is recorded; the same settings again add no row; a changed setting adds one row naming it; secrets never stored', async () => {
    const first = await startOnce({
      LOG_LEVEL: 'silent',
      SMTP_URL: 'smtp://mail:old-password@127.0.0.1:2525',
    });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'start', version: '0.1.0', node_version: process.version });
    expect(first[0]!.postgres_version).toMatch(/^\d+/);
    expect(first[0]!.migrations).toContain('2026121501_operations');

    expect(
      await startOnce({ LOG_LEVEL: 'silent', SMTP_URL: 'smtp://mail:old-password@127.0.0.1:2525' }),
    ).toHaveLength(1);

    const third = await startOnce({
      LOG_LEVEL: 'silent',
      SMTP_URL: `smtp://mail:${SMTP_PASSWORD}@127.0.0.1:2525`,
      ACCESS_LOG_RETENTION_DAYS: '90',
      MADOGUCHI_REVISION: 'abc1234',
    });
    expect(third).toHaveLength(2);
    const row = third[1]!;
    expect(row.changed_keys).toEqual(['ACCESS_LOG_RETENTION_DAYS', 'SMTP_URL']);
    expect(row.revision).toBe('abc1234');
    expect(row.summary).toContain('設定 ACCESS_LOG_RETENTION_DAYS, SMTP_URL');
    expect(row.summary).toContain('リビジョン - → abc1234');
    expect(row.config_keys!.ACCESS_LOG_RETENTION_DAYS).toBe('90');
    expect(row.config_keys!.SMTP_URL).toMatch(/^secret:[0-9a-f]{16}$/);
    expect(row.config_keys!.ENCRYPTION_KEY).toMatch(/^secret:/);
    expect(row.config_hash).not.toBe(first[0]!.config_hash);
    const text = JSON.stringify(third);
    for (const secret of [SMTP_PASSWORD, 'old-password', 'postgres://']) expect(text).not.toContain(secret);
  });

  it('O-05: `changes add` records operator work (audited), staff list and export it; bad input exits 2', async () => {
    const server = await startTestServer({ LOG_LEVEL: 'silent' }, { database });
    try {
      const add = runMadoguchi(server, [
        'changes',
        'add',
        '--kind',
        'patch',
        '--summary',
        'OS のセキュリティパッチを適用',
      ]);
      expect(add.status, add.stderr).toBe(0);
      expect(JSON.parse(add.stdout)).toMatchObject({
        kind: 'patch',
        summary: 'OS のセキュリティパッチを適用',
        createdBy: 'cli',
      });
      for (const args of [
        ['changes', 'add', '--kind', 'reboot', '--summary', 'x'],
        ['changes', 'add', '--kind', 'patch', '--summary', '  '],
        ['changes', 'add', '--summary', 'x'],
      ]) {
        const r = runMadoguchi(server, args);
        expect(r.status, args.join(' ')).toBe(2);
        expect(r.stderr.length).toBeGreaterThan(0);
      }

      const admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
      const list = (await (await admin.request('GET', '/api/changes')).json()) as {
        items: { kind: string }[];
      };
      expect(list.items.map((i) => i.kind)).toEqual(['patch', 'start', 'start', 'start']); // this start's settings differ again
      expect((await admin.request('GET', '/api/changes?limit=0')).status).toBe(400);
      const csv = await admin.request('GET', '/api/changes.csv');
      expect(csv.status).toBe(200);
      const body = Buffer.from(await csv.arrayBuffer()).toString('utf8'); // keeps the BOM (text() drops it)
      expect(body.startsWith('\uFEFF日時,種別')).toBe(true);
      expect(body).toContain('OS のセキュリティパッチを適用');
      const audit = await server.db
        .selectFrom('audit_log')
        .select(['action', 'count'])
        .where('action', 'in', ['change.add', 'change.export'])
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'change.add', count: null },
        { action: 'change.export', count: 4 },
      ]);
      const general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
      expect((await general.request('GET', '/api/changes')).status).toBe(403);
    } finally {
      await server.close();
    }
  });
}, 120_000); // each CLI call is a process start: slow on a loaded machine
