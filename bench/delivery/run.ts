import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { registerBenchChannel, simulatorApi } from '../bench-admin.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { type CpuReport, type CpuSnapshot, cpuReport, cpuSnapshot, logMachineBusy } from '../webhook/cpu.ts';
import { paced, type RunResult, type Target, webhookTarget } from '../webhook/load.ts';
import type { DeliveryReady, DeliveryRow, DeliveryServerStats, LineEventsCheck, Seeded } from './protocol.ts';
import { richMenuBodies, type WindowReport, windowReport } from './webhooks.ts';

// Segment delivery benchmark (G-04, G-12, G-13; targets: end to end under 60 s for the delivery on
// this 2-core machine, segment count under 0.5 s). Three processes: the server (server.ts, started as
// production starts it, with in-process job workers), the LINE simulator with LINE's real rate limits
// (line-sim.ts; multicast 200 requests/s) and this one. Steps:
//   1. seed BENCH_FRIENDS (200,000) following friends with registration answers, register the same
//      users in the simulator and give the friends their user IDs (set-up, not part of the target);
//   2. count the benchmark's AND / OR / NOT segment (about 128,000) through the console's API
//      (POST /api/segments/count), five times: the first is cold;
//   3. create an immediate delivery to that segment (POST /api/deliveries) and wait until it is sent;
//      from the database's timestamps: queue (created → taken), resolution (taken → recipients stored
//      in batches by one INSERT … SELECT), delivery (→ every batch answered), end to end (created →
//      finished); ideal time = batches ÷ 200 requests/s, and the ratio ideal / measured delivery;
//   4. verify with the simulator's records that every recipient got the message exactly once and that
//      the users who got it are exactly the stored recipients (sorted user IDs hashed on both sides).
// Friends using the rich menu at the same time (G-13; on unless BENCH_CONCURRENT_WEBHOOKS=0): from
// 1 s warm-up + BENCH_WEBHOOK_BASELINE_SECONDS before step 3 until the delivery is sent, this process
// plays LINE sending the server webhook events of seeded friends (postbacks and text messages, one
// event per signed request, ./webhooks.ts) at a steady BENCH_WEBHOOK_RATE, open loop: answer times
// count from when a request was due (../webhook/load.ts paced). Reported per window: baseline (before
// the delivery was created) and during the delivery (created → finished, and its parts up to the
// recipients being stored and while the batches are sent); afterwards every event is checked to be
// stored exactly once in line_events.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//
// Environment:
//   DATABASE_URL    PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_FRIENDS   friends to seed (default 200000)
//   BENCH_CONCURRENT_WEBHOOKS  0: no webhook events (webhooksExactlyOnce and the G-13 figure are not run)
//   BENCH_WEBHOOK_RATE         webhook events (= requests) per second (default 500)
//   BENCH_WEBHOOK_BASELINE_SECONDS  measured seconds of webhooks before the delivery (default 3)

const TARGET_FRIENDS = 200_000;
const TARGET_E2E_MS = 60_000;
const TARGET_COUNT_MS = 500;
const LINE_MULTICAST_PER_S = 200;
const HARD_LIMIT_MS = 420_000;
const COUNT_RUNS = 5;

