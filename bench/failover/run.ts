import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { baseBackup } from '../../apps/server/src/operations/postgres-server.ts';
import {
  type DrillProduct,
  findLost,
  type LoadTally,
  type ReplicatedPair,
  startLoad,
  startProduct,
  startReplicatedPair,
  waitForReplication,
} from '../../apps/server/src/testing/failover-drill.ts';
import { guardBenchmark } from '../guard.ts';
import { logMachineBusy } from '../webhook/cpu.ts';
import { summarize } from '../webhook/load.ts';

// Failover and backup drill under load (C-13, C-14, S-06, O-07, issue 16). For synchronous and then
// asynchronous replication: a PostgreSQL primary and a streaming standby on this machine
// (operations/postgres-server.ts, one PostgreSQL installation), the product (serve with its workers,
// in this process) on DATABASE_URL=postgres://…@primary,standby/…?target_session_attrs=read-write,
// BENCH_SENDERS webhook senders (one signed text event per request, each sending its next as soon as
// answered) and BENCH_CONSULTATIONS web consultees sending chat messages over their sockets.
//
//   steady    BENCH_SECONDS of load: webhook answer times without a backup
//   backup    (synchronous run only, O-07) the same load while pg_basebackup copies the primary again
//             and again for BENCH_SECONDS, then the same with --max-rate BENCH_MAX_RATE (20M, what
//             `madoguchi backup --max-rate` passes on); the database is padded with BENCH_PAD_MB (200)
//             before the steady phase so that all three phases see the same database: answer times
//   failover  the primary is killed (pg_ctl stop -m immediate); after a fixed detection delay
//             (BENCH_DETECT_SECONDS, 5: what a monitor checking every second needs for a few misses)
//             the bench promotes the standby (pg_ctl promote). Downtime = from the kill to the first
//             webhook answered 200 that was sent after the kill. The load goes on BENCH_AFTER_SECONDS.
// Then every webhook answered 200 and every message acknowledged is looked up on the new primary:
// lost = acknowledged but not there. Targets: back within 30 s; 0 lost with synchronous replication
// (asynchronous: reported). Load generator and server share this process's event loop, so answer
// times include the generator's own work. A summary, then one JSON object as the last line.

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined
    ? Math.floor(v)
    : fallback;
};
const SECONDS = envInt('BENCH_SECONDS', 20);
const AFTER_SECONDS = envInt('BENCH_AFTER_SECONDS', 10);
const DETECT_SECONDS = envInt('BENCH_DETECT_SECONDS', 5);
const SENDERS = envInt('BENCH_SENDERS', 16);
const CONSULTATIONS = envInt('BENCH_CONSULTATIONS', 4);
const PAD_MB = envInt('BENCH_PAD_MB', 200);
const MAX_RATE = process.env.BENCH_MAX_RATE || '20M';
const TARGET_DOWNTIME_MS = 30_000;
const HARD_LIMIT_MS = (6 * SECONDS + 2 * AFTER_SECONDS + 2 * DETECT_SECONDS + 300) * 1000;

const log = (msg: string) => console.error(msg);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pair: ReplicatedPair | null = null;
let product: DrillProduct | null = null;
const cleanUp = async () => {
  await product?.close().catch(() => {});
  await pair?.close().catch(() => {});
  product = null;
  pair = null;
};
const hardLimit = guardBenchmark(cleanUp, HARD_LIMIT_MS);

/** Answer times (ms) of the webhooks answered 200 that were sent in [from, to). */
const answerTimes = (t: LoadTally, from: number, to: number) =>
  Float64Array.from(t.webhookOk.filter((o) => o.start >= from && o.start < to).map((o) => o.end - o.start));

type BackupPhase = ReturnType<typeof summarize> & {
  webhooks: number;
  maxRate: string | null;
  backups: number;
  backupSeconds: number[];
};

