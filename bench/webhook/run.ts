import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { lineUserId } from '../../apps/server/src/testing/line-webhook.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from './child.ts';
import { cpuReport, cpuSnapshot, logMachineBusy } from './cpu.ts';
import {
  buildBodies,
  closedLoop,
  paced,
  type RunResult,
  type SignedBody,
  summarize,
  type Target,
  webhookTarget,
} from './load.ts';
import type { ServerReady, ServerStats } from './protocol.ts';

// Webhook intake benchmark (D-03: ≥ 2,000 events/s with p99 answer time < 100 ms).
// Starts the server in a child process (server.ts) on a fresh database and a LINE simulator in another
// (line-sim.ts), loads POST /webhooks/line/:channelId from this process over keep-alive connections with
// pre-signed bodies, checks that every event was stored exactly once and how long dispatch lagged, and
// prints a summary with one JSON object as the last line. Only 127.0.0.1 is contacted.
//
// Scenarios (each followed by waiting until every event is dispatched, at most DRAIN_LIMIT_MS):
//   batch1    closed loop, 1 event per request, BENCH_CONCURRENCY in flight, 20,000 requests or
//             BENCH_SECONDS (after a 2 s warm-up): the capacity of the intake.
//   paced1    open loop at exactly 2,000 requests/s of 1 event for 5 s: the answer times at the target.
//   paced100  open loop at 20 requests/s of 100 events for 5 s (after a 1 s warm-up of 100-event bodies).
//   batch100  closed loop, 100 events per request, BENCH_CONCURRENCY_100 in flight, 500 requests or
//             BENCH_SECONDS.
// The target is met when both closed loops reach 2,000 events/s, both paced runs keep up with 2,000
// events/s with p99 < 100 ms, nothing failed, and every event was stored exactly once.
//
// Environment:
//   DATABASE_URL          PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_CONCURRENCY     requests in flight for batch-1 (default 32)
//   BENCH_CONCURRENCY_100 requests in flight for batch-100 (default 32)
//   BENCH_SECONDS         length of each closed-loop scenario in seconds (default 10)
//   BENCH_SCENARIOS       comma-separated subset of batch1,paced1,paced100,batch100 (default all)
//   BENCH_WORKERS         0 (diagnosis only): the server runs no job workers, so nothing is dispatched
//   BENCH_SYNCHRONOUS_COMMIT off (diagnosis only): the bench database does not wait for WAL flushes
//   BENCH_CPU_PROF        directory: run the server child with --cpu-prof writing there
//   BENCH_LINE_SIMULATOR  0: no LINE simulator; the server's profile fetches go to 127.0.0.1:9
//   DATABASE_POOL_SIZE    the server's pool size (default: the server's own default)

const TARGET_EVENTS_PER_SEC = 2000;
const TARGET_P99_MS = 100;
const HARD_LIMIT_MS = 118_000;
/** Longest wait for dispatch to catch up after a measured scenario, and after a warm-up. */
const DRAIN_LIMIT_MS = 15_000;
const WARM_DRAIN_LIMIT_MS = 8_000;

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const CONCURRENCY_1 = envInt('BENCH_CONCURRENCY', 32);
const CONCURRENCY_100 = envInt('BENCH_CONCURRENCY_100', 32);
const SCENARIO_MS = envInt('BENCH_SECONDS', 10) * 1000;
const PACED_MS = 5000;
/** Diagnosis only: BENCH_WORKERS=0 runs the server without job workers (nothing is dispatched). */
const WORKERS = process.env.BENCH_WORKERS !== '0';
/** Paced runs: requests outstanding at most (more wait, and their wait counts), over this many sockets. */
const PACED_MAX_IN_FLIGHT = 256;
const PACED_SOCKETS = 64;
/** Users created in the LINE simulator: one per follow event of a full run (1 in 10 of ~105,000 events). */
const SIMULATOR_USERS = 12_000;
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'batch1,paced1,paced100,batch100')
  .split(',')
  .map((v) => v.trim());

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const elapsedS = () => ((performance.now() - startedAt) / 1000).toFixed(1);
const log = (msg: string) => console.log(`[${elapsedS().padStart(5)} s] ${msg}`);

