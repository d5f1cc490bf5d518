import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { type CpuReport, cpuReport, cpuSnapshot, logMachineBusy } from '../webhook/cpu.ts';
import {
  buildBodies,
  paced,
  type RunResult,
  type SignedBody,
  summarize,
  webhookTarget,
} from '../webhook/load.ts';
import type { ServerProcessStats, ServerReady } from '../webhook/protocol.ts';

// Webhook forwarding benchmark (W-01, issue 14). The server runs in a child process on a fresh
// database (server.ts), the city's target server in another (target.ts); this process sends signed
// webhooks of one event each at a fixed rate (open loop, answer times counted from when a request was
// due) and reads what the target accepted. First a warm-up without a target, then the target is
// added (every event, "always") and a warm-up with it; then, alternating BENCH_ROUNDS times (3) in
// slices of BENCH_SECONDS / BENCH_ROUNDS, each slice starting on an empty queue:
//   off      the target turned off (nothing is queued): BENCH_RATE webhooks/s — LINE-facing answer times
//   on       the target on: the same load — LINE-facing answer times, and the forwarded latency of each
//            event: from when its webhook was due to when the target first accepted it (both clocks
//            of this machine)
// (off and on each pool their slices: BENCH_SECONDS of each in all), then:
//   outage   the target answers 503 for BENCH_OUTAGE_SECONDS while the same load goes on, then is back;
//            the queue drains (retries with the server's default backoff, FORWARDING_RETRY_BASE_MS 1 s)
// Then every event of every phase answered 200 must have reached the target exactly once (lost = none
// accepted; duplicates = accepted twice). Targets: on−off LINE-facing p99 ≤ 10 ms; forwarded p99
// (phase on) < 1 s; 0 lost, 0 duplicates. A summary, then one JSON object as the last line.
//
// Each phase's CPU (server process, its PostgreSQL backends, the target, this client, other work on the
// machine) is logged and in the JSON (cpu), to see what forwarding costs and what else ran.
//
// Environment: DATABASE_URL (else embedded PostgreSQL), BENCH_RATE (500), BENCH_SECONDS (30),
// BENCH_ROUNDS (3; 1: one off phase, then one on phase), BENCH_OUTAGE_SECONDS (60), BENCH_LAYOUT (in-process: the server runs the workers, as `madoguchi
// serve` does by default; split: production's layout for load, `serve --no-workers` plus a separate
// `madoguchi worker` process, see webhook/server-child.ts; BENCH_WORKER_NICE runs that worker niced);
// diagnosis: BENCH_CPU_PROF=<dir> runs the server child with --cpu-prof.

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const RATE = envInt('BENCH_RATE', 500);
const PHASE_MS = envInt('BENCH_SECONDS', 30) * 1000;
const OUTAGE_MS = envInt('BENCH_OUTAGE_SECONDS', 60) * 1000;
const WARM_MS = 3000;
/** The backlog of an outage leaves with backoff up to ~64 s after the target is back. */
const DRAIN_LIMIT_MS = 240_000;
const HARD_LIMIT_MS = 3 * PHASE_MS + OUTAGE_MS + DRAIN_LIMIT_MS + 180_000;
const TARGET_DIFF_P99_MS = 10;
const TARGET_FORWARD_P99_MS = 1000;
const MAX_IN_FLIGHT = 256;
const LAYOUT =
  process.env.BENCH_LAYOUT !== 'split'
    ? 'in-process'
    : process.env.BENCH_WORKER_NICE
      ? `split, worker at nice ${process.env.BENCH_WORKER_NICE}`
      : 'split';
const SOCKETS = 64;
/** Off and on alternate this many times, each slice BENCH_SECONDS / BENCH_ROUNDS long. */
const ROUNDS = envInt('BENCH_ROUNDS', 3);

