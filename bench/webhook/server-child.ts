import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Config, loadConfig } from '../../apps/server/src/config.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { mailInAddress } from '../../apps/server/src/modules/mail-bridge/mail-bridge.module.ts';
import { createRuntime, type Runtime } from '../../apps/server/src/runtime.ts';
import type { ServerProcessStats } from './protocol.ts';

// The common part of a benchmark's server child (webhook/server.ts, consultation/server.ts): a process
// of its own, so the load generator does not share the server's event loop. It starts the server the way
// production does (createRuntime with in-process workers, NODE_ENV=production, LOG_LEVEL=silent) on a
// database of its own, lets the benchmark set up what it needs, prints one JSON line (the "ready" object)
// on stdout, then answers commands read line by line from stdin, one JSON line each:
//   <name> [argument]  -> the benchmark's own commands
//   reset              -> restarts the event-loop delay histogram
//   stop               -> cleans up and exits
// It also cleans up when stdin closes (the parent died) or on SIGINT/SIGTERM.
//
// Database: when BENCH_ADMIN_DATABASE_URL is set, a fresh database madoguchi_bench_<random> is created on
// that server and dropped at the end; otherwise an embedded PostgreSQL is started in a temp directory.
// LINE API calls go to BENCH_LINE_API_URL when set, else to 127.0.0.1:9 (nothing listens there).
// Diagnosis options: BENCH_SYNCHRONOUS_COMMIT=off, BENCH_WORKERS=0, DATABASE_POOL_SIZE.
// BENCH_LAYOUT=split: production's layout for load — this process is `madoguchi serve --no-workers`
// (createRuntime without workers) and a second process runs `madoguchi worker` (apps/server/src/main.ts)
// with the same settings on the same database; the ready line then adds the worker's pid.
// BENCH_WORKER_NICE=<n> (with split): the worker process runs at that nice level (lower CPU priority
// than the HTTP server, as an operator may run it: `nice -n 10 madoguchi worker`).

export interface BenchServer {
  rt: Runtime;
  config: Config;
  /** The server's ENCRYPTION_KEY (base64), for services the benchmark builds itself. */
  encryptionKey: string;
  url: string;
  /** Which PostgreSQL the server uses, for the report. */
  database: string;
  /** Where the server's LINE API calls go, for the report. */
  lineApi: string;
  /** The server's process statistics (CPU, memory, event-loop delay, PostgreSQL processes). */
  processStats(): Promise<ServerProcessStats>;
  /**
   * A connection of its own for the benchmark's statistics queries, so that they neither wait behind
   * nor count among the server's queries when its pool is busy.
   */
  statsClient: pg.Client;
}

export type Command = (argument: string) => Promise<unknown>;

/** Longest wait for the runtime to close before the database is dropped anyway. */
const CLOSE_LIMIT_MS = 10_000;

const MAIN_TS = fileURLToPath(new URL('../../apps/server/src/main.ts', import.meta.url));

/** `madoguchi worker` in a process of its own with these settings (BENCH_LAYOUT=split). */
function startWorkerProcess(env: Record<string, string>, name: string): ChildProcess {
  const worker = spawn(process.execPath, [MAIN_TS, 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const nice = Number(process.env.BENCH_WORKER_NICE);
  if (worker.pid && Number.isInteger(nice) && nice > 0) os.setPriority(worker.pid, nice);
  worker.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`${name}: worker process ended (${code ?? signal})`);
  });
  return worker;
}

