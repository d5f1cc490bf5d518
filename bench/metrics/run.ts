import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../../apps/server/src/config.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { readFiguresFrom } from '../../apps/server/src/platform/http/metrics.ts';
import { createRuntime } from '../../apps/server/src/runtime.ts';
import { guardBenchmark } from '../guard.ts';

// What one uncached /metrics scrape costs (O-03): every scrape-time figure (job queues, LINE outbox,
// deliveries, consultations, mails, mail bridge, forwarding, clock skew) read from a database that
// has a year's worth of history: BENCH_OUTBOX (300,000) sent LINE calls and 1,000 pending, BENCH_MAILS
// (100,000) bridge mails over 30 days. The figures' cache is dropped before each scrape. Recorded, no
// fixed target; a scrape is cut at FIGURES_TIMEOUT_MS (2 s) per source anyway.
//   DATABASE_URL  PostgreSQL server for a scratch database (else embedded PostgreSQL)
//   SCRAPES       scrapes measured (default 50, after 5 warm-up)

const OUTBOX = Number(process.env.BENCH_OUTBOX ?? 300_000);
const MAILS = Number(process.env.BENCH_MAILS ?? 100_000);
const SCRAPES = Number(process.env.SCRAPES ?? 50);
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-metrics-'));
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dir, { database: 'postgres' });
const database = await createScratchDatabase(process.env.DATABASE_URL || embedded!.url, 'madoguchi_bench');
const config = loadConfig({
  HOST: '127.0.0.1',
  PORT: '0',
  PUBLIC_URL: 'http://127.0.0.1:3000',
  DATABASE_URL: database.url,
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  DATA_DIR: dir,
  LOG_LEVEL: 'silent',
});
const rt = await createRuntime(config, { workers: false });
const cleanUp = async () => {
  await rt.close().catch(() => {});
  await database.drop().catch(() => {});
  await embedded?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
const guard = guardBenchmark(cleanUp, 600_000);
try {
  const channels = createChannelsService({
    db: rt.db,
    cipher: createCipher(config.ENCRYPTION_KEY),
    publicUrl: config.PUBLIC_URL,
  });
  const channel = await channels.create({
    name: 'ベンチ市',
    lineChannelId: '2000000999',
    channelSecret: randomBytes(16).toString('hex'),
    accessToken: randomBytes(24).toString('hex'),
    environment: 'production',
  });
  log(
    `seeding ${OUTBOX.toLocaleString('en-US')} sent + 1,000 pending LINE calls, ${MAILS.toLocaleString('en-US')} bridge mails`,
  );
  await sql`
    insert into line_outbox (channel_id, kind, to_id, retry_key, messages_enc, status, created_at, sent_at)
    select ${channel.id}, 'push', 'U' || md5(g::text), gen_random_uuid(), '\\x00', case when g <= 1000 then 'pending' else 'sent' end,
           now() - (g || ' seconds')::interval * 100, case when g <= 1000 then null else now() end
    from generate_series(1, ${OUTBOX + 1000}) g`.execute(rt.db);
  await sql`
    insert into mail_messages (recipient, from_address, status, received_at)
    select 'bosai@city.example.jp', 'alert@pref.example.jp',
           (array['delivered','unmatched','refused','duplicate'])[1 + g % 4],
           now() - (g || ' seconds')::interval * 26
    from generate_series(1, ${MAILS}) g`.execute(rt.db);
  await sql`analyze`.execute(rt.db);

  const ctx = { db: rt.db, jobs: rt.jobs };
  const scrape = async () => {
    readFiguresFrom(ctx); // drops the cache: every source is read again
    const t = performance.now();
    const res = await rt.app.inject({ method: 'GET', url: '/metrics' });
    const ms = performance.now() - t;
    if (res.statusCode !== 200 || !res.body.includes('madoguchi_line_outbox_pending 1000'))
      throw new Error(`unexpected scrape: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (res.body.includes('madoguchi_metrics_source_up{source="line-events"} 0'))
      throw new Error('a source did not answer in time');
    return ms;
  };
  for (let i = 0; i < 5; i++) await scrape();
  const times: number[] = [];
  for (let i = 0; i < SCRAPES; i++) times.push(await scrape());
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  const round = (v: number) => Math.round(v * 10) / 10;
  const figures = {
    benchmark: 'metrics-scrape',
    outboxRows: OUTBOX + 1000,
    bridgeMails: MAILS,
    scrapes: SCRAPES,
    p50Ms: round(pct(50)),
    p99Ms: round(pct(99)),
    maxMs: round(times.at(-1)!),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  log(`uncached /metrics scrape: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms`);
  console.log(JSON.stringify(figures));
} finally {
  clearTimeout(guard);
  await cleanUp();
}
