import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { sampleSegmentTree, seedFriendsWithAttributes } from '../../apps/server/src/testing/seed-friends.ts';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';
import type { DeliveryRow, DeliveryServerStats, LineEventsCheck, Seeded } from './protocol.ts';

// The server side of the delivery benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime and the command loop). Before it reports
// ready it creates one production channel and an admin account. Commands (one JSON line each):
//   seed N        -> Seeded: N following friends with registration answers (segments' seeding, one
//                    INSERT … SELECT over generate_series per table), the same N users registered in
//                    the LINE simulator (/_sim/users/bulk, BENCH_LINE_API_URL) and given to the
//                    friends as their LINE user IDs; then VACUUM ANALYZE
//   delivery ID   -> DeliveryRow (status, counters, batches, the database's timestamps)
//   recipients-hash ID -> {users, md5}: the delivery's stored recipients (LINE user IDs), sorted, hashed
//   sample-users N -> {users}: the LINE user IDs of N friends picked at random (senders of webhook events)
//   line-events [JSON {ok, failed}] -> LineEventsCheck: rows of line_events (all, undispatched, failed
//                    dispatch) and, for the webhookEventIds given (events in requests answered 200 / not),
//                    how many rows and distinct IDs are stored
//   stats         -> DeliveryServerStats (CPU, memory, event-loop delay, PostgreSQL processes)
//   reset, stop   -> see server-child.ts

const LINE_CHANNEL_ID = '1234567890';
let channelId = '';

await runBenchServer({
  name: 'delivery bench server',
  async setup(server) {
    const city = await createBenchCity(server, LINE_CHANNEL_ID);
    channelId = city.channelId;
    return city;
  },
  commands: (server) => ({
    async seed(argument): Promise<Seeded> {
      const db = server.rt.db;
      const count = Number(argument);
      if (!Number.isInteger(count) || count < 1) throw new Error('seed needs a count');
      const t0 = performance.now();
      const seeded = await seedFriendsWithAttributes(db, { channelId, count, tag: 'bench' });
      const seedMs = performance.now() - t0;

      const t1 = performance.now();
      const lineApi = process.env.BENCH_LINE_API_URL;
      if (!lineApi) throw new Error('BENCH_LINE_API_URL is not set');
      const res = await fetch(`${lineApi}/_sim/users/bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count, followChannelId: LINE_CHANNEL_ID, displayNamePrefix: '市民' }),
      });
      if (res.status !== 201) throw new Error(`/_sim/users/bulk: ${res.status} ${await res.text()}`);
      const { userIds } = (await res.json()) as { userIds: string[] };
      // The n-th friend (by ID) becomes the n-th simulator user.
      await sql`
        update friends f set line_user_id = u.uid
        from (select id, row_number() over (order by id) as n from friends where channel_id = ${channelId}) s
        join unnest(${userIds}::text[]) with ordinality as u(uid, n) on u.n = s.n
        where f.id = s.id`.execute(db);
      await sql`vacuum analyze friends`.execute(db);
      await sql`vacuum analyze form_responses`.execute(db);
      const linkMs = performance.now() - t1;
      return {
        friends: seeded.friends,
        registered: seeded.registered,
        tree: sampleSegmentTree(seeded),
        seedMs: Math.round(seedMs),
        linkMs: Math.round(linkMs),
      };
    },

    async delivery(id): Promise<DeliveryRow> {
      const db = server.rt.db;
      const d = await db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const b = await sql<{
        batches: number;
        sent: number;
        max_size: number | null;
        retried: number;
      }>`
        select count(*)::int as batches,
               (count(*) filter (where status = 'sent'))::int as sent,
               max(cardinality(user_ids))::int as max_size,
               (count(*) filter (where attempts > 1 or http_status = 409))::int as retried
        from delivery_batches where delivery_id = ${id}`.execute(db);
      const row = b.rows[0]!;
      const iso = (v: Date | null) => (v ? v.toISOString() : null);
      return {
        status: d.status,
        recipients: d.recipients,
        sent: d.sent,
        failed: d.failed,
        batches: row.batches,
        batchesSent: row.sent,
        maxBatchSize: row.max_size ?? 0,
        batchesRetried: row.retried,
        createdAt: d.created_at.toISOString(),
        startedAt: iso(d.started_at),
        resolvedAt: iso(d.resolved_at),
        finishedAt: iso(d.finished_at),
      };
    },

    async 'recipients-hash'(id): Promise<{ users: number; md5: string }> {
      const r = await sql<{ users: number; md5: string }>`
        select count(*)::int as users, md5(string_agg(u, ',' order by u)) as md5
        from delivery_batches, unnest(user_ids) as u where delivery_id = ${id}`.execute(server.rt.db);
      return r.rows[0]!;
    },

    async 'sample-users'(argument): Promise<{ users: string[] }> {
      const n = Number(argument);
      if (!Number.isInteger(n) || n < 1) throw new Error('sample-users needs a count');
      const r = await sql<{ u: string }>`
        select line_user_id as u from friends
        where channel_id = ${channelId} and line_user_id is not null
        order by random() limit ${n}`.execute(server.rt.db);
      return { users: r.rows.map((row) => row.u) };
    },

    async 'line-events'(argument): Promise<LineEventsCheck> {
      const ids = argument ? (JSON.parse(argument) as { ok: string[]; failed: string[] }) : null;
      const all = await sql<{ total: number; pending: number; dispatch_failed: number }>`
        select count(*)::int as total,
               (count(*) filter (where dispatched_at is null))::int as pending,
               (count(*) filter (where dispatch_error is not null))::int as dispatch_failed
        from line_events`.execute(server.rt.db);
      const a = all.rows[0]!;
      const check: LineEventsCheck = {
        total: a.total,
        pending: a.pending,
        dispatchFailed: a.dispatch_failed,
        storedOk: 0,
        distinctOk: 0,
        storedFailed: 0,
        distinctFailed: 0,
      };
      if (ids) {
        const r = await sql<{ stored: number; distinct_ids: number }>`
          select count(*)::int as stored, count(distinct webhook_event_id)::int as distinct_ids
          from line_events where webhook_event_id = any(${ids.ok}::text[])`.execute(server.rt.db);
        const f = await sql<{ stored: number; distinct_ids: number }>`
          select count(*)::int as stored, count(distinct webhook_event_id)::int as distinct_ids
          from line_events where webhook_event_id = any(${ids.failed}::text[])`.execute(server.rt.db);
        check.storedOk = r.rows[0]!.stored;
        check.distinctOk = r.rows[0]!.distinct_ids;
        check.storedFailed = f.rows[0]!.stored;
        check.distinctFailed = f.rows[0]!.distinct_ids;
      }
      return check;
    },

    async stats(): Promise<DeliveryServerStats> {
      return server.processStats();
    },
  }),
});