interface ScenarioReport {
  mode: 'closed' | 'paced';
  batch: number;
  /** Closed loop: requests in flight. */
  concurrency?: number;
  /** Paced: requests per second offered. */
  offeredRequestsPerSec?: number;
  requests: number;
  events: number;
  errors: number;
  durationS: number;
  requestsPerSec: number;
  eventsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Share of one core used by the server process (200 = both cores), and the kernel's part of it. */
  serverCpuPct: number;
  serverCpuSystemPct: number;
  /** Share of one core used by PostgreSQL for this benchmark (see ServerStats.pgPids), approximately. */
  postgresCpuPct: number | null;
  /** Share of one core used by this load generator. */
  clientCpuPct: number;
  /** Share of one core used by the LINE simulator process (null when none runs). */
  simulatorCpuPct: number | null;
  /** Share of the whole machine that was busy (server, PostgreSQL, this load generator, anything else). */
  machineCpuPct: number | null;
  /** Share of the machine's CPU time the hypervisor gave to other guests (a VM's neighbours). */
  stealPct: number | null;
  /** CPU used by everything else on the machine, in % of one core (other work skews the figures). */
  otherCpuPct: number | null;
  /** The server's event-loop delay during the load (p50, p99, max), in ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
  pendingAtEnd: number;
  /** Time from the end of the load until no event was left undispatched; null when not within the limit. */
  dispatchLagMs: number | null;
}

