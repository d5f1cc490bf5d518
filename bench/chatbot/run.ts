import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { signLineBody } from '../../apps/server/src/platform/line/signature.ts';
import { followEvent } from '../../apps/server/src/testing/line-webhook.ts';
import { registerBenchChannel, signInBench, simulatorApi } from '../bench-admin.ts';
import { prng } from '../delivery/webhooks.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { type CpuReport, cpuReport, cpuSnapshot, logMachineBusy } from '../webhook/cpu.ts';
import {
  type BodySource,
  type LatencySummary,
  paced,
  type SignedBody,
  summarize,
  webhookTarget,
} from '../webhook/load.ts';
import type { ServerProcessStats } from '../webhook/protocol.ts';
import { type ChatbotSetup, chatbotMix, setUpChatbot } from './chatbot-setup.ts';
import { benchToken, disasterInfoMix, type Mix } from './mix.ts';
import type { ChatbotReady, PipelineRow, Progress, SimReply } from './protocol.ts';

// Chatbot reply latency (issue 12): from a webhook event's receipt to the reply request for its reply
// token at the LINE simulator, at 500 events/s for 30 s; target p99 < 300 ms, every event answered
// exactly once. Three processes: the server (server.ts, started as production starts it, with
// in-process job workers: webhook intake → line_events → dispatch job → handlers in the dispatch
// transaction → line_outbox → outbox sender → LINE), the LINE simulator (line-sim.ts, LINE's rate
// limits; it accepts the reply tokens this process mints and times each reply call on arrival), and
// this one, playing the LINE Platform.
//
// Steps:
//   1. BENCH_USERS (2,000) users in the simulator, following the channel; each sends a follow event
//      (5 per signed webhook body), so that they are the server's friends; wait until the server has
//      dispatched them and sent what they caused;
//   2. BENCH_MODE=chatbot (default): 5,000 FAQ rows imported through POST /api/chatbot/faq/import and
//      50 scenarios created and published through the API (chatbot-setup.ts);
//      BENCH_MODE=disaster-info: nothing — the events are the text 防災情報 and the rich menu's
//      postback action=disaster-info, which the disaster module answers today (the pipeline without
//      the chatbot);
//   3. webhook events at BENCH_RATE (500) events/s, open loop, for 2 s of warm-up + BENCH_SECONDS (30)
//      measured: signed bodies of 1–5 events of different users (as LINE batches them), every event
//      with its own webhookEventId and a reply token the simulator accepts once. In chatbot mode the
//      mix (chatbot-setup.ts chatbotMix) includes answers to the questions the replies asked: this
//      process reads the simulator's replies while it sends (every 50 ms) and answers with the
//      postback data of one of the buttons; a user sends nothing while their previous event is
//      unanswered;
//   4. wait until every event is dispatched and the outbox is empty, then per measured event: the
//      simulator's receipt of the reply call with its token (first call; how many calls), and the
//      database's timestamps (stored, dispatch begun, dispatched, reply sent).
// Latency: from when the webhook body was due at the sender (the LINE Platform sending it; open loop,
// so a server that falls behind shows it) to the simulator receiving POST /v2/bot/message/reply for
// the event's reply token — the headline figure; also from the server's receipt (line_events.received_at,
// the intake transaction, before the 200) to the same point. Both are wall clocks of the same machine.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//
// Environment:
//   DATABASE_URL   PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_MODE     chatbot (default) | disaster-info
//   BENCH_RATE     events per second (default 500)
//   BENCH_SECONDS  measured seconds (default 30)
//   BENCH_USERS    users sending events (default 2000)
//   BENCH_CPU_PROF directory: run the server child with --cpu-prof writing there (diagnosis)
//   BENCH_QUERY_STATS=1  the server's SQL statements during the load: calls and time (diagnosis)