const FRIENDS = (() => {
  const v = Number(process.env.BENCH_FRIENDS);
  return Number.isInteger(v) && v >= 1 ? v : TARGET_FRIENDS;
})();
const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
/** Friends using the rich menu while the delivery runs (G-13). */
const WEBHOOKS = process.env.BENCH_CONCURRENT_WEBHOOKS !== '0';
const WEBHOOK_RATE = envNumber('BENCH_WEBHOOK_RATE', 500);
const WEBHOOK_WARMUP_MS = 1000;
const WEBHOOK_BASELINE_MS = envNumber('BENCH_WEBHOOK_BASELINE_SECONDS', 3) * 1000;
/** Friends whose LINE user IDs send the events (picked at random among the seeded ones). */
const WEBHOOK_SENDERS = 10_000;
const TARGET_WEBHOOK_P99_MS = 100;
/** As in the webhook benchmark's paced runs: requests outstanding at most, over this many sockets. */
const PACED_MAX_IN_FLIGHT = 256;
const PACED_SOCKETS = 64;
/** Longest wait for the webhook events to be dispatched after the load. */
const DRAIN_LIMIT_MS = 15_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : Number.NaN);
const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  const cores = os.availableParallelism();
  log(`delivery benchmark — ${cores} cores, Node ${process.version}, ${fmt(FRIENDS)} friends`);
  const backgroundCpuPct = await logMachineBusy(log);

  const sim = new JsonLineChild(path.join(here, 'line-sim.ts'));
  let server: JsonLineChild | null = null;
  const stopAll = async () => {
    await server?.stop('stop');
    await sim.stop();
  };
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);

  let exitCode = 0;
  /** Stops the webhook load (when it runs), also when the benchmark fails half-way. */
  const webhookAbort = new AbortController();
  try {
    const simReady = await sim.next<{ url: string; pid: number }>(30_000, 'simulator ready line');
    log(`LINE simulator ${simReady.url} (pid ${simReady.pid}), LINE's rate limits on`);
    server = startServerChild(path.join(here, 'server.ts'), { env: { BENCH_LINE_API_URL: simReady.url } });
    const ready = await server.next<DeliveryReady>(120_000, 'server ready line');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}; pool ${ready.poolSize}`);
    const simCall = simulatorApi(simReady.url);
    await registerBenchChannel(simCall, ready);

    // --- 1. Set-up (not part of the target) ----------------------------------------------------------
    const seeded = await server.ask<Seeded>(`seed ${FRIENDS}`, 300_000);
    log(
      `seeded ${fmt(seeded.friends)} friends (${fmt(seeded.registered)} registered) in ${fmt(seeded.seedMs)} ms; ` +
        `registered them in the simulator and linked their user IDs in ${fmt(seeded.linkMs)} ms`,
    );

    const login = await fetch(`${ready.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: ready.loginId, password: ready.password }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const api = async <T>(
      method: string,
      p: string,
      body?: unknown,
    ): Promise<{ status: number; body: T }> => {
      const r = await fetch(`${ready.url}${p}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as T };
    };

    // --- 2. Segment count ----------------------------------------------------------------------------
    const counts: { wallMs: number; serverMs: number; count: number }[] = [];
    for (let i = 0; i < COUNT_RUNS; i++) {
      const t = performance.now();
      const r = await api<{ count: number; ms: number }>('POST', '/api/segments/count', {
        channelId: ready.channelId,
        tree: seeded.tree,
      });
      if (r.status !== 200) throw new Error(`segment count: ${r.status} ${JSON.stringify(r.body)}`);
      counts.push({ wallMs: round(performance.now() - t), serverMs: r.body.ms, count: r.body.count });
    }
    const segmentCount = counts[0]!.count;
    const countMaxMs = Math.max(...counts.map((c) => c.wallMs));
    const warm = counts
      .slice(1)
      .map((c) => c.wallMs)
      .sort((a, b) => a - b);
    const countMedianMs = warm[Math.floor(warm.length / 2)] ?? counts[0]!.wallMs;
    log(
      `segment count: ${fmt(segmentCount)} friends; answered in ${counts.map((c) => c.wallMs).join(' / ')} ms ` +
        `(first cold; server-side ${counts.map((c) => c.serverMs).join(' / ')} ms)`,
    );
    const stats = () => server!.ask<DeliveryServerStats>('stats', 10_000);

    // --- Friends using the rich menu: webhook events from now until the delivery is sent -------------
    let webhookLoad: {
      run: Promise<RunResult>;
      target: Target;
      eventIds: string[];
      senders: number;
      /** Start of the baseline window, and when the bodies run out (performance.now() clock). */
      baselineFrom: number;
      lastDueAt: number;
      cpuFrom: CpuSnapshot;
    } | null = null;
    if (WEBHOOKS) {
      const { users } = await server.ask<{ users: string[] }>(`sample-users ${WEBHOOK_SENDERS}`, 30_000);
      // Enough bodies for the warm-up, the baseline and a delivery as long as the target allows.
      const n = Math.ceil((WEBHOOK_RATE * (WEBHOOK_WARMUP_MS + WEBHOOK_BASELINE_MS + TARGET_E2E_MS)) / 1000);
      const tb = performance.now();
      const built = richMenuBodies(ready.channelSecret, n, users);
      log(
        `rich-menu webhooks: ${fmt(n)} signed one-event bodies (postbacks and texts) from ${fmt(users.length)} ` +
          `random seeded friends built in ${Math.round(performance.now() - tb)} ms; ` +
          `sending ${WEBHOOK_RATE} events/s, ${WEBHOOK_WARMUP_MS / 1000} s warm-up + ${WEBHOOK_BASELINE_MS / 1000} s baseline`,
      );
      const target = webhookTarget(ready.url, ready.channelId, PACED_SOCKETS);
      const loadStart = performance.now();
      const run = paced(target, built.bodies, {
        ratePerSec: WEBHOOK_RATE,
        durationMs: (n / WEBHOOK_RATE) * 1000,
        maxInFlight: PACED_MAX_IN_FLIGHT,
        signal: webhookAbort.signal,
      });
      await sleep(WEBHOOK_WARMUP_MS);
      const baselineFrom = performance.now();
      await server.ask('reset', 10_000); // the server's event-loop delay over the baseline
      const cpuFrom = cpuSnapshot(await stats(), [simReady.pid]);
      await sleep(WEBHOOK_BASELINE_MS);
      webhookLoad = {
        run,
        target,
        eventIds: built.eventIds,
        senders: users.length,
        baselineFrom,
        lastDueAt: loadStart + ((n - 1) / WEBHOOK_RATE) * 1000,
        cpuFrom,
      };
    }

    // --- 3. The delivery ---------------------------------------------------------------------------------
    const stats0 = await stats();
    const cpu0 = cpuSnapshot(stats0, [simReady.pid]);
    await server.ask('reset', 10_000); // the server's event-loop delay over the delivery
    const t0 = performance.now();
    const created = await api<{ id: string; code?: string }>('POST', '/api/deliveries', {
      channelId: ready.channelId,
      title: '【千葉市】防災情報メールのご案内',
      messages: [
        {
          type: 'text',
          text: '台風の接近に備えて、避難所と防災情報をご確認ください。詳しくは https://www.city.chiba.jp/bousai をご覧ください。',
        },
      ],
      audience: { kind: 'tree', tree: seeded.tree },
      schedule: { mode: 'now' },
    });
    if (created.status !== 201)
      throw new Error(`create delivery: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.id;
    let row: DeliveryRow;
    let sawSending = false;
    for (;;) {
      row = await server.ask<DeliveryRow>(`delivery ${id}`, 10_000);
      if (row.status === 'sending') sawSending = true;
      if (row.status === 'sent' || row.status === 'failed') break;
      if (performance.now() - t0 > 180_000)
        throw new Error(`delivery not finished after 180 s: ${JSON.stringify(row)}`);
      await sleep(100);
    }
    const observedMs = round(performance.now() - t0);
    // The database's timestamps on this process's performance.now() clock (same machine, same clock).
    const wallOffset = Date.now() - performance.now();
    const local = (iso: string | null) => (iso ? Date.parse(iso) - wallOffset : Number.NaN);
    webhookAbort.abort();
    const stats1 = await stats();
    const cpu: CpuReport = cpuReport(cpu0, cpuSnapshot(stats1, [simReady.pid], cpu0), cores);
    const loopDelay = (s: DeliveryServerStats) => ({
      p50: round(s.loopDelayP50Ms),
      p99: round(s.loopDelayP99Ms),
      max: round(s.loopDelayMaxMs),
    });
    const loopDelayMs = loopDelay(stats1);

    const queueMs = ms(row.createdAt, row.startedAt);
    const resolutionMs = ms(row.startedAt, row.resolvedAt);
    const deliveryMs = ms(row.resolvedAt, row.finishedAt);
    const endToEndMs = ms(row.createdAt, row.finishedAt);
    const idealMs = (row.batches / LINE_MULTICAST_PER_S) * 1000;
    const idealRatio = round(idealMs / deliveryMs, 3);
    log(
      `delivery ${row.status}: ${fmt(row.recipients ?? 0)} recipients in ${row.batches} batches (≤ ${row.maxBatchSize}); ` +
        `sent ${fmt(row.sent)}, failed ${fmt(row.failed)}, batches retried ${row.batchesRetried}`,
    );
    log(
      `queue ${queueMs} ms, resolution ${resolutionMs} ms, delivery ${deliveryMs} ms, end to end ${endToEndMs} ms ` +
        `(observed ${observedMs} ms)`,
    );
    log(
      `ideal delivery time ${round(idealMs)} ms (${row.batches} batches ÷ ${LINE_MULTICAST_PER_S} requests/s); ` +
        `ideal / measured = ${idealRatio}`,
    );
    const cpuLine = (c: CpuReport) =>
      `server ${c.serverCpuPct}, PostgreSQL ${c.postgresCpuPct ?? '?'}, simulator ${c.helperCpuPct ?? '?'}, ` +
      `this process ${c.clientCpuPct}, other ${c.otherCpuPct ?? '?'} (machine ${c.machineCpuPct ?? '?'} % busy)`;
    log(`CPU during the delivery (% of one core): ${cpuLine(cpu)}`);
    log(
      `server event-loop delay during the delivery (ms): p50 ${loopDelayMs.p50}  p99 ${loopDelayMs.p99}  max ${loopDelayMs.max}`,
    );

    // --- 3b. The webhook events of the friends using the rich menu ---------------------------------------
    let webhooks: {
      ratePerSec: number;
      senders: number;
      requests: number;
      errors: number;
      warmupRequests: number;
      baseline: WindowReport;
      delivery: WindowReport;
      untilResolved: WindowReport;
      sending: WindowReport;
      afterRequests: number;
      coveredDelivery: boolean;
      cpuBaseline: CpuReport;
      /** The server's event-loop delay over the baseline (ms). */
      loopDelayBaselineMs: { p50: number; p99: number; max: number };
      stored: LineEventsCheck;
      okEvents: number;
      failedEvents: number;
      exactlyOnce: boolean;
      undispatchedAtEnd: number;
      dispatchLagMs: number | null;
    } | null = null;
    if (webhookLoad) {
      const w = webhookLoad;
      const r = await w.run;
      w.target.agent.destroy();
      const loadEnded = performance.now();
      const finishedAt = local(row.finishedAt);
      const resolvedAt = local(row.resolvedAt);
      const cpuBaseline = cpuReport(w.cpuFrom, cpu0, cores);
      let warmupRequests = 0;
      let afterRequests = 0;
      for (const at of r.dueAt) {
        if (at < w.baselineFrom) warmupRequests++;
        else if (at >= finishedAt) afterRequests++;
      }
      const okIds: string[] = [];
      const failedIds: string[] = [];
      for (let k = 0; k < r.codes.length; k++)
        (r.codes[k] === 200 ? okIds : failedIds).push(w.eventIds[r.bodyIndex[k]!]!);
      // Wait until the server has dispatched them (its workers run while the delivery sends).
      let check = await server.ask<LineEventsCheck>('line-events', 10_000);
      const undispatchedAtEnd = check.pending;
      while (check.pending > 0 && performance.now() - loadEnded < DRAIN_LIMIT_MS) {
        await sleep(50);
        check = await server.ask<LineEventsCheck>('line-events', 10_000);
      }
      const dispatchLagMs = check.pending === 0 ? Math.round(performance.now() - loadEnded) : null;
      check = await server.ask<LineEventsCheck>(
        `line-events ${JSON.stringify({ ok: okIds, failed: failedIds })}`,
        30_000,
      );
      const exactlyOnce =
        check.storedOk === okIds.length &&
        check.distinctOk === check.storedOk &&
        check.distinctFailed === check.storedFailed &&
        check.storedFailed <= failedIds.length &&
        check.total === check.storedOk + check.storedFailed;
      webhooks = {
        ratePerSec: WEBHOOK_RATE,
        senders: w.senders,
        requests: r.requests,
        errors: r.errors,
        warmupRequests,
        baseline: windowReport(r, w.baselineFrom, t0),
        delivery: windowReport(r, t0, finishedAt),
        untilResolved: windowReport(r, t0, resolvedAt),
        sending: windowReport(r, resolvedAt, finishedAt),
        afterRequests,
        coveredDelivery: w.lastDueAt >= finishedAt,
        cpuBaseline,
        loopDelayBaselineMs: loopDelay(stats0),
        stored: check,
        okEvents: okIds.length,
        failedEvents: failedIds.length,
        exactlyOnce,
        undispatchedAtEnd,
        dispatchLagMs,
      };
      const win = (name: string, x: WindowReport) =>
        log(
          `  ${name}: ${fmt(x.requests)} requests in ${x.durationS} s (${x.requestsPerSec}/s), answer ms ` +
            `p50 ${x.p50Ms}  p95 ${x.p95Ms}  p99 ${x.p99Ms}  max ${x.maxMs}; errors ${x.errors}`,
        );
      log(
        `rich-menu webhooks (${WEBHOOK_RATE} events/s offered, 1 event/request, answer time from when due): ` +
          `${fmt(r.requests)} requests, ${r.errors} errors (${Object.entries(r.statuses)
            .map(([k, v]) => `${k === '0' ? 'failed' : k}×${v}`)
            .join(' ')}); warm-up ${warmupRequests}, after the delivery ${afterRequests}` +
          `${webhooks.coveredDelivery ? '' : ' — THE LOAD ENDED BEFORE THE DELIVERY FINISHED'}`,
      );
      win('baseline (before the delivery)', webhooks.baseline);
      win('during the delivery (created → finished)', webhooks.delivery);
      win('  of which until the recipients were stored', webhooks.untilResolved);
      win('  of which while the batches were sent', webhooks.sending);
      log(`  CPU during the baseline (% of one core): ${cpuLine(cpuBaseline)}`);
      const lb = webhooks.loopDelayBaselineMs;
      log(`  server event-loop delay during the baseline (ms): p50 ${lb.p50}  p99 ${lb.p99}  max ${lb.max}`);
      log(
        `  stored: ${fmt(check.storedOk)} of the ${fmt(okIds.length)} events answered 200 (distinct ${fmt(check.distinctOk)})` +
          `${failedIds.length ? `, ${check.storedFailed} of the ${failedIds.length} not answered 200` : ''}; ` +
          `line_events rows ${fmt(check.total)} — ${exactlyOnce ? 'each stored exactly once' : 'MISMATCH'}; ` +
          `undispatched when the load ended ${undispatchedAtEnd}, ` +
          `${dispatchLagMs === null ? `NOT all dispatched within ${DRAIN_LIMIT_MS} ms` : `all dispatched ${dispatchLagMs} ms later`}` +
          `, dispatch errors ${check.dispatchFailed}`,
      );
    }

    // --- 4. Exactly once, by the simulator's records --------------------------------------------------
    const simStats = await simCall<{
      followers: number;
      usersWithDeliveries: number;
      totalDeliveries: number;
      deliveriesHistogram: Record<string, number>;
      deliveriesPerUser: Record<string, number>;
    }>('GET', `/_sim/stats?channelId=${ready.lineChannelId}`);
    // The users who got it are exactly the stored recipients (same sorted list, same hash).
    const stored = await server.ask<{ users: number; md5: string }>(`recipients-hash ${id}`, 30_000);
    const reached = createHash('md5')
      .update(Object.keys(simStats.deliveriesPerUser).sort().join(','))
      .digest('hex');
    const sameUsers = stored.md5 === reached;
    const requests = await simCall<{ status: number }[]>(
      'GET',
      `/_sim/requests?channelId=${ready.lineChannelId}&path=/v2/bot/message/multicast`,
    );
    const rateLimited = requests.filter((r) => r.status === 429).length;
    const recipients = row.recipients ?? -1;
    const exactlyOnce =
      sameUsers &&
      simStats.usersWithDeliveries === recipients &&
      simStats.totalDeliveries === recipients &&
      JSON.stringify(simStats.deliveriesHistogram) === JSON.stringify({ '1': recipients });
    log(
      `simulator: ${fmt(simStats.usersWithDeliveries)} users got a delivery, ${fmt(simStats.totalDeliveries)} deliveries, ` +
        `histogram ${JSON.stringify(simStats.deliveriesHistogram)}; ${sameUsers ? 'exactly' : 'NOT'} the stored ` +
        `recipients; ${requests.length} multicast requests in its log ` +
        `(${rateLimited} answered 429)`,
    );

    const checks = {
      endToEnd: endToEndMs < TARGET_E2E_MS,
      segmentCount: countMaxMs < TARGET_COUNT_MS,
      recipientsMatchCount: recipients === segmentCount,
      exactlyOnce,
      allSent: row.status === 'sent' && row.sent === recipients && row.failed === 0,
      // Webhook events sent during the run were all answered and stored once (null: not run).
      webhooksExactlyOnce: webhooks ? webhooks.exactlyOnce && webhooks.errors === 0 : null,
    };
    // The issue's target: the checks above (a check that did not run does not fail it).
    const meetsTarget = Object.values(checks).every((v) => v !== false);
    // G-13, reported on its own: friends using the rich menu are answered within the webhook
    // intake's p99 goal (100 ms) while the delivery runs (null: not run).
    const webhooksDuringDelivery = webhooks
      ? webhooks.coveredDelivery &&
        webhooks.delivery.requests > 0 &&
        webhooks.delivery.errors === 0 &&
        webhooks.delivery.p99Ms < TARGET_WEBHOOK_P99_MS
      : null;
    const show = (v: boolean | null) => (v === null ? 'not run' : v ? 'ok' : 'FAILED');
    log(
      `verdict: ${meetsTarget ? 'MEETS the target' : 'does NOT meet the target'} ` +
        `(${Object.entries(checks)
          .map(([k, v]) => `${k} ${show(v)}`)
          .join(', ')}); G-13 webhooks p99 < ${TARGET_WEBHOOK_P99_MS} ms during the delivery: ` +
        show(webhooksDuringDelivery),
    );
    if (!meetsTarget) exitCode = 1;

    console.log(
      JSON.stringify({
        benchmark: 'delivery',
        cores,
        node: process.version,
        database: ready.database,
        backgroundCpuPct,
        friends: seeded.friends,
        registered: seeded.registered,
        seedMs: seeded.seedMs,
        linkMs: seeded.linkMs,
        segmentCount,
        countMs: counts.map((c) => c.wallMs),
        countServerMs: counts.map((c) => c.serverMs),
        countMaxMs,
        countMedianWarmMs: countMedianMs,
        recipients,
        batches: row.batches,
        maxBatchSize: row.maxBatchSize,
        batchesRetried: row.batchesRetried,
        sent: row.sent,
        failed: row.failed,
        sawSending,
        queueMs,
        resolutionMs,
        deliveryMs,
        endToEndMs,
        observedMs,
        idealMs: round(idealMs),
        idealRatio,
        rateLimited,
        simulator: {
          usersWithDeliveries: simStats.usersWithDeliveries,
          totalDeliveries: simStats.totalDeliveries,
          deliveriesHistogram: simStats.deliveriesHistogram,
          sameUsersAsRecipients: sameUsers,
        },
        cpu,
        loopDelayMs,
        webhooks,
        targetWebhookP99Ms: TARGET_WEBHOOK_P99_MS,
        checks,
        meetsTarget,
        webhooksDuringDelivery,
      }),
    );
  } catch (err) {
    console.error('benchmark failed:', err);
    exitCode = 1;
  } finally {
    webhookAbort.abort();
    clearTimeout(hardLimit);
    await stopAll();
  }
  process.exitCode = exitCode;
}

await main();
