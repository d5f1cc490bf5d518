import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import type { ServerStats } from './protocol.ts';
import { runBenchServer } from './server-child.ts';

// The server side of the webhook benchmark, run as a child process of run.ts (see server-child.ts for
// the database, the runtime and the command loop). It creates one channel, prints one JSON line
// (ServerReady) on stdout, then answers:
//   stats -> one JSON line (ServerStats)   reset -> restarts the event-loop delay histogram
//   stop -> cleans up and exits
// LINE API calls (profile fetches of follow events) go to BENCH_LINE_API_URL when set, else to 127.0.0.1:9.

await runBenchServer({
  name: 'bench server',
  async setup(server) {
    const channelSecret = randomBytes(16).toString('hex');
    const accessToken = randomBytes(32).toString('hex');
    const lineChannelId = '1234567890';
    const channel = await createChannelsService({
      db: server.rt.db,
      cipher: createCipher(server.encryptionKey),
      publicUrl: server.config.PUBLIC_URL,
    }).create({
      name: 'ベンチマーク',
      lineChannelId,
      channelSecret,
      accessToken,
      environment: 'production',
    });
    return { channelId: channel.id, channelSecret, lineChannelId, accessToken };
  },
  commands: (server) => ({
    async stats(): Promise<ServerStats> {
      const db = server.rt.db;
      const r = await sql<{ stored: number; distinct_ids: number; pending: number; failed: number }>`
        select count(*)::int as stored,
               count(distinct webhook_event_id)::int as distinct_ids,
               (count(*) filter (where dispatched_at is null))::int as pending,
               (count(*) filter (where dispatch_error is not null))::int as failed
        from line_events`.execute(db);
      const row = r.rows[0]!;
      const f = await sql<{ friends: number; profiles: number }>`
        select count(*)::int as friends,
               (count(*) filter (where display_name is not null))::int as profiles
        from friends`.execute(db);
      return {
        stored: row.stored,
        distinctIds: row.distinct_ids,
        pending: row.pending,
        failed: row.failed,
        friends: f.rows[0]!.friends,
        profiles: f.rows[0]!.profiles,
        ...(await server.processStats()),
      };
    },
  }),
});
