import { randomBytes } from 'node:crypto';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { createTarget } from '../../apps/server/src/modules/forwarding/forwarding.service.ts';
import { addressPolicy } from '../../apps/server/src/modules/forwarding/forwarding-address.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { runBenchServer } from '../webhook/server-child.ts';

// The server side of the forwarding benchmark (run.ts), see ../webhook/server-child.ts for the
// database, the runtime (in-process workers, LOG_LEVEL=silent) and the command loop. Two settings
// differ from production: NODE_ENV=development, so the target may be http:// (the benchmark's
// target has no certificate; NODE_ENV changes nothing else in the server), and
// FORWARDING_ALLOWED_CIDRS=127.0.0.1/32, as an operator allow-lists an internal server.
// Commands (one JSON line each):
//   target <url>  -> {targetId}: the channel's forwarding target (every event type, "always")
//   enabled <true|false> -> {enabled}: turns the targets on or off
//   progress      -> {undispatched, queued, sent, dead}
//   stats, reset, stop -> see server-child.ts

const LINE_CHANNEL_ID = '1234567892';

await runBenchServer({
  name: 'forwarding bench server',
  env: {
    NODE_ENV: 'development',
    FORWARDING_ALLOWED_CIDRS: '127.0.0.1/32',
    // Diagnosis: another number of requests in flight than the default.
    ...(process.env.FORWARDING_CONCURRENCY
      ? { FORWARDING_CONCURRENCY: process.env.FORWARDING_CONCURRENCY }
      : {}),
  },
  async setup(server) {
    const channelSecret = randomBytes(16).toString('hex');
    const accessToken = randomBytes(32).toString('hex');
    const channels = createChannelsService({
      db: server.rt.db,
      cipher: createCipher(server.encryptionKey),
      publicUrl: server.config.PUBLIC_URL,
    });
    const channel = await channels.create({
      name: 'ベンチマーク',
      lineChannelId: LINE_CHANNEL_ID,
      channelSecret,
      accessToken,
      environment: 'production',
    });
    return { channelId: channel.id, channelSecret, lineChannelId: LINE_CHANNEL_ID, accessToken };
  },
  commands: (server) => ({
    async target(url: string) {
      const channelId = (
        await server.statsClient.query<{ id: string }>('select id from channels where line_channel_id = $1', [
          LINE_CHANNEL_ID,
        ])
      ).rows[0]!.id;
      const channels = createChannelsService({
        db: server.rt.db,
        cipher: createCipher(server.encryptionKey),
        publicUrl: server.config.PUBLIC_URL,
      });
      const t = await createTarget(
        {
          db: server.rt.db,
          cipher: createCipher(server.encryptionKey),
          channels,
          policy: addressPolicy(server.config),
          wake: () => {},
        },
        {
          channelId,
          name: 'ベンチの転送先',
          url,
          secret: 'bench-forwarding-secret-0001',
          enabled: true,
          eventTypes: null,
          messageMode: 'always',
        },
      );
      return { targetId: t.id };
    },
    /** Turns every forwarding target on or off (run.ts alternates the phases off and on). */
    async enabled(flag: string) {
      const enabled = flag === 'true';
      await server.statsClient.query('update forwarding_targets set enabled = $1', [enabled]);
      return { enabled };
    },
    async progress() {
      const r = await server.statsClient.query<{
        undispatched: number;
        queued: number;
        sent: number;
        dead: number;
      }>(
        `select (select count(*)::int from line_events where dispatched_at is null) as undispatched,
                (select count(*)::int from forwarding_items where state = 'pending') as queued,
                (select count(*)::int from forwarding_items where state = 'sent') as sent,
                (select count(*)::int from forwarding_items where state = 'dead') as dead`,
      );
      return r.rows[0]!;
    },
    stats: () => server.processStats(),
  }),
});