/** Registers the server's channel in the LINE simulator and creates `count` users who are its friends. */
async function setUpSimulator(simUrl: string, ready: ServerReady, count: number): Promise<string[]> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${simUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`LINE simulator ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  await post('/_sim/channels', {
    channelId: ready.lineChannelId,
    channelSecret: ready.channelSecret,
    accessToken: ready.accessToken,
    name: 'ベンチマーク',
    // No webhookUrl: the simulator sends nothing; the load generator is the only webhook sender.
  });
  const { userIds } = (await post('/_sim/users/bulk', {
    count,
    displayNamePrefix: 'ベンチ',
    followChannelId: ready.lineChannelId,
  })) as { userIds: string[] };
  return userIds;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const cores = os.availableParallelism();
  log(`webhook intake benchmark — ${cores} cores, Node ${process.version}`);
  // Other work on the machine skews every figure below: measure it first (1 s, before our processes).
  const backgroundCpuPct = await logMachineBusy(log);

  // The LINE side: a LINE simulator process for the server's profile fetches (optional).
  let simulator: JsonLineChild | null = null;
  let lineApiUrl: string | null = null;
  if (process.env.BENCH_LINE_SIMULATOR !== '0') {
    simulator = new JsonLineChild(path.join(here, 'line-sim.ts'));
    try {
      lineApiUrl = (await simulator.next<{ url: string }>(20_000, 'simulator URL')).url;
    } catch (err) {
      log(`LINE simulator not available (${String(err)}); profile fetches go to 127.0.0.1:9`);
      await simulator.stop();
      simulator = null;
    }
  }

  const server = startServerChild(path.join(here, 'server.ts'), {
    env: lineApiUrl ? { BENCH_LINE_API_URL: lineApiUrl } : {},
    cpuProfDir: process.env.BENCH_CPU_PROF,
  });
  const stopAll = () => Promise.all([server.stop('stop'), simulator?.stop()]);
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);
  const stats = () => server.ask<ServerStats>('stats', 10_000);

  let exitCode = 0;
  try {
    const ready = await server.next<ServerReady>(60_000, 'server ready line');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}; pool ${ready.poolSize}`);
    log(`LINE API for profile fetches: ${ready.lineApi}`);

    // New friends in the bodies are users the simulator knows as friends of the same channel, so the
    // server's profile fetches succeed as they would against LINE.
    const simUsers = lineApiUrl ? await setUpSimulator(lineApiUrl, ready, SIMULATOR_USERS) : [];
    if (lineApiUrl)
      log(`LINE simulator: channel ${ready.lineChannelId} registered, ${simUsers.length} friends created`);
    let nextSimUser = 0;
    const newUser = () => simUsers[nextSimUser++] ?? lineUserId();

    const users: string[] = [];
    /** Unique signed bodies; signing is the sender's work and happens before any timing. */
    const bodies = (count: number, batch: number) =>
      buildBodies(ready.channelSecret, count, batch, users, newUser);
    const targets: Target[] = [];
    const target = (sockets: number) => {
      const t = webhookTarget(ready.url, ready.channelId, sockets);
      targets.push(t);
      return t;
    };
    let sent = 0;
    let sentInErrors = 0;
    const count = (r: RunResult) => {
      sent += r.events;
      sentInErrors += r.eventsInErrors;
      return r;
    };

    const waitForDispatch = async (
      limitMs = DRAIN_LIMIT_MS,
    ): Promise<{ pendingAtEnd: number; lagMs: number | null }> => {
      const from = performance.now();
      let s = await stats();
      const pendingAtEnd = s.pending;
      if (!WORKERS) return { pendingAtEnd, lagMs: null };
      while (s.pending > 0 && performance.now() - from < limitMs) {
        await sleep(50);
        s = await stats();
      }
      return { pendingAtEnd, lagMs: s.pending === 0 ? Math.round(performance.now() - from) : null };
    };

    const warm = async (label: string, t: Target, b: SignedBody[], concurrency: number, ms: number) => {
      const r = count(await closedLoop(t, b, { concurrency, maxMs: ms }));
      log(`warm-up ${label}: ${r.requests} requests, ${r.errors} errors (not measured)`);
      await waitForDispatch(WARM_DRAIN_LIMIT_MS);
    };

    const measure = async (
      name: string,
      shape: Pick<ScenarioReport, 'mode' | 'batch' | 'concurrency' | 'offeredRequestsPerSec'>,
      run: () => Promise<RunResult>,
    ): Promise<ScenarioReport> => {
      await server.ask('reset', 10_000);
      const simPids = simulator?.proc.pid ? [simulator.proc.pid] : [];
      const cpu0 = cpuSnapshot(await stats(), simPids);
      const r = count(await run());
      const after = await stats();
      const cpu = cpuReport(cpu0, cpuSnapshot(after, simPids, cpu0), cores);
      const loop = { p50: after.loopDelayP50Ms, p99: after.loopDelayP99Ms, max: after.loopDelayMaxMs };
      const drain = await waitForDispatch();
      const seconds = r.durationMs / 1000;
      const report: ScenarioReport = {
        ...shape,
        requests: r.requests,
        events: r.events,
        errors: r.errors,
        durationS: round(seconds, 2),
        requestsPerSec: round(r.requests / seconds),
        eventsPerSec: round(r.events / seconds),
        ...summarize(r.latencies),
        serverCpuPct: cpu.serverCpuPct,
        serverCpuSystemPct: cpu.serverCpuSystemPct,
        postgresCpuPct: cpu.postgresCpuPct,
        clientCpuPct: cpu.clientCpuPct,
        simulatorCpuPct: cpu.helperCpuPct,
        machineCpuPct: cpu.machineCpuPct,
        stealPct: cpu.stealPct,
        otherCpuPct: cpu.otherCpuPct,
        loopDelayMs: { p50: round(loop.p50), p99: round(loop.p99), max: round(loop.max) },
        pendingAtEnd: drain.pendingAtEnd,
        dispatchLagMs: drain.lagMs,
      };
      const statuses = Object.entries(r.statuses)
        .map(([k, v]) => `${k === '0' ? 'failed' : k}×${v}`)
        .join(' ');
      const how =
        shape.mode === 'closed'
          ? `${shape.concurrency} in flight`
          : `offered ${shape.offeredRequestsPerSec} requests/s`;
      log(
        `${name} (${shape.batch} event${shape.batch > 1 ? 's' : ''}/request, ${how}): ${report.requests} requests (${statuses}) ` +
          `in ${report.durationS} s — ${report.requestsPerSec} req/s, ${report.eventsPerSec} events/s`,
      );
      log(
        `  answer time ms: p50 ${report.p50Ms}  p95 ${report.p95Ms}  p99 ${report.p99Ms}  max ${report.maxMs}  mean ${report.meanMs}`,
      );
      log(
        `  CPU (% of one core): server ${report.serverCpuPct}% (kernel ${report.serverCpuSystemPct}%), postgres ${report.postgresCpuPct ?? '?'}%, ` +
          `load generator ${report.clientCpuPct}%, LINE simulator ${report.simulatorCpuPct ?? '-'}%, ` +
          `other processes ${report.otherCpuPct ?? '?'}%; machine ${report.machineCpuPct ?? '?'}% of all ${cores} cores busy, ` +
          `${report.stealPct ?? '?'}% stolen by the hypervisor`,
      );
      log(
        `  server event-loop delay ms: p50 ${report.loopDelayMs.p50}  p99 ${report.loopDelayMs.p99}  max ${report.loopDelayMs.max}`,
      );
      log(
        `  undispatched at end ${report.pendingAtEnd}; all dispatched ${report.dispatchLagMs === null ? `NOT within ${DRAIN_LIMIT_MS} ms` : `${report.dispatchLagMs} ms`} after the load`,
      );
      return report;
    };

    const results: Record<string, ScenarioReport> = {};
    if (SCENARIOS.includes('batch1')) {
      const t = target(CONCURRENCY_1);
      await warm('batch 1', t, bodies(12_000, 1), CONCURRENCY_1, 2000);
      const b = bodies(20_000, 1);
      results.batch1 = await measure('batch1', { mode: 'closed', batch: 1, concurrency: CONCURRENCY_1 }, () =>
        closedLoop(t, b, { concurrency: CONCURRENCY_1, maxMs: SCENARIO_MS }),
      );
    }
    if (SCENARIOS.includes('paced1')) {
      const t = target(PACED_SOCKETS);
      if (!results.batch1) await warm('batch 1', t, bodies(12_000, 1), CONCURRENCY_1, 2000);
      const b = bodies((TARGET_EVENTS_PER_SEC * PACED_MS) / 1000, 1);
      results.paced1 = await measure(
        'paced1',
        { mode: 'paced', batch: 1, offeredRequestsPerSec: TARGET_EVENTS_PER_SEC },
        () =>
          paced(t, b, {
            ratePerSec: TARGET_EVENTS_PER_SEC,
            durationMs: PACED_MS,
            maxInFlight: PACED_MAX_IN_FLIGHT,
          }),
      );
    }
    let warmed100 = false;
    if (SCENARIOS.includes('paced100')) {
      const t = target(PACED_SOCKETS);
      await warm('batch 100', t, bodies(100, 100), CONCURRENCY_100, 1000);
      warmed100 = true;
      const rate = TARGET_EVENTS_PER_SEC / 100;
      const b = bodies((rate * PACED_MS) / 1000, 100);
      results.paced100 = await measure(
        'paced100',
        { mode: 'paced', batch: 100, offeredRequestsPerSec: rate },
        () => paced(t, b, { ratePerSec: rate, durationMs: PACED_MS, maxInFlight: PACED_MAX_IN_FLIGHT }),
      );
    }
    if (SCENARIOS.includes('batch100')) {
      const t = target(CONCURRENCY_100);
      if (!warmed100) await warm('batch 100', t, bodies(100, 100), CONCURRENCY_100, 1000);
      const b = bodies(500, 100);
      results.batch100 = await measure(
        'batch100',
        { mode: 'closed', batch: 100, concurrency: CONCURRENCY_100 },
        () => closedLoop(t, b, { concurrency: CONCURRENCY_100, maxMs: SCENARIO_MS }),
      );
    }
    for (const t of targets) t.agent.destroy();

    const final = await stats();
    const exactlyOnce = sentInErrors === 0 && final.stored === sent && final.distinctIds === final.stored;
    log(
      `stored ${final.stored} events (distinct ids ${final.distinctIds}); sent ${sent} in requests answered 200` +
        `${sentInErrors ? ` (+${sentInErrors} in failed requests)` : ''} — ${exactlyOnce ? 'each stored exactly once' : 'MISMATCH'}; ` +
        `undispatched ${final.pending}, dispatch errors ${final.failed}`,
    );
    log(
      `friends from follow events: ${final.friends}, of which with a LINE profile fetched: ${final.profiles}`,
    );

    const capacity = (s: ScenarioReport | undefined) =>
      s === undefined ? null : s.errors === 0 && s.eventsPerSec >= TARGET_EVENTS_PER_SEC;
    // A paced run offers exactly the target rate; it passes when the server kept up within the p99.
    const atTarget = (s: ScenarioReport | undefined) =>
      s === undefined
        ? null
        : s.errors === 0 && s.p99Ms < TARGET_P99_MS && s.eventsPerSec >= TARGET_EVENTS_PER_SEC * 0.98;
    const checks = {
      batch1Capacity: capacity(results.batch1),
      batch100Capacity: capacity(results.batch100),
      paced1P99: atTarget(results.paced1),
      paced100P99: atTarget(results.paced100),
      exactlyOnce,
    };
    const verdict = (v: boolean | null) => (v === null ? 'not run' : v ? 'met' : 'MISSED');
    log(
      `target ${TARGET_EVENTS_PER_SEC} events/s with p99 < ${TARGET_P99_MS} ms: ${Object.entries(checks)
        .map(([k, v]) => `${k} ${verdict(v)}`)
        .join(', ')}`,
    );
    const meetsTarget = SCENARIOS.length === 4 && Object.values(checks).every((v) => v === true);
    log(`meets target: ${meetsTarget}${SCENARIOS.length === 4 ? '' : ' (not all scenarios were run)'}`);
    await stopAll();
    console.log(
      JSON.stringify({
        bench: 'webhook',
        date: new Date().toISOString(),
        cores,
        node: process.version,
        backgroundCpuPct,
        database: ready.database,
        lineApi: ready.lineApi,
        ...results,
        stored: final.stored,
        sent,
        sentInErrors,
        exactlyOnce,
        undispatched: final.pending,
        dispatchErrors: final.failed,
        friends: final.friends,
        profiles: final.profiles,
        targetEventsPerSec: TARGET_EVENTS_PER_SEC,
        targetP99Ms: TARGET_P99_MS,
        checks,
        meetsTarget,
      }),
    );
  } catch (err) {
    console.error('benchmark failed:', err);
    exitCode = 1;
    await stopAll();
  }
  clearTimeout(hardLimit);
  process.exitCode = exitCode;
}

void main();
