import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../apps/server/src/config.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { createRuntime, type Runtime } from '../../apps/server/src/runtime.ts';
import type { ServerReady, ServerStats } from './protocol.ts';

// The server side of the webhook benchmark, run as a child process of run.ts so the load generator
// does not share the server's event loop. It starts the server the way production does
// (createRuntime with in-process workers) on a database of its own, creates one channel, prints one
// JSON line (ServerReady) on stdout, then answers commands read line by line from stdin:
//   stats -> one JSON line (ServerStats)   reset -> restarts the event-loop delay histogram
//   stop -> cleans up and exits
// It also cleans up when stdin closes (the parent died) or on SIGINT/SIGTERM.
//
// LINE API calls (profile fetches of follow events) go to BENCH_LINE_API_URL when set, else to 127.0.0.1:9.
// Database: when BENCH_ADMIN_DATABASE_URL is set, a fresh database madoguchi_bench_<random> is created on
// that server and dropped at the end; otherwise an embedded PostgreSQL is started in a temp directory.

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function createDatabase(adminUrl: string) {
  const scratch = await createScratchDatabase(adminUrl, 'madoguchi_bench');
  const url = new URL(scratch.url);
  return {
    url: scratch.url,
    label: `PostgreSQL at ${url.host} (fresh database ${url.pathname.slice(1)})`,
    drop: scratch.drop,
  };
}

async function embeddedDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'madoguchi-bench-'));
  // As root, embedded-postgres runs the server as an unprivileged user, which must reach the directory.
  chmodSync(dir, 0o755);
  try {
    const pgServer = await startEmbeddedPostgres(dir);
    return {
      url: pgServer.url,
      label: 'embedded PostgreSQL (embedded-postgres package, temp data directory)',
      async drop() {
        await pgServer.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function main() {
  const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  try {
    database = adminUrl ? await createDatabase(adminUrl) : await embeddedDatabase();
  } catch (err) {
    console.error(`bench server: cannot create the database: ${String(err)}`);
    process.exit(1);
  }
  let rt: Runtime | null = null;
  let closing: Promise<void> | null = null;
  const cleanup = () => {
    closing ??= (async () => {
      try {
        await rt?.close();
      } catch (err) {
        console.error('bench server: closing the runtime failed', err);
      }
      try {
        await database.drop();
      } catch (err) {
        console.error('bench server: dropping the database failed', err);
      }
    })();
    return closing;
  };
  const stopAndExit = async (code: number) => {
    await cleanup();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAndExit(130));
  process.once('SIGTERM', () => void stopAndExit(143));

  try {
    if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
      // Diagnosis only: commits stop waiting for the WAL flush (an acknowledged event could be lost in a
      // crash), to see how much of the answer time is the flush.
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      const name = (await c.query<{ n: string }>('select current_database() as n')).rows[0]!.n;
      await c.query(`alter database "${name}" set synchronous_commit = off`);
      await c.end();
    }
    const encryptionKey = randomBytes(32).toString('base64');
    const lineApi = process.env.BENCH_LINE_API_URL || 'http://127.0.0.1:9';
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: encryptionKey,
      LOG_LEVEL: 'silent',
      // The LINE simulator started by run.ts, else port 9 where nothing listens: profile fetches then
      // fail fast and are only logged.
      LINE_API_BASE_URL: lineApi,
      LINE_DATA_API_BASE_URL: lineApi,
      ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
    });
    // BENCH_WORKERS=0 (diagnosis only): no job workers in the server, so nothing is dispatched.
    rt = await createRuntime(config, { workers: process.env.BENCH_WORKERS !== '0' });
    const url = await rt.app.listen({ host: '127.0.0.1', port: 0 });
    const channelSecret = randomBytes(16).toString('hex');
    const accessToken = randomBytes(32).toString('hex');
    const lineChannelId = '1234567890';
    const channel = await createChannelsService({
      db: rt.db,
      cipher: createCipher(encryptionKey),
      publicUrl: config.PUBLIC_URL,
    }).create({
      name: 'ベンチマーク',
      lineChannelId,
      channelSecret,
      accessToken,
      environment: 'production',
    });
    const ready: ServerReady = {
      url,
      channelId: channel.id,
      channelSecret,
      lineChannelId,
      accessToken,
      database: database.label,
      lineApi: process.env.BENCH_LINE_API_URL
        ? `LINE simulator at ${lineApi}`
        : 'none (127.0.0.1:9, profile fetches fail)',
      poolSize: config.DATABASE_POOL_SIZE,
      pid: process.pid,
    };
    out(ready);
  } catch (err) {
    console.error('bench server: start failed', err);
    await stopAndExit(1);
    return;
  }

  const db = rt.db;
  // The histogram holds the time between timer ticks; the delay is what exceeds the tick interval.
  const LOOP_TICK_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_TICK_MS });
  loopDelay.enable();
  const delayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_TICK_MS);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'stats') {
      void (async () => {
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
        const pids = await sql<{ pid: number }>`
          select pid from pg_stat_activity
          where datname = current_database()
             or backend_type in ('walwriter', 'checkpointer', 'background writer')`.execute(db);
        const cpu = process.cpuUsage();
        const stats: ServerStats = {
          stored: row.stored,
          distinctIds: row.distinct_ids,
          pending: row.pending,
          failed: row.failed,
          friends: f.rows[0]!.friends,
          profiles: f.rows[0]!.profiles,
          cpuUserMs: cpu.user / 1000,
          cpuSystemMs: cpu.system / 1000,
          rssMb: process.memoryUsage().rss / 2 ** 20,
          loopDelayP50Ms: delayMs(loopDelay.percentile(50)),
          loopDelayP99Ms: delayMs(loopDelay.percentile(99)),
          loopDelayMaxMs: delayMs(loopDelay.max),
          pgPids: pids.rows.map((p) => p.pid),
        };
        out(stats);
      })().catch((err) => out({ error: String(err) }));
    } else if (cmd === 'reset') {
      loopDelay.reset();
      out({ reset: true });
    } else if (cmd === 'stop') {
      void stopAndExit(0);
    }
  });
  // The parent went away: do not leave a database or a postgres behind.
  lines.on('close', () => void stopAndExit(0));
}

void main();
