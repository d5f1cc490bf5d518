import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { seedFriendsWithAttributes } from '../../apps/server/src/testing/seed-friends.ts';
import { createBenchCity } from '../bench-admin.ts';
import { runBenchServer } from '../webhook/server-child.ts';

// The server side of the export-memory benchmark, run as a child process of run.ts (see
// ../webhook/server-child.ts for the database, the runtime and the command loop), so that its memory
// is the server's alone. Before it reports ready it creates one channel and an admin account.
// Commands (one JSON line each):
//   seed N   -> {friends, registered, seedMs}: N following friends with registration answers
//               (segments' seeding, one INSERT … SELECT over generate_series per table), then VACUUM ANALYZE
//   stats    -> process statistics (CPU, memory, event-loop delay since the last reset)
//   reset, stop -> see server-child.ts

let channelId = '';

await runBenchServer({
  name: 'export-memory bench server',
  async setup(server) {
    const { channelId: id, loginId, password } = await createBenchCity(server, '1234567891');
    channelId = id;
    return { channelId, loginId, password };
  },
  commands: (server) => ({
    async seed(argument) {
      const db = server.rt.db;
      const count = Number(argument);
      if (!Number.isInteger(count) || count < 1) throw new Error('seed needs a count');
      const t0 = performance.now();
      const seeded = await seedFriendsWithAttributes(db, { channelId, count, tag: 'bench' });
      await sql`vacuum analyze friends`.execute(db);
      await sql`vacuum analyze form_responses`.execute(db);
      return {
        friends: seeded.friends,
        registered: seeded.registered,
        seedMs: Math.round(performance.now() - t0),
      };
    },
    async stats() {
      return server.processStats();
    },
  }),
});
