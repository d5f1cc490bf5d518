import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/database.ts';
import { createTestDatabase } from '../db/testing/test-database.ts';
import { waitFor } from '../testing/wait-for.ts';
import { createRealtime, type Realtime, type RealtimeEvent } from './realtime.ts';

// The LISTEN connection between server processes (C-13, O-03): after the database was away for
// longer than one reconnect attempt (a failover, an outage), it keeps trying and comes back.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let admin: pg.Client;
let realtime: Realtime;
const errors: string[] = [];
const dbName = () => new URL(database.url).pathname.slice(1);

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, 2).db;
  const adminUrl = new URL(database.url);
  adminUrl.pathname = '/postgres';
  admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  realtime = await createRealtime(database.url, db, { error: (_o, m) => errors.push(m ?? '') });
});
afterAll(async () => {
  await admin?.query(`alter database ${dbName()} with allow_connections true`).catch(() => {});
  await realtime?.close();
  await db?.destroy();
  await admin?.end();
  await database?.drop();
});

/** Publishes a fresh event until this process's listener has it (the path every process uses). */
async function roundTrip(what: string) {
  const seen = new Set<string>();
  const off = realtime.subscribe((e: RealtimeEvent) => {
    if (e.t === 'cons') seen.add(e.c);
  });
  try {
    await waitFor(
      async () => {
        const id = randomUUID();
        await realtime.publish({ t: 'cons', c: id }).catch(() => {});
        await new Promise((r) => setTimeout(r, 200));
        return seen.size;
      },
      (n) => n > 0,
      { timeoutMs: 60_000, everyMs: 300, what },
    );
  } finally {
    off();
  }
}

describe('realtime fan-out (C-13, O-03)', () => {
  it('C-13: after the database refused connections for a while, the listener reconnects and events flow again', async () => {
    await roundTrip('an event before the outage');
    await admin.query(`alter database ${dbName()} with allow_connections false`);
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName()],
    );
    // At least one reconnect attempt has failed (the database still refuses).
    await waitFor(
      async () => errors.filter((m) => m.startsWith('realtime reconnect failed')).length,
      (n) => n >= 1,
      { timeoutMs: 20_000, what: 'a failed reconnect attempt' },
    );
    await admin.query(`alter database ${dbName()} with allow_connections true`);
    await roundTrip('an event after the outage');
    expect(errors).toContain('realtime connection lost; reconnecting');
  }, 120_000);
});
