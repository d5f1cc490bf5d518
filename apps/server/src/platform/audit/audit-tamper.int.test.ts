import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMadoguchi } from '../../testing/cli.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { recordAudit } from './audit.service.ts';
import { GENESIS_HASH, LEGACY_CHAIN, legacyHash, toStored } from './audit-chain.ts';

// S-09: `madoguchi audit verify` against a real database: every break is reported, rows deleted at
// the end are caught through checkpoints kept outside the database, and the chain cannot be rebuilt
// without the key.

let server: TestServer;
let dir: string;
let cpFile: string;
let jobFile: string;
let syslog: Socket;
const datagrams: string[] = [];

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runMadoguchi(server, args, { AUDIT_CHECKPOINT_FILE: cpFile, AUDIT_CHECKPOINT_SYSLOG: '', ...extra });
const verify = () => cli(['audit', 'verify']);
const tampered = (r: ReturnType<typeof cli>) =>
  r.stderr
    .split('\n')
    .filter((l) => l.startsWith('TAMPERED: '))
    .map((l) => l.slice('TAMPERED: '.length));

/** A fresh log of n entries written through the audit service. */
async function freshLog(n: number) {
  await sql`truncate audit_log restart identity`.execute(server.db);
  rmSync(cpFile, { force: true });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      recordAudit(server.db, {
        accountId: null,
        loginId: `staff${i}`,
        ip: '192.0.2.1',
        action: 'account.update',
        result: 'success',
        targetType: 'account',
        targetId: String(i),
        detail: { i, note: 'テスト' },
      }),
    ),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-audit-'));
  cpFile = path.join(dir, 'checkpoints.jsonl');
  jobFile = path.join(dir, 'job-checkpoints.jsonl');
  syslog = createSocket('udp4');
  syslog.on('message', (m) => datagrams.push(m.toString('utf8')));
  await new Promise<void>((resolve) => syslog.bind(0, '127.0.0.1', resolve));
  server = await startTestServer({
    AUDIT_CHECKPOINT_FILE: jobFile,
    AUDIT_CHECKPOINT_SYSLOG: `127.0.0.1:${syslog.address().port}`,
  });
});
afterAll(async () => {
  await server?.close();
  syslog?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log tampering is detected (S-09)', () => {
  it('S-09: a sign-in attempt with a lone surrogate, and entries with lone surrogates, NUL and upper-case IDs, verify OK', async () => {
    await sql`truncate audit_log restart identity`.execute(server.db);
    const login = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"loginId":"a\\uD800b","password":"x"}',
    });
    expect(login.status).toBeGreaterThanOrEqual(400);
    expect(login.status).toBeLessThan(500);
    await recordAudit(server.db, {
      accountId: null,
      loginId: 'a\uD800b',
      ip: '192.0.2.1',
      action: 'session.login',
      result: 'failure',
      detail: {
        reason: 'x\uDC00',
        'k\u0000': 'nul\u0000',
        big: 1e21,
        tiny: 1e-7,
        nested: { z: 1, a: [1.5, null] },
      },
    });
    await recordAudit(server.db, {
      accountId: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      loginId: '😀'.repeat(3).slice(0, 5),
      ip: null,
      action: 'account.update',
      result: 'success',
    });
    const rows = await server.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows.some((r) => r.login_id === 'a\uFFFDb')).toBe(true);
    expect(rows.find((r) => r.detail && 'reason' in r.detail)?.detail).toMatchObject({
      reason: 'x\uFFFD',
      'k\uFFFD': 'nul\uFFFD',
    });
    const r = verify();
    expect(r.stderr).not.toContain('TAMPERED');
    expect(r.stdout).toMatch(new RegExp(`^OK: ${rows.length} audit log rows verified`));
    expect(r.status).toBe(0);
  });

  it('S-09: a changed row is reported by its id', async () => {
    await freshLog(10);
    await server.db.updateTable('audit_log').set({ result: 'failure' }).where('id', '=', '4').execute();
    const r = verify();
    expect(tampered(r)).toEqual(['row 4 changed (content or link does not match the keyed hash)']);
    expect(r.status).toBe(1);
  });

  it('S-09: deleted middle rows are reported as a missing range', async () => {
    await freshLog(10);
    await server.db.deleteFrom('audit_log').where('id', '>=', '4').where('id', '<=', '6').execute();
    const r = verify();
    expect(tampered(r)).toEqual(['rows 4–6 missing (deleted)']);
    expect(r.status).toBe(1);
  });

  it('S-09: rows deleted at the end are detected through a checkpoint kept outside the database', async () => {
    await freshLog(10);
    const cp = cli(['audit', 'checkpoint']);
    expect(cp.status).toBe(0);
    const written = JSON.parse(readFileSync(cpFile, 'utf8').trim());
    expect(written).toMatchObject({ lastId: '10', count: 10 });
    expect(verify().stdout).toMatch(
      /^OK: 10 audit log rows verified \(head row 10\), 1 checkpoint\(s\) matched/,
    );

    await server.db.deleteFrom('audit_log').where('id', '>', '7').execute();
    // the chain itself is still intact: without the checkpoint nothing shows
    const empty = path.join(dir, 'none.jsonl');
    writeFileSync(empty, '');
    expect(cli(['audit', 'verify', '--checkpoints', empty]).status).toBe(0);
    const r = verify();
    expect(tampered(r)).toEqual([
      `tail truncated after row 7 (checkpoint ${written.time} recorded row 10, 10 rows)`,
    ]);
    expect(r.status).toBe(1);
  });

  it('S-09: a chain rebuilt from SQL with plain SHA-256 is detected (keyed HMAC) and contradicts the checkpoint', async () => {
    await freshLog(6);
    expect(cli(['audit', 'checkpoint']).status).toBe(0);
    // Someone with database access changes row 2 and rebuilds every hash so the links match again.
    await sql`
      do $$
      declare r record; prev text := repeat('0', 64); h text;
      begin
        update audit_log set result = 'failure' where id = 2;
        for r in select * from audit_log order by id loop
          h := encode(sha256(convert_to(prev || r.at::text || r.action || coalesce(r.login_id, '') || r.result
                 || coalesce(r.detail::text, ''), 'UTF8')), 'hex');
          update audit_log set prev_hash = prev, hash = h where id = r.id;
          prev := h;
        end loop;
      end $$
    `.execute(server.db);
    const r = verify();
    expect(tampered(r)).toEqual([
      'rows 1–6 changed (content or link does not match the keyed hash)',
      expect.stringMatching(/^chain rewritten: row 6 does not have the hash recorded by checkpoint /),
    ]);
    expect(r.status).toBe(1);
  });

  it('S-09: two separate breaks are both reported', async () => {
    await freshLog(12);
    await server.db
      .updateTable('audit_log')
      .set({ login_id: 'someone-else' })
      .where('id', '=', '3')
      .execute();
    await server.db.deleteFrom('audit_log').where('id', 'in', ['8', '9']).execute();
    const r = verify();
    expect(tampered(r)).toEqual([
      'row 3 changed (content or link does not match the keyed hash)',
      'rows 8–9 missing (deleted)',
    ]);
    expect(r.stderr).toContain('2 problem(s) in 10 audit log rows');
    expect(r.status).toBe(1);
  });

  it('S-09: rows hashed before the keyed chain (v1) still verify; new rows continue them with the HMAC', async () => {
    await sql`truncate audit_log restart identity`.execute(server.db);
    let prev = GENESIS_HASH;
    for (let i = 0; i < 3; i++) {
      const s = toStored({
        at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)),
        accountId: null,
        loginId: 'cli',
        ip: null,
        action: 'channel.create',
        targetType: 'channel',
        targetId: String(i),
        result: 'success',
        count: null,
        detail: null,
      });
      const hash = legacyHash(prev, s);
      await server.db
        .insertInto('audit_log')
        .values({
          at: s.at,
          login_id: s.loginId,
          action: s.action,
          target_type: s.targetType,
          target_id: s.targetId,
          result: s.result,
          prev_hash: prev,
          hash,
          chain_version: LEGACY_CHAIN,
        })
        .execute();
      prev = hash;
    }
    await recordAudit(server.db, {
      accountId: null,
      loginId: 'x',
      ip: null,
      action: 'a.b',
      result: 'success',
    });
    const ok = verify();
    expect(ok.stdout).toMatch(/^OK: 4 audit log rows verified/);
    expect(ok.stdout).toContain('the first 3 rows predate the keyed chain');
    // a legacy row after the keyed one is a downgrade, not a legacy row
    await server.db
      .updateTable('audit_log')
      .set({ chain_version: LEGACY_CHAIN })
      .where('id', '=', '4')
      .execute();
    expect(tampered(verify())).toEqual(['row 4 changed (content or link does not match the keyed hash)']);
  });

  it('S-09: the checkpoint job runs every 10 minutes and writes the head to the file and to syslog (RFC 5424, UDP)', async () => {
    await freshLog(3);
    const boss = new PgBoss({ connectionString: server.databaseUrl, schema: 'pgboss' });
    await boss.start();
    try {
      const schedules = await boss.getSchedules();
      expect(schedules.find((s) => s.name === 'audit-checkpoint')?.cron).toBe('*/10 * * * *');
      datagrams.length = 0;
      await boss.send('audit-checkpoint', {});
      await waitFor(
        async () => existsSync(jobFile) && datagrams.length > 0,
        (done) => done,
        { everyMs: 100, what: 'the checkpoint file and datagram' },
      );
    } finally {
      await boss.stop({ graceful: false });
    }
    const line = readFileSync(jobFile, 'utf8').trim().split('\n').pop()!;
    const cp = JSON.parse(line);
    const head = await server.db
      .selectFrom('audit_log')
      .select(['id', 'hash'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(cp).toMatchObject({ lastId: String(head.id), lastHash: head.hash, count: 3 });
    expect(cp.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(datagrams).toHaveLength(1);
    const m = /^<110>1 (\S+) (\S+) madoguchi (\d+) audit-checkpoint - (.*)$/.exec(datagrams[0]!);
    expect(m?.[4]).toBe(line);
    expect(new Date(m![1]!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // the job's file is what `audit verify --checkpoints` reads
    expect(cli(['audit', 'verify', '--checkpoints', jobFile]).stdout).toMatch(/1 checkpoint\(s\) matched/);
  });
});
