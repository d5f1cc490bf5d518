import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../db/connection.ts';
import { createDb } from '../db/database.ts';
import {
  type DrillProduct,
  findLost,
  type ReplicatedPair,
  startLoad,
  startProduct,
  startReplicatedPair,
  waitForReplication,
  waitUntilBack,
} from '../testing/failover-drill.ts';
import { waitFor } from '../testing/wait-for.ts';

// Failover drill (C-13, S-06, issue 16): a real PostgreSQL primary with a synchronous streaming
// standby, the product on DATABASE_URL=postgres://…@primary,standby/…?target_session_attrs=read-write,
// LINE webhooks and web consultation messages sent without pause. The primary is killed
// (pg_ctl stop -m immediate), the standby promoted; the product must answer again on its own, and
// every webhook answered 200 and every message acknowledged must be in the new primary. Downtime is
// printed by bench/failover, not asserted here.

let pair: ReplicatedPair;
let product: DrillProduct;

beforeAll(async () => {
  pair = await startReplicatedPair({ synchronous: true });
  await waitForReplication(pair, true);
  product = await startProduct(pair.databaseUrl);
}, 60_000);

afterAll(async () => {
  try {
    await product?.close();
  } finally {
    await pair?.close();
  }
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

describe('failover to the synchronous standby (C-13, S-06)', () => {
  it('C-13: a multi-host DATABASE_URL connects to the host that takes writes, whatever its place in the list', async () => {
    const { primary, standby } = pair;
    const hosts = (...ports: number[]) => ports.map((p) => `127.0.0.1:${p}`).join(',');
    const standbyFirst = createDb(`postgres://postgres@${hosts(standby.port, primary.port)}/madoguchi`, 2);
    try {
      const r = await sql<{ port: number }>`select inet_server_port() as port`.execute(standbyFirst.db);
      expect(r.rows[0]?.port).toBe(primary.port);
    } finally {
      await standbyFirst.db.destroy();
    }
    const onlyStandby = createDb(
      `postgres://postgres@${hosts(standby.port)},127.0.0.1:1/madoguchi?target_session_attrs=read-write`,
      2,
    );
    try {
      const err = await sql`select 1`.execute(onlyStandby.db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'NO_READ_WRITE_HOST' });
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      await onlyStandby.db.destroy();
    }
  });

  it('C-13 S-06: after the primary dies and the standby is promoted, the product answers again and loses nothing it acknowledged', async () => {
    const load = startLoad(product);
    await waitFor(
      async () => load.tally,
      (t) => t.webhooksAcked.length >= 20 && t.messagesAcked.length >= 5,
      { what: 'webhooks and messages before the failover', timeoutMs: 20_000 },
    );
    const beforeKill = {
      webhooks: load.tally.webhooksAcked.length,
      messages: load.tally.messagesAcked.length,
    };

    await pair.primary.stop('immediate');
    // While no host takes writes, webhooks are refused with 503 (LINE redelivers), never 200.
    await waitFor(
      async () => load.tally.webhookFailures['503'] ?? 0,
      (n) => n > 0,
      { what: 'a 503 while the database is down', timeoutMs: 10_000 },
    );
    const outage = await fetch(`${product.url}/readyz`);
    expect(outage.status).toBe(503);
    expect(await outage.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    await pair.standby.promote();
    expect(await waitUntilBack(product, 30_000)).not.toBeNull();
    const afterBack = load.tally.webhooksAcked.length;
    await waitFor(
      async () => load.tally,
      (t) => t.webhooksAcked.length >= afterBack + 20 && t.messagesAcked.length >= beforeKill.messages + 5,
      { what: 'webhooks and messages after the failover', timeoutMs: 20_000 },
    );
    const tally = await load.stop();

    // Nothing acknowledged is missing on the new primary (synchronous replication: 0 lost).
    const lost = await findLost(pair.standby.url('madoguchi'), tally);
    console.log(
      `failover drill: ${tally.webhooksAcked.length} webhooks answered 200, ${tally.messagesAcked.length} messages acknowledged, not 200: ${JSON.stringify(tally.webhookFailures)}, lost: ${lost.webhooks.length} + ${lost.messages.length}`,
    );
    expect(lost).toEqual({ webhooks: [], messages: [] });
    expect(tally.webhooksAcked.length).toBeGreaterThan(beforeKill.webhooks);
    // Every answer that was not 200 was a 503 (no 500 and no hang without end).
    expect(Object.keys(tally.webhookFailures).filter((k) => k !== '503')).toEqual([]);

    // The job queue works on the new primary: the events received after the failover are dispatched.
    const last = tally.webhooksAcked.slice(-10);
    await waitFor(
      () =>
        query<{ n: string }>(
          pair.standby.url('madoguchi'),
          `select count(*) as n from line_events where dispatched_at is not null and webhook_event_id in (${last.map((id) => `'${id}'`).join(',')})`,
        ),
      (rows) => Number(rows[0]?.n) === last.length,
      { what: 'dispatch of the events after the failover', timeoutMs: 20_000 },
    );
    // The realtime LISTEN connection is back, on the new primary.
    await waitFor(
      () =>
        query<{ n: string }>(
          pair.standby.url('madoguchi'),
          "select count(*) as n from pg_stat_activity where query ilike 'listen madoguchi_realtime%'",
        ),
      (rows) => Number(rows[0]?.n) >= 1,
      { what: 'the realtime LISTEN on the new primary', timeoutMs: 10_000 },
    );
    // And pg-boss's own LISTEN connection (it reconnects with a backoff of 1, 2, 4 … s).
    await waitFor(
      () =>
        query<{ n: string }>(
          pair.standby.url('madoguchi'),
          "select count(*) as n from pg_stat_activity where application_name like 'pgboss%' and query ilike '%listen%'",
        ),
      (rows) => Number(rows[0]?.n) >= 1,
      { what: "pg-boss's LISTEN on the new primary", timeoutMs: 40_000 },
    );
  }, 90_000);
});
