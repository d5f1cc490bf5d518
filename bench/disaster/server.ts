import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { seedFriendsWithAttributes } from '../../apps/server/src/testing/seed-friends.ts';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';

// The server side of the disaster-mode benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime with in-process job workers and the
// command loop). Before it reports ready it creates one production channel and an admin account.
// Commands (one JSON line each):
//   seed N,M  -> {friends, personal, seedMs, linkMs}: N following friends, the first M of them test
//                friends (the benchmark publishes a menu to them: their personal menu), the same N users
//                registered in the LINE simulator (/_sim/users/bulk, BENCH_LINE_API_URL) and given to
//                the friends as their LINE user IDs; then VACUUM ANALYZE
//   stats, reset, stop -> see server-child.ts

const LINE_CHANNEL_ID = '1234567891';
let channelId = '';

await runBenchServer({
  name: 'disaster bench server',
  async setup(server) {
    const city = await createBenchCity(server, LINE_CHANNEL_ID);
    channelId = city.channelId;
    return city;
  },
  commands: (server) => ({
    async seed(argument) {
      const db = server.rt.db;
      const [count, personal] = argument.split(',').map(Number) as [number, number];
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(personal) || personal > count) {
        throw new Error('seed needs N,M');
      }
      const t0 = performance.now();
      const seeded = await seedFriendsWithAttributes(db, {
        channelId,
        count,
        tag: 'bench',
        testFriends: personal,
      });
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
      await sql`
        update friends f set line_user_id = u.uid
        from (select id, row_number() over (order by id) as n from friends where channel_id = ${channelId}) s
        join unnest(${userIds}::text[]) with ordinality as u(uid, n) on u.n = s.n
        where f.id = s.id`.execute(db);
      await sql`vacuum analyze friends`.execute(db);
      return {
        friends: seeded.friends,
        personal,
        seedMs: Math.round(seedMs),
        linkMs: Math.round(performance.now() - t1),
      };
    },
    async stats() {
      return server.processStats();
    },
  }),
});
