import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { createCipher } from '../../platform/crypto.ts';
import { TEST_ENCRYPTION_KEY } from '../../testing/test-server.ts';
import {
  createLineEventBus,
  type DispatchDeps,
  dispatchPendingEvents,
  oncePerBatch,
} from './line-event-bus.ts';
import { insertLineEvents } from './line-events.repository.ts';

// Partitioned dispatch (issue 12, B-02, D-03): two dispatchers (two server nodes: two pools on one
// database) dispatch the same pending events at once, each running its partitions side by side.
// Every event is dispatched exactly once, each user's events in their order, no batch rolls back
// (no deadlock, no dispatch_error), and a counter every batch adds to (LineEffects.tally, a shared
// row like a rich menu area's taps) ends with every event's increment.

const USERS = 40;
const PER_USER = 6;
const cipher = createCipher(TEST_ENCRYPTION_KEY);

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let nodeA: { db: Db; pool: { end(): Promise<void> } };
let nodeB: { db: Db; pool: { end(): Promise<void> } };
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  nodeA = createDb(database.url, 8);
  nodeB = createDb(database.url, 8);
  await migrateToLatest(nodeA.db);
  channelId = (
    await nodeA.db
      .insertInto('channels')
      .values({
        name: '分割テスト',
        line_channel_id: '1000000099',
        environment: 'production',
        channel_secret_enc: 'x',
        access_token_enc: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await sql`
    create table test_seen (seq bigserial primary key, user_id text not null, k int not null, node text not null);
    create table test_counters (key text primary key, n int not null default 0);
    insert into test_counters (key) values ('a'), ('b'), ('c');
  `.execute(nodeA.db);
}, 60_000);

afterAll(async () => {
  await nodeA?.pool.end();
  await nodeB?.pool.end();
  await database?.drop();
});

function deps(node: 'A' | 'B', db: Db): DispatchDeps {
  const bus = createLineEventBus();
  bus.subscribe('message', async (e, trx, effects) => {
    const k = Number((e.event.message as { text: string }).text);
    // Read once per batch (the same promise for every event of the batch).
    await oncePerBatch(trx, 'counters', () =>
      trx
        .selectFrom('test_counters' as never)
        .selectAll()
        .execute(),
    );
    await sql`insert into test_seen (user_id, k, node) values (${e.userId}, ${k}, ${node})`.execute(trx);
    // Two shared rows per event, named in an order that differs from event to event: applied at the
    // batch's end in key order, so batches of different partitions never deadlock on them.
    const keys = k % 2 === 0 ? ['c', 'a'] : ['b', 'c'];
    for (const key of keys) {
      effects.tally(`test:${key}`, 1, async (t, n) => {
        await sql`update test_counters set n = n + ${n} where key = ${key}`.execute(t);
      });
    }
  });
  return { db, cipher, bus, partitions: 4 };
}

describe('line event dispatch in partitions', () => {
  it('B-02, D-03: two dispatchers at once — every event once, per-user order, no deadlock', async () => {
    // Interleaved ids: user 0 event 0, user 1 event 0, …, user 0 event 1, …
    const rows = [];
    for (let k = 0; k < PER_USER; k++) {
      for (let u = 0; u < USERS; u++) {
        const event = {
          type: 'message',
          webhookEventId: `part-${u}-${k}`,
          timestamp: Date.now(),
          source: { type: 'user', userId: `U${String(u).padStart(32, '0')}` },
          replyToken: `rt-${u}-${k}`,
          message: { type: 'text', id: `${u}${k}`, text: String(k) },
        };
        rows.push({
          channel_id: channelId,
          webhook_event_id: event.webhookEventId,
          type: 'message',
          source_user_id: event.source.userId,
          occurred_at: new Date(),
          is_redelivery: false,
          payload_enc: cipher.encryptBytes(Buffer.from(JSON.stringify(event), 'utf8')),
        });
      }
    }
    await insertLineEvents(nodeA.db, rows);

    const [a, b, a2] = await Promise.all([
      dispatchPendingEvents(deps('A', nodeA.db)),
      dispatchPendingEvents(deps('B', nodeB.db)),
      // A second dispatch on node A (the minute sweep next to the dispatch job).
      dispatchPendingEvents(deps('A', nodeA.db)),
    ]);
    // Whatever a dispatcher left because another held the partition was done by that other one.
    const rest = await dispatchPendingEvents(deps('A', nodeA.db));
    expect(a + b + a2 + rest).toBe(USERS * PER_USER);
    expect(rest).toBe(0);

    const events = await nodeA.db
      .selectFrom('line_events')
      .select(['dispatched_at', 'dispatch_error', 'dispatch_attempts'])
      .execute();
    expect(events).toHaveLength(USERS * PER_USER);
    expect(events.filter((e) => e.dispatched_at === null)).toHaveLength(0);
    expect(events.filter((e) => e.dispatch_error !== null || e.dispatch_attempts > 0)).toHaveLength(0);

    const seen = await sql<{ user_id: string; ks: number[] }>`
      select user_id, array_agg(k order by seq) as ks from test_seen group by user_id
    `.execute(nodeA.db);
    expect(seen.rows).toHaveLength(USERS);
    const inOrder = Array.from({ length: PER_USER }, (_, i) => i);
    for (const r of seen.rows) expect(r.ks).toEqual(inOrder);

    const counters = await sql<{ key: string; n: number }>`
      select key, n from test_counters order by key
    `.execute(nodeA.db);
    const even = USERS * Math.ceil(PER_USER / 2);
    const odd = USERS * Math.floor(PER_USER / 2);
    expect(counters.rows).toEqual([
      { key: 'a', n: even },
      { key: 'b', n: odd },
      { key: 'c', n: even + odd },
    ]);
  }, 60_000);
});
