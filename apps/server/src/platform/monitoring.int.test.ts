import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvent, lineUserId, postWebhook } from '../testing/line-webhook.ts';
import {
  insertTestChannel,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../testing/test-server.ts';
import { waitFor } from '../testing/wait-for.ts';

// Monitoring (O-03, S-10): /metrics carries every metric docs/operations.md lists, with values that
// follow what happened; /readyz says which dependency is missing.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = path.join(root, 'apps/server/bin/madoguchi.js');
const documented = [
  ...new Set(readFileSync(path.join(root, 'docs/operations.md'), 'utf8').match(/madoguchi_[a-z_]+/g) ?? []),
];

/** Samples of one metric: label text → value. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_]+)(\{[^}]*\})? (\S+)$/);
    if (m && m[1] === name) out.set(m[2] ?? '', Number(m[3]));
  }
  return out;
}
const one = (text: string, name: string) => [...samples(text, name).values()][0];
const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

describe('metrics (O-03)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LINE_API_BASE_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => server?.close());

  it('O-03: every metric docs/operations.md lists is on /metrics, each source read', async () => {
    expect(documented.length).toBeGreaterThan(30);
    const text = await scrape(server.url);
    const missing = documented.filter((name) => {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      return !text.includes(`# TYPE ${base} `);
    });
    expect(missing).toEqual([]);
    const up = samples(text, 'madoguchi_metrics_source_up');
    expect([...up.keys()].sort()).toEqual(
      ['clock', 'consultation', 'deliveries', 'forwarding', 'jobs', 'line-events', 'mail', 'mail-bridge'].map(
        (s) => `{source="${s}"}`,
      ),
    );
    expect([...up.values()].every((v) => v === 1)).toBe(true);
  });

  it('O-03: webhook intake counts accepted, refused and redelivered events with their time', async () => {
    const channel = await insertTestChannel(server, { channelSecret: 'monitoring-secret-0123456789' });
    const before = await scrape(server.url);
    const accepted = (t: string) =>
      samples(t, 'madoguchi_webhook_intake_duration_seconds_count').get('{outcome="accepted"}') ?? 0;
    const refused = (t: string) =>
      samples(t, 'madoguchi_webhook_intake_duration_seconds_count').get('{outcome="INVALID_SIGNATURE"}') ?? 0;
    const event = followEvent(lineUserId());
    for (let i = 0; i < 2; i++) {
      const res = await postWebhook(server.url, channel.id, 'monitoring-secret-0123456789', [event]);
      expect(res.status).toBe(200);
    }
    const bad = await postWebhook(server.url, channel.id, 'another-secret', [event]);
    expect(bad.status).toBe(401);
    const after = await scrape(server.url);
    expect(accepted(after) - accepted(before)).toBe(2);
    expect(refused(after) - refused(before)).toBe(1);
    expect(
      (one(after, 'madoguchi_line_events_duplicate_total') ?? 0) -
        (one(before, 'madoguchi_line_events_duplicate_total') ?? 0),
    ).toBe(1);
    expect(
      samples(after, 'madoguchi_line_events_received_total').get('{type="follow"}') ?? 0,
    ).toBeGreaterThanOrEqual(1);
  });

  it('O-03: the job queues are listed with their backlog; the LINE outbox backlog shows a waiting call', async () => {
    const text = await scrape(server.url);
    const queued = samples(text, 'madoguchi_job_queue_queued');
    expect(queued.has('{queue="line-outbox.send"}')).toBe(true);
    for (const v of samples(text, 'madoguchi_job_queue_oldest_waiting_seconds').values())
      expect(v).toBeGreaterThanOrEqual(0);
    // A reply LINE cannot take (LINE_API_BASE_URL answers nothing) stays pending with retries.
    const channel = await insertTestChannel(server, { lineChannelId: '2000000077' });
    await server.db
      .insertInto('line_outbox')
      .values({
        channel_id: channel.id,
        kind: 'push',
        to_id: lineUserId(),
        retry_key: crypto.randomUUID(),
        messages_enc: Buffer.from('x'),
        next_attempt_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    // Figures are cached a few seconds (FIGURES_CACHE_MS): wait for the next read.
    const later = await waitFor(
      () => scrape(server.url),
      (t) => (one(t, 'madoguchi_line_outbox_pending') ?? 0) >= 1,
      { timeoutMs: 15_000, everyMs: 500, what: 'the outbox backlog on /metrics' },
    );
    expect(one(later, 'madoguchi_line_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('S-10: the clock skew against the database is measured (same machine: well under 1 s); build info', async () => {
    const text = await scrape(server.url);
    expect(Math.abs(one(text, 'madoguchi_clock_skew_seconds') ?? 99)).toBeLessThan(1);
    expect([...samples(text, 'madoguchi_build_info').keys()][0]).toMatch(/^\{version="0\.1\.0",node="v\d+/);
  });
});

describe('readiness (O-03)', () => {
  let server: TestServer;
  let admin: pg.Client;
  const dbName = () => new URL(server.databaseUrl).pathname.slice(1);
  beforeAll(async () => {
    server = await startTestServer();
    const adminUrl = new URL(server.databaseUrl);
    adminUrl.pathname = '/postgres';
    admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`alter database ${dbName()} with allow_connections true`).catch(() => {});
    await admin?.end();
    await server?.close();
  });

  it('O-03: /readyz is 503 DATABASE_UNAVAILABLE while the database refuses connections, then ready again', async () => {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    await admin.query(`alter database ${dbName()} with allow_connections false`);
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName()],
    );
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      code: 'DATABASE_UNAVAILABLE',
      message: 'データベースに接続できません',
    });
    // Liveness stays: the process itself is fine.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await admin.query(`alter database ${dbName()} with allow_connections true`);
    await waitFor(
      async () => (await fetch(`${server.url}/readyz`)).status,
      (s) => s === 200,
      { what: '/readyz ready again' },
    );
  });

  it('O-03: /readyz is 503 JOB_QUEUE_UNAVAILABLE when the job queue schema is gone', async () => {
    await server.db.schema.dropSchema('pgboss').cascade().execute();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      code: 'JOB_QUEUE_UNAVAILABLE',
      message: 'ジョブキュー（pg-boss）に接続できません',
    });
    // Its figures are missing too, and say so.
    const text = await waitFor(
      () => scrape(server.url),
      (t) => samples(t, 'madoguchi_metrics_source_up').get('{source="jobs"}') === 0,
      { timeoutMs: 15_000, everyMs: 500, what: 'jobs source down' },
    );
    expect(samples(text, 'madoguchi_metrics_source_up').get('{source="clock"}')).toBe(1);
  });
});

describe('worker endpoints (O-03)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('O-03: `madoguchi worker` with WORKER_METRICS_PORT answers /healthz, /readyz and /metrics, and nothing else', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'worker'], {
      env: {
        ...process.env,
        PUBLIC_URL: 'http://127.0.0.1:3000',
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATABASE_URL: server.databaseUrl,
        HOST: '127.0.0.1',
        WORKER_METRICS_PORT: String(port),
        LOG_LEVEL: 'silent',
        AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `worker-endpoints-${port}.jsonl`),
      },
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        () =>
          fetch(`${base}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        (s) => s === 200,
        { timeoutMs: 60_000, everyMs: 250, what: 'the worker endpoints' },
      );
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('# TYPE madoguchi_delivery_messages_total counter');
      expect(metrics).toContain('madoguchi_job_queue_queued{queue=');
      const api = await fetch(`${base}/api/session`);
      expect(api.status).toBe(404);
      expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 90_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