/** BENCH_SECONDS of the load while pg_basebackup copies the primary again and again (O-07). */
async function backupPhase(
  p: ReplicatedPair,
  tally: LoadTally,
  maxRate: string | undefined,
): Promise<BackupPhase> {
  const from = performance.now();
  const backupSeconds: number[] = [];
  while (performance.now() - from < SECONDS * 1000) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-backup-'));
    chmodSync(dir, 0o755);
    const t0 = performance.now();
    try {
      await baseBackup({
        binDir: p.binDir,
        from: p.primary,
        dir: path.join(dir, 'base'),
        format: 'tar',
        maxRate,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    backupSeconds.push(Math.round(performance.now() - t0) / 1000);
  }
  const times = answerTimes(tally, from, performance.now());
  const phase = {
    ...summarize(times),
    webhooks: times.length,
    maxRate: maxRate ?? null,
    backups: backupSeconds.length,
    backupSeconds,
  };
  log(
    `during pg_basebackup${maxRate ? ` --max-rate ${maxRate}` : ''} (${backupSeconds.length} backups of ${backupSeconds.join(', ')} s): ${phase.webhooks} webhooks, p50 ${phase.p50Ms} ms, p99 ${phase.p99Ms} ms`,
  );
  return phase;
}

interface ModeResult {
  replication: 'synchronous' | 'asynchronous';
  steady: ReturnType<typeof summarize> & { webhooks: number };
  /** answer times while pg_basebackup runs at full speed, and with --max-rate MAX_RATE */
  backup?: BackupPhase;
  backupThrottled?: BackupPhase;
  detectionDelayMs: number;
  downtimeMs: number | null;
  acknowledged: { webhooks: number; messages: number };
  lost: { webhooks: number; messages: number };
  notOk: Record<string, number>;
}

async function padPrimary(url: string, mb: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // ~1 kB rows that do not compress away in the copy (md5 text)
    await c.query(
      `create table if not exists bench_padding as select g, repeat(md5(g::text), 30) as filler from generate_series(1, $1::int) g`,
      [mb * 1000],
    );
    await c.query('checkpoint');
  } finally {
    await c.end();
  }
}

async function runMode(synchronous: boolean): Promise<ModeResult> {
  const replication = synchronous ? 'synchronous' : 'asynchronous';
  log(`— ${replication} replication —`);
  pair = await startReplicatedPair({ synchronous });
  await waitForReplication(pair, synchronous);
  product = await startProduct(pair.databaseUrl);
  if (synchronous && SECONDS > 0) {
    log(`padding the database with ${PAD_MB} MB (for the backup phases)`);
    await padPrimary(pair.primary.url('madoguchi'), PAD_MB);
  }
  const load = startLoad(product, { webhookSenders: SENDERS, consultations: CONSULTATIONS });

  const steadyFrom = performance.now();
  await sleep(SECONDS * 1000);
  const steadyTo = performance.now();
  const steadyTimes = answerTimes(load.tally, steadyFrom, steadyTo);
  const steady = { ...summarize(steadyTimes), webhooks: steadyTimes.length };
  log(`steady: ${steady.webhooks} webhooks, p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms`);

  let backup: ModeResult['backup'];
  let backupThrottled: ModeResult['backup'];
  if (synchronous && SECONDS > 0) {
    backup = await backupPhase(pair, load.tally, undefined);
    backupThrottled = await backupPhase(pair, load.tally, MAX_RATE);
  }

  const killedAt = performance.now();
  await pair.primary.stop('immediate');
  log(`primary killed; promoting the standby in ${DETECT_SECONDS} s`);
  await sleep(DETECT_SECONDS * 1000);
  await pair.standby.promote();
  log('standby promoted');
  // back = the first webhook 200 sent after the kill (give it up to 60 s after the promote)
  const backBy = performance.now() + 60_000;
  let firstOk: number | null = null;
  while (performance.now() < backBy) {
    const ok = load.tally.webhookOk.find((o) => o.start > killedAt);
    if (ok) {
      firstOk = ok.end;
      break;
    }
    await sleep(50);
  }
  await sleep(AFTER_SECONDS * 1000);
  const tally = await load.stop();
  const lost = await findLost(pair.standby.url('madoguchi'), tally);
  const result: ModeResult = {
    replication,
    steady,
    ...(backup ? { backup } : {}),
    ...(backupThrottled ? { backupThrottled } : {}),
    detectionDelayMs: DETECT_SECONDS * 1000,
    downtimeMs: firstOk === null ? null : Math.round(firstOk - killedAt),
    acknowledged: { webhooks: tally.webhooksAcked.length, messages: tally.messagesAcked.length },
    lost: { webhooks: lost.webhooks.length, messages: lost.messages.length },
    notOk: tally.webhookFailures,
  };
  log(
    `${replication}: downtime ${result.downtimeMs ?? 'not back'} ms (promote ${DETECT_SECONDS} s after the kill); acknowledged ${result.acknowledged.webhooks} webhooks + ${result.acknowledged.messages} messages; lost ${result.lost.webhooks} + ${result.lost.messages}; not 200: ${JSON.stringify(result.notOk)}`,
  );
  await cleanUp();
  return result;
}

const busy = await logMachineBusy(log);
log(
  `${SENDERS} webhook senders, ${CONSULTATIONS} consultees, ${SECONDS} s steady (+ ${SECONDS} s of backups at full speed, + ${SECONDS} s at --max-rate ${MAX_RATE}), promote ${DETECT_SECONDS} s after the kill, ${AFTER_SECONDS} s after`,
);
const synchronousRun = await runMode(true);
const asynchronousRun = await runMode(false);
clearTimeout(hardLimit);

const met =
  synchronousRun.downtimeMs !== null &&
  synchronousRun.downtimeMs <= TARGET_DOWNTIME_MS &&
  asynchronousRun.downtimeMs !== null &&
  asynchronousRun.downtimeMs <= TARGET_DOWNTIME_MS &&
  synchronousRun.lost.webhooks === 0 &&
  synchronousRun.lost.messages === 0;
log(
  `targets (back within ${TARGET_DOWNTIME_MS / 1000} s, 0 acknowledged lost with synchronous replication): ${met ? 'met' : 'NOT met'}; O-07 webhook p99 ${synchronousRun.steady.p99Ms} ms without a backup, ${synchronousRun.backup?.p99Ms ?? '-'} ms during pg_basebackup, ${synchronousRun.backupThrottled?.p99Ms ?? '-'} ms with --max-rate ${MAX_RATE}`,
);
console.log(
  JSON.stringify({
    benchmark: 'failover',
    machineBusyPct: busy,
    senders: SENDERS,
    consultations: CONSULTATIONS,
    seconds: SECONDS,
    detectionDelayMs: DETECT_SECONDS * 1000,
    padMb: PAD_MB,
    synchronous: synchronousRun,
    asynchronous: asynchronousRun,
    backupP99Ms: {
      without: synchronousRun.steady.p99Ms,
      during: synchronousRun.backup?.p99Ms ?? null,
      duringThrottled: synchronousRun.backupThrottled?.p99Ms ?? null,
      maxRate: MAX_RATE,
    },
    targets: { downtimeMs: TARGET_DOWNTIME_MS, lostSynchronous: 0 },
    met,
  }),
);
process.exit(0);