const TARGET_P99_MS = 300;
const HARD_LIMIT_MS = 300_000;
const WARMUP_MS = 2000;
const POLL_MS = 50;
const DRAIN_LIMIT_MS = 30_000;
/** As in the other paced runs: requests outstanding at most, over this many sockets. */
const PACED_MAX_IN_FLIGHT = 256;
const PACED_SOCKETS = 64;
const MAX_EVENTS_PER_BODY = 5;

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const MODE = process.env.BENCH_MODE === 'disaster-info' ? 'disaster-info' : 'chatbot';
const RATE = envNumber('BENCH_RATE', 500);
const SECONDS = envNumber('BENCH_SECONDS', 30);
const USERS = Math.round(envNumber('BENCH_USERS', 2000));

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => n.toLocaleString('en-US');
const wallNow = () => performance.timeOrigin + performance.now();
const DESTINATION = `U${'0'.repeat(32)}`;

interface SentEvent {
  token: string;
  webhookEventId: string;
  kind: string;
  user: number;
}

async function main() {
  const cores = os.availableParallelism();
  log(
    `chatbot benchmark (${MODE}) — ${cores} cores, Node ${process.version}, ${RATE} events/s for ${SECONDS} s, ${fmt(USERS)} users`,
  );
  const backgroundCpuPct = await logMachineBusy(log);

  const simChild = new JsonLineChild(path.join(here, 'line-sim.ts'));
  let server: JsonLineChild | null = null;
  const stopAll = async () => {
    await server?.stop('stop');
    await simChild.stop();
  };
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);
  let exitCode = 0;
  try {
    const simReady = await simChild.next<{ url: string; pid: number }>(30_000, 'simulator ready line');
    log(`LINE simulator ${simReady.url} (pid ${simReady.pid}), LINE's rate limits on`);
    server = startServerChild(path.join(here, 'server.ts'), {
      env: { BENCH_LINE_API_URL: simReady.url },
      cpuProfDir: process.env.BENCH_CPU_PROF,
    });
    const ready = await server.next<ChatbotReady>(120_000, 'server ready line');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}; pool ${ready.poolSize}`);
    const sim = simulatorApi(simReady.url);
    await registerBenchChannel(sim, ready);
    const srv = server;
    const progress = () => srv.ask<Progress>('progress', 10_000);
    const stats = () => srv.ask<ServerProcessStats>('stats', 10_000);
    const drain = async (limitMs: number) => {
      const t = performance.now();
      let p = await progress();
      while ((p.undispatched > 0 || p.outboxPending > 0) && performance.now() - t < limitMs) {
        await sleep(50);
        p = await progress();
      }
      return { progress: p, ms: Math.round(performance.now() - t) };
    };

    // --- 1. Users and friends ----------------------------------------------------------------------
    const { userIds } = await sim<{ userIds: string[] }>('POST', '/_sim/users/bulk', {
      count: USERS,
      followChannelId: ready.lineChannelId,
      displayNamePrefix: '市民',
    });
    await sim('POST', '/_bench/users', { userIds });
    const target = webhookTarget(ready.url, ready.channelId, PACED_SOCKETS);
    const follows: SignedBody[] = [];
    for (let i = 0; i < USERS; i += MAX_EVENTS_PER_BODY) {
      const events = userIds
        .slice(i, i + MAX_EVENTS_PER_BODY)
        .map((u, j) => ({ ...followEvent(u), replyToken: benchToken(i + j) }));
      const body = JSON.stringify({ destination: DESTINATION, events });
      follows.push({
        body: Buffer.from(body),
        signature: signLineBody(ready.channelSecret, body),
        events: events.length,
      });
    }
    const followRun = await paced(target, follows, {
      ratePerSec: RATE / MAX_EVENTS_PER_BODY,
      durationMs: (follows.length / (RATE / MAX_EVENTS_PER_BODY)) * 1000,
      maxInFlight: PACED_MAX_IN_FLIGHT,
    });
    if (followRun.errors > 0) throw new Error(`follow events: ${followRun.errors} requests not answered 200`);
    const followDrain = await drain(DRAIN_LIMIT_MS);
    log(
      `${fmt(USERS)} users in the simulator followed the channel: ${fmt(followRun.events)} follow events in ` +
        `${follows.length} bodies, dispatched and their replies sent ${followDrain.ms} ms after the last one`,
    );

    // --- 2. The chatbot's content -------------------------------------------------------------------
    let setup: ChatbotSetup | null = null;
    let mix: Mix = disasterInfoMix;
    if (MODE === 'chatbot') {
      const api = await signInBench(ready.url, ready);
      setup = await setUpChatbot(api, ready.channelId, log);
      mix = chatbotMix(setup);
    }
    await sim('DELETE', '/_bench/replies');

    // --- 3. The load ---------------------------------------------------------------------------------
    const random = prng(20261202);
    const total = Math.floor((RATE * (WARMUP_MS + SECONDS * 1000)) / 1000);
    /** Users with an unanswered event (they wait for the reply), and the choices each was last offered. */
    const busy = new Set<number>();
    const offered = new Map<number, string[]>();
    const tokenUser = new Map<string, number>();
    const sentByBody: SentEvent[][] = [];
    const sentWallByBody: number[] = [];
    let events = 0;
    let bodiesNeeded = 0;
    const pickUser = (inBody: Set<number>) => {
      // Preferably a user whose previous event is answered (a user asked a question answers it with
      // their next event: see the mix); when the server falls behind, anyone (the rate stays).
      let u = Math.floor(random() * USERS);
      for (let tries = 0; tries < 20 && (busy.has(u) || inBody.has(u)); tries++)
        u = Math.floor(random() * USERS);
      return u;
    };
    const source: BodySource = {
      get length() {
        return bodiesNeeded;
      },
      at(i) {
        const k = Math.min(1 + Math.floor(random() * MAX_EVENTS_PER_BODY), Math.max(1, total - events));
        const sent: SentEvent[] = [];
        const list: unknown[] = [];
        const inBody = new Set<number>();
        for (let j = 0; j < k; j++) {
          const u = pickUser(inBody);
          if (inBody.has(u)) continue;
          inBody.add(u);
          const m = mix(userIds[u]!, offered.get(u) ?? null, random);
          offered.delete(u);
          const token = benchToken(u);
          const event: Record<string, unknown> = { ...m.event, replyToken: token };
          list.push(event);
          busy.add(u);
          tokenUser.set(token, u);
          sent.push({ token, webhookEventId: String(event.webhookEventId), kind: m.kind, user: u });
        }
        events += sent.length;
        sentByBody[i] = sent;
        sentWallByBody[i] = wallNow();
        const body = JSON.stringify({ destination: DESTINATION, events: list });
        return {
          body: Buffer.from(body),
          signature: signLineBody(ready.channelSecret, body),
          events: sent.length,
        };
      },
    };
    // Bodies carry 3 events on average; the run sends bodies at RATE / 3 per second.
    const bodyRate = RATE / ((1 + MAX_EVENTS_PER_BODY) / 2);
    bodiesNeeded = Math.ceil((bodyRate * (WARMUP_MS + SECONDS * 1000)) / 1000);

    // Read the replies while sending: who is answered (idle again), and which choices they were offered.
    let lastSeq = 0;
    let polling = true;
    const replies: SimReply[] = [];
    const poller = (async () => {
      while (polling) {
        const r = await sim<{ replies: SimReply[]; last: number }>('GET', `/_bench/replies?after=${lastSeq}`);
        for (const reply of r.replies) {
          replies.push(reply);
          lastSeq = Math.max(lastSeq, reply.seq);
          const u = tokenUser.get(reply.token);
          if (u === undefined) continue;
          busy.delete(u);
          if (reply.postbacks.length > 0) offered.set(u, reply.postbacks);
        }
        await sleep(POLL_MS);
      }
    })();

    log(
      `sending ${RATE} events/s (bodies of 1–${MAX_EVENTS_PER_BODY} events, ${Math.round(bodyRate)} bodies/s) for ` +
        `${WARMUP_MS / 1000} s warm-up + ${SECONDS} s measured`,
    );
    await server.ask('reset', 10_000);
    if (process.env.BENCH_QUERY_STATS === '1') await server.ask('queries', 10_000);
    const stats0 = await stats();
    const cpu0 = cpuSnapshot(stats0, [simReady.pid]);
    const loadStart = performance.now();
    const run = await paced(target, source, {
      ratePerSec: bodyRate,
      durationMs: (bodiesNeeded / bodyRate) * 1000,
      maxInFlight: PACED_MAX_IN_FLIGHT,
    });
    const loadEnd = performance.now();
    const stats1 = await stats();
    const cpu: CpuReport = cpuReport(cpu0, cpuSnapshot(stats1, [simReady.pid], cpu0), cores);
    target.agent.destroy();
    const finalDrain = await drain(DRAIN_LIMIT_MS);
    if (process.env.BENCH_QUERY_STATS === '1') {
      const { queries } = await server.ask<{ queries: { text: string; calls: number; ms: number }[] }>(
        'queries',
        10_000,
      );
      log('SQL statements of the server during the load and the drain (calls, total ms, text):');
      for (const q of queries) log(`  ${String(q.calls).padStart(7)} ${String(q.ms).padStart(8)}  ${q.text}`);
    }
    await sleep(2 * POLL_MS);
    polling = false;
    await poller;

    // --- 4. Per event: its reply at the simulator and its way through the server --------------------
    const all = await sim<{ replies: SimReply[] }>('GET', '/_bench/replies?after=0');
    const byToken = new Map(all.replies.map((r) => [r.token, r]));
    const { rows } = await server.ask<{ rows: PipelineRow[] }>('pipeline', 180_000);
    const byEventId = new Map(rows.map((r) => [r.webhookEventId, r]));

    const measuredFrom = loadStart + WARMUP_MS;
    const fromDue: number[] = [];
    const fromSent: number[] = [];
    const fromStored: number[] = [];
    const segments = {
      intake: [] as number[], // due → stored (line_events.received_at)
      toDispatch: [] as number[], // stored → dispatch transaction began
      handlers: [] as number[], // dispatch began → dispatched (handlers of its batch ran)
      toReply: [] as number[], // dispatched → reply call at the simulator (commit, outbox job, send)
      replyAnswer: [] as number[], // reply call at the simulator → sent_at (answer back, stored)
    };
    const kinds: Record<string, { events: number; answered: number }> = {};
    let measuredEvents = 0;
    let answered = 0;
    let missing = 0;
    let duplicates = 0;
    let notStored = 0;
    let requestErrors = 0;
    const missingSamples: string[] = [];
    for (let k = 0; k < run.requests; k++) {
      const dueAt = run.dueAt[k]!;
      if (dueAt < measuredFrom) continue;
      const b = run.bodyIndex[k]!;
      if (run.codes[k] !== 200) requestErrors++;
      const dueWall = performance.timeOrigin + dueAt;
      for (const e of sentByBody[b] ?? []) {
        measuredEvents++;
        kinds[e.kind] ??= { events: 0, answered: 0 };
        const kind = kinds[e.kind]!;
        kind.events++;
        const reply = byToken.get(e.token);
        const row = byEventId.get(e.webhookEventId);
        if (!row) notStored++;
        if (!reply) {
          missing++;
          if (missingSamples.length < 5)
            missingSamples.push(`${e.kind} (${row?.outboxStatus ?? 'no reply row'})`);
          continue;
        }
        answered++;
        kind.answered++;
        if (reply.calls > 1) duplicates += reply.calls - 1;
        fromDue.push(reply.atMs - dueWall);
        fromSent.push(reply.atMs - sentWallByBody[b]!);
        if (row) {
          fromStored.push(reply.atMs - row.storedMs);
          segments.intake.push(row.storedMs - dueWall);
          if (row.outboxMs !== null) {
            segments.toDispatch.push(row.outboxMs - row.storedMs);
            if (row.dispatchedMs !== null) segments.handlers.push(row.dispatchedMs - row.outboxMs);
          }
          if (row.dispatchedMs !== null) segments.toReply.push(reply.atMs - row.dispatchedMs);
          if (row.sentMs !== null) segments.replyAnswer.push(row.sentMs - reply.atMs);
        }
      }
    }
    const sum = (xs: number[]) => summarize(Float64Array.from(xs));
    const latency = sum(fromDue);
    const line = (name: string, s: LatencySummary) =>
      log(
        `  ${name.padEnd(46)} p50 ${s.p50Ms}  p95 ${s.p95Ms}  p99 ${s.p99Ms}  max ${s.maxMs}  mean ${s.meanMs}`,
      );
    log(
      `sent ${fmt(run.requests)} bodies (${fmt(run.events)} events in bodies answered 200, ${run.errors} requests not answered 200) ` +
        `in ${((loadEnd - loadStart) / 1000).toFixed(1)} s; measured (after the warm-up): ${fmt(measuredEvents)} events`,
    );
    log(
      `after the load: everything dispatched and sent ${finalDrain.ms} ms later ` +
        `(undispatched ${finalDrain.progress.undispatched}, outbox pending ${finalDrain.progress.outboxPending}, ` +
        `failed ${finalDrain.progress.outboxFailed}, dispatch errors ${finalDrain.progress.dispatchFailed})`,
    );
    log('reply latency (ms), to the simulator receiving POST /v2/bot/message/reply with the event’s token:');
    line('from when the webhook was due at the sender', latency);
    line('from when the sender wrote it', sum(fromSent));
    line('from the server storing it (line_events.received_at)', sum(fromStored));
    log('where the time goes (ms, database timestamps):');
    line('due → stored (intake transaction began)', sum(segments.intake));
    line('stored → dispatch transaction began', sum(segments.toDispatch));
    line('dispatch began → handlers done', sum(segments.handlers));
    line('handlers done → reply call at the simulator', sum(segments.toReply));
    line('reply call → its answer stored (sent_at)', sum(segments.replyAnswer));
    for (const [name, k] of Object.entries(kinds))
      log(`  ${name}: ${fmt(k.events)} events, ${fmt(k.answered)} answered`);
    log(
      `answered ${fmt(answered)} of ${fmt(measuredEvents)}; missing ${missing}${missingSamples.length ? ` (e.g. ${missingSamples.join(', ')})` : ''}; ` +
        `duplicate reply calls ${duplicates}; not stored ${notStored}`,
    );
    const cpuLine =
      `server ${cpu.serverCpuPct}, PostgreSQL ${cpu.postgresCpuPct ?? '?'}, simulator ${cpu.helperCpuPct ?? '?'}, ` +
      `this process ${cpu.clientCpuPct}, other ${cpu.otherCpuPct ?? '?'} (machine ${cpu.machineCpuPct ?? '?'} % busy)`;
    log(`CPU during the load (% of one core): ${cpuLine}`);
    log(
      `server event-loop delay during the load (ms): p50 ${stats1.loopDelayP50Ms.toFixed(1)}  ` +
        `p99 ${stats1.loopDelayP99Ms.toFixed(1)}  max ${stats1.loopDelayMaxMs.toFixed(1)}`,
    );
    const met =
      measuredEvents > 0 &&
      latency.p99Ms < TARGET_P99_MS &&
      missing === 0 &&
      duplicates === 0 &&
      requestErrors === 0 &&
      notStored === 0;
    log(
      `verdict: ${met ? 'MEETS' : 'does NOT meet'} the target (p99 < ${TARGET_P99_MS} ms, every event answered once)`,
    );
    if (!met) exitCode = 1;
    console.log(
      JSON.stringify({
        benchmark: 'chatbot',
        mode: MODE,
        cores,
        node: process.version,
        database: ready.database,
        backgroundCpuPct,
        ratePerSec: RATE,
        seconds: SECONDS,
        users: USERS,
        setup: setup?.summary ?? null,
        p50Ms: latency.p50Ms,
        p95Ms: latency.p95Ms,
        p99Ms: latency.p99Ms,
        maxMs: latency.maxMs,
        meanMs: latency.meanMs,
        fromServerReceipt: sum(fromStored),
        segments: Object.fromEntries(Object.entries(segments).map(([k, v]) => [k, sum(v)])),
        kinds,
        events: measuredEvents,
        answered,
        missing,
        duplicates,
        notStored,
        requestErrors,
        drainMs: finalDrain.ms,
        cpu,
        loopDelayMs: {
          p50: stats1.loopDelayP50Ms,
          p99: stats1.loopDelayP99Ms,
          max: stats1.loopDelayMaxMs,
        },
        targetP99Ms: TARGET_P99_MS,
        met,
      }),
    );
  } catch (err) {
    console.error('benchmark failed:', err);
    exitCode = 1;
  } finally {
    clearTimeout(hardLimit);
    await stopAll();
  }
  process.exitCode = exitCode;
}

await main();