/** SIGTERM (the worker closes its runtime), SIGKILL after `limitMs`. */
async function stopWorkerProcess(worker: ChildProcess, limitMs: number): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = once(worker, 'exit');
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), limitMs);
  await exited;
  clearTimeout(timer);
}

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function scratchDatabase(adminUrl: string) {
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

/**
 * Runs the server child: database, runtime, `setup` (whose result is printed as the ready line, with
 * the server's url, database, lineApi, poolSize and pid added), then the command loop.
 */
export async function runBenchServer(opts: {
  /** Name used in error messages on stderr. */
  name: string;
  /** Settings added to the server's configuration (e.g. FORWARDING_ALLOWED_CIDRS). */
  env?: Record<string, string>;
  setup(server: BenchServer): Promise<Record<string, unknown>>;
  commands(server: BenchServer): Record<string, Command>;
}): Promise<void> {
  const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  try {
    database = adminUrl ? await scratchDatabase(adminUrl) : await embeddedDatabase();
  } catch (err) {
    console.error(`${opts.name}: cannot create the database: ${String(err)}`);
    process.exit(1);
  }
  let rt: Runtime | null = null;
  let worker: ChildProcess | null = null;
  let statsClient: pg.Client | null = null;
  let closing: Promise<void> | null = null;
  const cleanup = () => {
    closing ??= (async () => {
      await statsClient?.end().catch(() => {});
      // Closing waits for requests in progress; under a backlog that can outlast the parent's patience
      // (it sends SIGKILL 25 s after "stop"), so the database is dropped after at most CLOSE_LIMIT_MS
      // whatever the runtime is still doing (the drop ends its connections).
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          rt?.close(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`not closed within ${CLOSE_LIMIT_MS} ms`)),
              CLOSE_LIMIT_MS,
            );
          }),
        ]);
      } catch (err) {
        console.error(
          `${opts.name}: closing the runtime failed (${String(err)}); dropping the database anyway`,
        );
        // The drop ends the runtime's connections; its complaints about that (pg-boss) are expected.
        console.error = () => {};
      } finally {
        clearTimeout(timer);
      }
      if (worker) await stopWorkerProcess(worker, CLOSE_LIMIT_MS);
      try {
        await database.drop();
      } catch (err) {
        console.error(`${opts.name}: dropping the database failed`, err);
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

  // The histogram holds the time between timer ticks; the delay is what exceeds the tick interval.
  const LOOP_TICK_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_TICK_MS });
  const delayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_TICK_MS);

  let server: BenchServer;
  let commands: Record<string, Command>;
  try {
    if (process.env.BENCH_SYNCHRONOUS_COMMIT === 'off') {
      // Diagnosis only: commits stop waiting for the WAL flush (acknowledged data could be lost in a
      // crash), to see how much of the answer time is the flush.
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      const name = (await c.query<{ n: string }>('select current_database() as n')).rows[0]!.n;
      await c.query(`alter database "${name}" set synchronous_commit = off`);
      await c.end();
    }
    const encryptionKey = randomBytes(32).toString('base64');
    const lineApi = process.env.BENCH_LINE_API_URL || 'http://127.0.0.1:9';
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: encryptionKey,
      LOG_LEVEL: 'silent',
      // A LINE simulator started by the benchmark, else port 9 where nothing listens: LINE API calls
      // then fail fast and are only logged.
      LINE_API_BASE_URL: lineApi,
      LINE_DATA_API_BASE_URL: lineApi,
      ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
      // The mail bridge's SMTP listener (bench/mail-bridge): on a free local port when asked for.
      ...(process.env.BENCH_MAIL_IN === '1' ? { MAIL_IN_PORT: '0', MAIL_IN_HOST: '127.0.0.1' } : {}),
      ...opts.env,
    };
    const config = loadConfig(env);
    const split = process.env.BENCH_LAYOUT === 'split';
    // BENCH_WORKERS=0 (diagnosis only): no job workers in the server.
    rt = await createRuntime(config, { workers: !split && process.env.BENCH_WORKERS !== '0' });
    // The worker starts after the server ran the migrations.
    if (split) worker = startWorkerProcess(env, opts.name);
    const url = await rt.app.listen({ host: '127.0.0.1', port: 0 });
    const stats = new pg.Client({ connectionString: database.url });
    await stats.connect();
    statsClient = stats;
    server = {
      statsClient: stats,
      rt,
      config,
      encryptionKey,
      url,
      database: database.label,
      lineApi: process.env.BENCH_LINE_API_URL
        ? `LINE simulator at ${lineApi}`
        : 'none (127.0.0.1:9, LINE API calls fail)',
      async processStats() {
        const cpu = process.cpuUsage();
        const mem = process.memoryUsage();
        const pids = await stats.query<{ pid: number }>(
          `select pid from pg_stat_activity
           where datname = current_database()
              or backend_type in ('walwriter', 'checkpointer', 'background writer')`,
        );
        return {
          cpuUserMs: cpu.user / 1000,
          cpuSystemMs: cpu.system / 1000,
          rssMb: mem.rss / 2 ** 20,
          heapUsedMb: mem.heapUsed / 2 ** 20,
          heapTotalMb: mem.heapTotal / 2 ** 20,
          externalMb: mem.external / 2 ** 20,
          loopDelayP50Ms: delayMs(loopDelay.percentile(50)),
          loopDelayP99Ms: delayMs(loopDelay.percentile(99)),
          loopDelayMaxMs: delayMs(loopDelay.max),
          pgPids: pids.rows.map((p) => p.pid),
        };
      },
    };
    const extra = await opts.setup(server);
    commands = opts.commands(server);
    const smtp = mailInAddress(rt.app);
    out({
      ...extra,
      url,
      ...(smtp ? { smtpPort: smtp.port } : {}),
      database: server.database,
      lineApi: server.lineApi,
      poolSize: config.DATABASE_POOL_SIZE,
      pid: process.pid,
      ...(worker ? { workerPid: worker.pid } : {}),
    });
  } catch (err) {
    console.error(`${opts.name}: start failed`, err);
    await stopAndExit(1);
    return;
  }

  loopDelay.enable();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const text = line.trim();
    const space = text.indexOf(' ');
    const cmd = space < 0 ? text : text.slice(0, space);
    const argument = space < 0 ? '' : text.slice(space + 1).trim();
    if (cmd === 'reset') {
      loopDelay.reset();
      out({ reset: true });
    } else if (cmd === 'stop') {
      void stopAndExit(0);
    } else if (commands[cmd]) {
      commands[cmd](argument).then(out, (err) => out({ error: String(err) }));
    } else if (cmd) {
      out({ error: `unknown command ${cmd}` });
    }
  });
  // The parent went away: do not leave a database or a postgres behind.
  lines.on('close', () => void stopAndExit(0));
}