/** The slices of one phase as one: requests, errors and every answer time. */
function pooled(runs: RunResult[]) {
  const latencies = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of runs) {
    latencies.set(r.latencies, at);
    at += r.latencies.length;
  }
  return {
    requests: runs.reduce((n, r) => n + r.requests, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    latencies,
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

interface Progress {
  undispatched: number;
  queued: number;
  sent: number;
  dead: number;
}

const idOf = (b: SignedBody) =>
  (JSON.parse(b.body.toString('utf8')) as { events: { webhookEventId: string }[] }).events[0]!.webhookEventId;

async function main() {
  const cores = os.availableParallelism();
  log(
    `forwarding benchmark — ${cores} cores, Node ${process.version}; ${RATE} webhooks/s, ${PHASE_MS / 1000} s per phase, outage ${OUTAGE_MS / 1000} s; layout ${LAYOUT}; load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  const loadAverage = os.loadavg()[0]!;
  const backgroundCpuPct = await logMachineBusy(log);

  const city = new JsonLineChild(path.join(here, 'target.ts'));
  const server = startServerChild(path.join(here, 'server.ts'), { cpuProfDir: process.env.BENCH_CPU_PROF });
  const stopAll = () => Promise.all([server.stop('stop'), city.stop('stop')]);
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);
  let exitCode = 0;
  try {
    const { url: targetUrl } = await city.next<{ url: string }>(20_000, 'target URL');
    const ready = await server.next<ServerReady>(60_000, 'server ready line');
    log(
      LAYOUT.startsWith('split')
        ? `server pid ${ready.pid} (serve --no-workers), worker pid ${ready.workerPid} (madoguchi worker)`
        : `server pid ${ready.pid} (serve, workers in process)`,
    );
    log(`server ${ready.url}; database: ${ready.database}; target ${targetUrl}`);
    const progress = () => server.ask<Progress>('progress', 20_000);
    const users: string[] = [];
    const bodies = (ms: number) => buildBodies(ready.channelSecret, Math.round((RATE * ms) / 1000), 1, users);
    const target = webhookTarget(ready.url, ready.channelId, SOCKETS);
    /** Every event sent in a request answered 200, with when its request was due (epoch ms). */
    const sent = new Map<string, { dueMs: number; phase: string; label: string }>();
    const stats = () => server.ask<ServerProcessStats>('stats', 20_000);
    const targetPids = city.proc.pid ? [city.proc.pid] : [];
    /** CPU of each measured phase: server, its PostgreSQL backends, this client, the target (helper). */
    const cpu: Record<string, CpuReport> = {};
    const run = async (phase: string, ms: number, label = phase): Promise<RunResult> => {
      const b = bodies(ms);
      const ids = b.map(idOf);
      const cpu0 = cpuSnapshot(await stats(), targetPids);
      const r = await paced(target, b, { ratePerSec: RATE, durationMs: ms, maxInFlight: MAX_IN_FLIGHT });
      const c = cpuReport(cpu0, cpuSnapshot(await stats(), targetPids, cpu0), cores);
      if (!phase.startsWith('warm-up')) cpu[label] = c;
      for (let i = 0; i < r.requests; i++) {
        if (r.codes[i] === 200) {
          sent.set(ids[r.bodyIndex[i]!]!, { dueMs: performance.timeOrigin + r.dueAt[i]!, phase, label });
        }
      }
      const s = summarize(r.latencies);
      log(
        `${label}: ${r.requests} webhooks (${r.errors} not 200) in ${round(r.durationMs / 1000, 2)} s; ` +
          `LINE-facing answer ms p50 ${s.p50Ms} p95 ${s.p95Ms} p99 ${s.p99Ms} max ${s.maxMs}; CPU % of one core: ` +
          `server ${c.serverCpuPct}, PostgreSQL ${c.postgresCpuPct}, target ${c.helperCpuPct}, client ${c.clientCpuPct}, ` +
          `other work ${c.otherCpuPct} (machine ${c.machineCpuPct} % busy)`,
      );
      return r;
    };
    const drain = async (what: string, limitMs: number) => {
      const from = performance.now();
      let p = await progress();
      while ((p.undispatched > 0 || p.queued > 0) && performance.now() - from < limitMs) {
        await sleep(200);
        p = await progress();
      }
      const ms = Math.round(performance.now() - from);
      log(
        `${what}: ${p.undispatched || p.queued ? `NOT drained within ${limitMs} ms` : `drained ${ms} ms after the load`} (${JSON.stringify(p)})`,
      );
      return { ms: p.undispatched || p.queued ? null : ms, progress: p };
    };

    await run('warm-up', WARM_MS);
    await drain('warm-up', 30_000);
    await server.ask(`target ${targetUrl}`, 10_000);
    log('forwarding target added (every event type, "always")');
    await run('warm-up with forwarding', WARM_MS);
    await drain('warm-up with forwarding', 30_000);
    await server.ask('reset', 10_000);
    // Off and on alternate in ROUNDS slices, each starting on an empty queue: whatever else the
    // machine does meanwhile falls on both alike, and neither always runs on the larger tables.
    const offRuns: RunResult[] = [];
    const onRuns: RunResult[] = [];
    let onDrain: Awaited<ReturnType<typeof drain>> = { ms: 0, progress: await progress() };
    const slice = Math.round(PHASE_MS / ROUNDS);
    for (let round = 1; round <= ROUNDS; round++) {
      const n = ROUNDS > 1 ? ` ${round}/${ROUNDS}` : '';
      await server.ask('enabled false', 10_000);
      offRuns.push(await run('off', slice, `off${n}`));
      await drain(`off${n}`, 30_000);
      await server.ask('enabled true', 10_000);
      onRuns.push(await run('on', slice, `on${n}`));
      onDrain = await drain(`on${n}`, 60_000);
    }
    const off = pooled(offRuns);
    const on = pooled(onRuns);

    await city.ask('down', 5000);
    log(`target down (503) for ${OUTAGE_MS / 1000} s, load goes on`);
    const outage = await run('outage', OUTAGE_MS);
    await city.ask('up', 5000);
    log('target back');
    const outageDrain = await drain('after the outage', DRAIN_LIMIT_MS);

    const summary = await city.ask<{ accepted: number; duplicates: number; refused: number }>(
      'summary',
      10_000,
    );
    const arrivals = await city.ask<{ ids: string[]; at: number[] }>('arrivals', 60_000);
    const arrivedAt = new Map(arrivals.ids.map((id, i) => [id, arrivals.at[i]!]));
    const forwardedMs = (phase: string, label?: string) => {
      const lat: number[] = [];
      for (const [id, s] of sent) {
        if (s.phase !== phase || (label !== undefined && s.label !== label)) continue;
        const at = arrivedAt.get(id);
        if (at !== undefined) lat.push(at - s.dueMs);
      }
      return summarize(Float64Array.from(lat));
    };
    // Events of the off phase and the first warm-up were sent while no target existed.
    const expected = [...sent].filter(([, s]) => s.phase !== 'off' && s.phase !== 'warm-up');
    const lost = expected.filter(([id]) => !arrivedAt.has(id)).length;
    const offS = summarize(off.latencies);
    const onS = summarize(on.latencies);
    const outageS = summarize(outage.latencies);
    const forwardedOn = forwardedMs('on');
    const forwardedOutage = forwardedMs('outage');
    const forwardedRoundP99Ms = Array.from(
      { length: ROUNDS },
      (_, i) => forwardedMs('on', ROUNDS > 1 ? `on ${i + 1}/${ROUNDS}` : 'on').p99Ms,
    );
    const p99DiffMs = round(onS.p99Ms - offS.p99Ms, 2);
    // Each round's own difference (off and on side by side in time): how much of the pooled one is
    // the machine's other work changing between slices.
    const roundDiffsMs = onRuns.map((r, i) =>
      round(summarize(r.latencies).p99Ms - summarize(offRuns[i]!.latencies).p99Ms, 2),
    );
    const medianRoundDiffMs = [...roundDiffsMs].sort((a, b) => a - b)[Math.floor(roundDiffsMs.length / 2)]!;
    log(
      `LINE-facing p99: off ${offS.p99Ms} ms, on ${onS.p99Ms} ms (difference ${p99DiffMs} ms; target ≤ ${TARGET_DIFF_P99_MS}); during the outage ${outageS.p99Ms} ms`,
    );
    log(
      `LINE-facing p99 difference of each round: ${roundDiffsMs.join(', ')} ms (median ${medianRoundDiffMs})`,
    );
    log(`forwarded p99 of each round: ${forwardedRoundP99Ms.join(', ')} ms`);
    log(
      `forwarded (due → accepted by the target), phase on: p50 ${forwardedOn.p50Ms} p95 ${forwardedOn.p95Ms} p99 ${forwardedOn.p99Ms} max ${forwardedOn.maxMs} ms (target p99 < ${TARGET_FORWARD_P99_MS})`,
    );
    log(
      `forwarded, outage phase (waited for the target): p50 ${forwardedOutage.p50Ms} p99 ${forwardedOutage.p99Ms} max ${forwardedOutage.maxMs} ms`,
    );
    log(
      `events to forward ${expected.length}; accepted by the target ${summary.accepted}; lost ${lost}; duplicates ${summary.duplicates}; 503 answers during the outage ${summary.refused}; dead-lettered ${outageDrain.progress.dead}`,
    );
    const checks = {
      lineFacingP99Diff: p99DiffMs <= TARGET_DIFF_P99_MS,
      forwardedP99: forwardedOn.p99Ms < TARGET_FORWARD_P99_MS,
      noneLost: lost === 0 && outageDrain.ms !== null,
      noDuplicates: summary.duplicates === 0,
    };
    const meetsTarget = Object.values(checks).every(Boolean) && off.errors + on.errors + outage.errors === 0;
    log(`meets target: ${meetsTarget} (${JSON.stringify(checks)})`);
    target.agent.destroy();
    await stopAll();
    console.log(
      JSON.stringify({
        bench: 'forwarding',
        date: new Date().toISOString(),
        cores,
        node: process.version,
        backgroundCpuPct,
        loadAverage,
        layout: LAYOUT,
        concurrency: Number(process.env.FORWARDING_CONCURRENCY) || 32,
        database: ready.database,
        ratePerSec: RATE,
        phaseSeconds: PHASE_MS / 1000,
        rounds: ROUNDS,
        outageSeconds: OUTAGE_MS / 1000,
        off: { requests: off.requests, errors: off.errors, ...offS },
        on: { requests: on.requests, errors: on.errors, ...onS, drainMs: onDrain.ms },
        outage: { requests: outage.requests, errors: outage.errors, ...outageS, drainMs: outageDrain.ms },
        lineFacingP99DiffMs: p99DiffMs,
        roundDiffsMs,
        medianRoundDiffMs,
        forwardedRoundP99Ms,
        cpu,
        forwardedOn,
        forwardedOutage,
        toForward: expected.length,
        accepted: summary.accepted,
        lost,
        duplicates: summary.duplicates,
        refusedDuringOutage: summary.refused,
        deadLettered: outageDrain.progress.dead,
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
