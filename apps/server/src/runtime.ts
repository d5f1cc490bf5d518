import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { isDatabaseUnavailable } from './db/connection.ts';
import { createDb, type Db } from './db/database.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ensureBuiltinRoles } from './modules/accounts/accounts.service.ts';
import { kickDeliveries } from './modules/deliveries/delivery-runner.ts';
import { OUTBOX_JOB } from './modules/line-events/outbox-sender.ts';
import { recordStart } from './modules/operations/changes.service.ts';
import { registerAuditKey } from './platform/audit/audit-key.ts';
import { warnOnClockSkew } from './platform/clock-skew.ts';
import { createCipher } from './platform/crypto.ts';
import { createJobs, type Jobs } from './platform/jobs.ts';
import { createLineClients } from './platform/line/line-clients.ts';
import { createRealtime } from './platform/realtime.ts';

// Opens the database (embedded when DATABASE_URL is unset), migrates it, and wires the app.

export interface Runtime {
  config: Config;
  db: Db;
  databaseUrl: string;
  jobs: Jobs;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function openDatabase(config: Config) {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres(config.DATA_DIR, { port: config.EMBEDDED_PG_PORT });
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  const { db } = createDb(databaseUrl, config.DATABASE_POOL_SIZE);
  // Audit rows are chained with a key derived from ENCRYPTION_KEY (S-09).
  registerAuditKey(db, config.ENCRYPTION_KEY);
  await migrateToLatest(db);
  await ensureBuiltinRoles(db);
  return {
    db,
    databaseUrl,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

export async function createRuntime(config: Config, opts: { workers: boolean }): Promise<Runtime> {
  const database = await openDatabase(config);
  // O-05: a start that runs another version, PostgreSQL, migrations or configuration is recorded.
  await recordStart(database.db, config);
  // While the database is down or failing over (C-13) every worker's poll fails: one line per 10 s
  // says so instead of a stack trace per queue and poll.
  let quietUntil = 0;
  const jobs = createJobs(database.databaseUrl, (err) => {
    if (!isDatabaseUnavailable(err)) return console.error('job queue error', err);
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + 10_000;
    console.error(`job queue: database unavailable (${(err as Error).message}); retrying`);
  });
  const realtime = await createRealtime(database.databaseUrl, database.db, {
    error: (o, m) => console.error(m, o),
  });
  const app = await buildApp({
    realtime,
    config,
    db: database.db,
    cipher: createCipher(config.ENCRYPTION_KEY),
    jobs,
    line: createLineClients({ api: config.LINE_API_BASE_URL, data: config.LINE_DATA_API_BASE_URL }),
  });
  await jobs.start({ workers: opts.workers });
  await warnOnClockSkew(database.db, app.log);
  // Deliveries and LINE calls a stopped worker left mid-way resume at once, not at the next
  // minute's sweep (a reply token lives only about a minute).
  if (opts.workers) {
    await kickDeliveries(jobs);
    await jobs.send(OUTBOX_JOB, {});
  }
  return {
    config,
    db: database.db,
    databaseUrl: database.databaseUrl,
    jobs,
    app,
    async close() {
      await app.close();
      await realtime.close();
      await jobs.stop();
      await database.close();
    },
  };
}
