import { mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { guardBenchmark } from '../guard.ts';
import { startServerChild } from '../webhook/child.ts';
import { type CpuReport, cpuReport, cpuSnapshot, logMachineBusy } from '../webhook/cpu.ts';
import { type LatencySummary, summarize } from '../webhook/load.ts';
import { cookieFrom, openSocket, pool, requestJson } from './clients.ts';
import type { StatementFigures } from './instrument.ts';
import type {
  ConsultationReady,
  ConsultationServerStats,
  ConsulteesCreated,
  StoredMessages,
} from './protocol.ts';

// SNS consultation benchmark (target: 500 concurrent chats with p99 < 150 ms end to end on one 2-core
// machine). Starts the server in a child process (server.ts) on a fresh database with one desk and
// ceil(BENCH_PAIRS / 20) counselors, and plays from this process both sides of BENCH_PAIRS chats:
//   - counselors sign in (POST /api/session), each opens one console socket (/ws/console), takes 20
//     consultations (POST …/assign, …/history-confirm);
//   - each consultee (a web consultee made by the server child) has its chat socket open (/ws/consult)
//     and says it is visible;
//   - for BENCH_WARMUP_SECONDS (not measured) and then BENCH_SECONDS, every consultee sends a message
//     every BENCH_INTERVAL_MS on average (uniformly jittered ±50 %); when the console socket of its
//     counselor delivers it, that counselor replies at once with POST …/messages.
// Measured, for messages sent after the warm-up: consultee → counselor (socket send → console socket
// delivery), counselor → consultee (POST sent → chat socket delivery), the ack (send → ack), the answer
// time of the POST, CPU of the server, PostgreSQL and this process, the server's memory. After a drain
// (at most DRAIN_LIMIT_MS) every message must have been stored exactly once and delivered.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//
// Environment:
//   DATABASE_URL          PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_PAIRS           concurrent chats (default 500)
//   BENCH_SECONDS         measured seconds (default 20)
//   BENCH_WARMUP_SECONDS  warm-up seconds at the same load, not measured (default 3)
//   BENCH_INTERVAL_MS     mean time between two messages of one consultee (default 2000)
//   BENCH_CPU_PROF        directory: CPU profile of the server during the measured window written there
//   BENCH_STATEMENTS      0: the server child does not group its queries by statement (less overhead)
//   DATABASE_POOL_SIZE    the server's pool size (default: the server's own default)

const TARGET_PAIRS = 500;
const TARGET_P99_MS = 150;
const TARGET_INTERVAL_MS = 2000;
const PER_COUNSELOR = 20;
const HARD_LIMIT_MS = 118_000;
const DRAIN_LIMIT_MS = 20_000;
const STATEMENTS_SHOWN = 10;

const envInt = (name: string, fallback: number, min = 1) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= min ? Math.floor(v) : fallback;
};
const PAIRS = envInt('BENCH_PAIRS', TARGET_PAIRS);
const COUNSELORS = Math.ceil(PAIRS / PER_COUNSELOR);
const MEASURE_MS = envInt('BENCH_SECONDS', 20) * 1000;
const WARMUP_MS = envInt('BENCH_WARMUP_SECONDS', 3, 0) * 1000;
const INTERVAL_MS = envInt('BENCH_INTERVAL_MS', TARGET_INTERVAL_MS);

const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CONSULTEE_TEXTS = [
  '家賃が払えなくて困っています。どこに相談すればいいですか。',
  '仕事を失ってしまい、生活費が足りません。',
  '子どものことで悩んでいます。少し話を聞いてもらえますか。',
  '最近よく眠れず、気持ちが落ち込んでいます。',
];
const REPLY_TEXT =
  'ご相談ありがとうございます。相談員がお話を伺います。いまの状況をもう少し詳しく教えていただけますか。';

interface Counselor {
  index: number;
  loginId: string;
  accountId: string;
  cookie: string;
  csrfToken: string;
  agent: http.Agent;
  socket: WebSocket | null;
}

interface Pair {
  index: number;
  consultationId: string;
  cookie: string;
  counselor: Counselor;
  socket: WebSocket | null;
  seq: number;
}

/** A consultee's message. Times are performance.now() of this process. */
interface Sent {
  pair: Pair;
  clientId: string;
  measured: boolean;
  sentAt: number;
  ackAt?: number;
  deliveredAt?: number;
}

/** A counselor's reply to a consultee's message. */
interface Reply {
  pair: Pair;
  clientId: string;
  measured: boolean;
  postAt: number;
  status?: number;
  answeredAt?: number;
  deliveredAt?: number;
}

interface Latency extends LatencySummary {
  count: number;
}

function latency(values: number[]): Latency {
  return { count: values.length, ...summarize(Float64Array.from(values)) };
}

async function main() {
  const cores = os.availableParallelism();
  log(`consultation benchmark — ${cores} cores, Node ${process.version}`);
  log(
    `${PAIRS} chats, ${COUNSELORS} counselors (up to ${PER_COUNSELOR} chats each), a message every ` +
      `${INTERVAL_MS} ms (±50 %) per consultee, warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s`,
  );
  const backgroundCpuPct = await logMachineBusy(log);

  const server = startServerChild(path.join(here, 'server.ts'), {
    env: { BENCH_COUNSELORS: String(COUNSELORS) },
  });
  const profDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
  const counselors: Counselor[] = [];
  const pairs: Pair[] = [];
  let closingSockets = false;
  const closeAll = () => {
    closingSockets = true;
    for (const p of pairs) p.socket?.close();
    for (const c of counselors) {
      c.socket?.close();
      c.agent.destroy();
    }
  };
  const stopAll = async () => {
    closeAll();
    await server.stop('stop');
  };
  const hardLimit = guardBenchmark(stopAll, HARD_LIMIT_MS);
  const stats = () => server.ask<ConsultationServerStats>('stats', 10_000);

  let exitCode = 0;
  try {
    const ready = await server.next<ConsultationReady>(90_000, 'server ready line');
    const base = new URL(ready.url);
    const wsBase = ready.url.replace(/^http/, 'ws');
    log(`server ${ready.url} (pid ${ready.pid}); database: ${ready.database}; pool ${ready.poolSize}`);
    log(`desk "${ready.deskSlug}" and ${ready.counselors.length} counselor accounts created`);

    // --- Set-up (not measured) ---------------------------------------------------------------------
    const errors = {
      /** Answers of the reply POST other than 201 (and failed requests). */
      replyHttp: 0,
      /** {type:'error'} frames on chat sockets. */
      chatSocket: 0,
      /** Sockets closed by the other side during the run. */
      socketClosed: 0,
      /** A message delivered twice to the same socket. */
      duplicates: 0,
    };
    const errorSamples: string[] = [];
    const noteError = (what: string) => {
      if (errorSamples.length < 5) errorSamples.push(what);
    };
    const onClosed = (what: string) => (code: number) => {
      if (closingSockets) return;
      errors.socketClosed++;
      noteError(`${what} closed (${code})`);
    };

    // Sign-in is rate limited to 60 per minute and address; argon2id makes each one take a while.
    const t0 = performance.now();
    for (const [index, a] of ready.counselors.entries()) {
      // One connection per chat at most, so that replies do not queue in this process: a browser's
      // six HTTP/1.1 connections per host would hide the server's answer times behind client queues.
      const agent = new http.Agent({ keepAlive: true, maxSockets: PER_COUNSELOR });
      const res = await requestJson(
        agent,
        base,
        'POST',
        '/api/session',
        {},
        {
          loginId: a.loginId,
          password: ready.password,
        },
      );
      if (res.status !== 200) throw new Error(`login ${a.loginId}: ${res.status} ${res.body}`);
      counselors.push({
        index,
        loginId: a.loginId,
        accountId: a.accountId,
        cookie: cookieFrom(res.setCookie, 'madoguchi_sid'),
        csrfToken: (JSON.parse(res.body) as { csrfToken: string }).csrfToken,
        agent,
        socket: null,
      });
    }
    log(`${counselors.length} counselors signed in (${Math.round(performance.now() - t0)} ms)`);

    const created = await server.ask<ConsulteesCreated>(`consultees ${PAIRS}`, 60_000);
    log(`${created.consultees.length} web consultees with a waiting consultation (${created.ms} ms)`);
    for (const [index, c] of created.consultees.entries()) {
      pairs.push({
        index,
        consultationId: c.consultationId,
        cookie: c.cookie,
        counselor: counselors[Math.floor(index / PER_COUNSELOR)]!,
        socket: null,
        seq: 0,
      });
    }

    // Measured traffic: what was sent, by client ID, and the latencies of what arrived.
    const sent = new Map<string, Sent>();
    const replies = new Map<string, Reply>();
    const sentList: Sent[] = [];
    const replyList: Reply[] = [];
    const consoleFrames = { total: 0, bytes: 0, ownMessages: 0, otherMessages: 0, other: 0 };
    let consoleFramesAtMeasureStart = { ...consoleFrames };
    const headers = (c: Counselor) => ({ cookie: c.cookie, 'x-csrf-token': c.csrfToken });

    const reply = async (s: Sent) => {
      const pair = s.pair;
      const c = pair.counselor;
      const r: Reply = { pair, clientId: `r${s.clientId}`, measured: s.measured, postAt: performance.now() };
      replies.set(r.clientId, r);
      replyList.push(r);
      const res = await requestJson(
        c.agent,
        base,
        'POST',
        `/api/consultations/${pair.consultationId}/messages`,
        headers(c),
        { clientId: r.clientId, text: REPLY_TEXT, kind: 'text' },
      );
      r.status = res.status;
      r.answeredAt = performance.now();
      if (res.status !== 201) {
        errors.replyHttp++;
        noteError(`reply POST ${res.status} ${res.body.slice(0, 200)}`);
      }
    };

    // Console sockets: every counselor receives the events of every chat at the desk; the one the
    // chat is assigned to answers its consultee's messages.
    await pool(counselors, 8, async (c) => {
      c.socket = await openSocket(
        `${wsBase}/ws/console`,
        c.cookie,
        (data, at) => {
          consoleFrames.total++;
          consoleFrames.bytes += data.length;
          const m = JSON.parse(data) as {
            type: string;
            consultationId?: string;
            message?: { sender: string; clientId: string | null };
          };
          if (m.type !== 'message' || !m.message) {
            consoleFrames.other++;
            return;
          }
          const s = m.message.sender === 'consultee' ? sent.get(m.message.clientId ?? '') : undefined;
          if (!s || s.pair.counselor !== c) {
            consoleFrames.otherMessages++;
            return;
          }
          consoleFrames.ownMessages++;
          if (s.deliveredAt !== undefined) {
            errors.duplicates++;
            return;
          }
          s.deliveredAt = at;
          void reply(s);
        },
        onClosed(`console socket of ${c.loginId}`),
      );
    });
    log(`${counselors.length} console sockets open`);

    const t1 = performance.now();
    await pool(pairs, 16, async (p) => {
      const c = p.counselor;
      const assign = await requestJson(
        c.agent,
        base,
        'POST',
        `/api/consultations/${p.consultationId}/assign`,
        headers(c),
        {},
      );
      if (assign.status !== 200) throw new Error(`assign: ${assign.status} ${assign.body}`);
      const confirm = await requestJson(
        c.agent,
        base,
        'POST',
        `/api/consultations/${p.consultationId}/history-confirm`,
        headers(c),
        {},
      );
      if (confirm.status !== 204) throw new Error(`history-confirm: ${confirm.status} ${confirm.body}`);
    });
    log(
      `${pairs.length} consultations assigned and history confirmed (${Math.round(performance.now() - t1)} ms)`,
    );

    const t2 = performance.now();
    await pool(pairs, 32, async (p) => {
      p.socket = await openSocket(
        `${wsBase}/ws/consult?consultationId=${p.consultationId}`,
        p.cookie,
        (data, at) => {
          const m = JSON.parse(data) as {
            type: string;
            clientId?: string;
            code?: string;
            message?: { sender: string; clientId: string | null };
          };
          if (m.type === 'ack') {
            const s = sent.get(m.clientId ?? '');
            if (s && s.ackAt === undefined) s.ackAt = at;
            else if (s) errors.duplicates++;
          } else if (m.type === 'message' && m.message?.sender === 'counselor') {
            const r = replies.get(m.message.clientId ?? '');
            if (r && r.pair === p) {
              if (r.deliveredAt === undefined) r.deliveredAt = at;
              else errors.duplicates++;
            }
          } else if (m.type === 'error') {
            errors.chatSocket++;
            noteError(`chat socket error ${m.code}`);
          }
        },
        onClosed(`chat socket ${p.index}`),
      );
      p.socket.send(JSON.stringify({ type: 'visibility', visible: true }));
    });
    log(`${pairs.length} chat sockets open (${Math.round(performance.now() - t2)} ms)`);
    // Let the set-up's presence and assignment events reach the console sockets before the load.
    await sleep(1500);
    const idle = await stats();
    log(
      `server before the load: RSS ${round(idle.rssMb)} MiB, heap used ${round(idle.heapUsedMb)} MiB ` +
        `(${COUNSELORS} console and ${PAIRS} chat sockets open)`,
    );

    // --- Load ----------------------------------------------------------------------------------------
    let measuring = false;
    let sending = true;
    const send = (p: Pair) => {
      const clientId = `c${p.index}-${++p.seq}`;
      const s: Sent = { pair: p, clientId, measured: measuring, sentAt: performance.now() };
      sent.set(clientId, s);
      sentList.push(s);
      p.socket!.send(
        JSON.stringify({
          type: 'message',
          clientId,
          text: `${CONSULTEE_TEXTS[p.seq % CONSULTEE_TEXTS.length]}（${p.seq}）`,
        }),
      );
    };
    const timers = new Set<NodeJS.Timeout>();
    const schedule = (p: Pair, delay: number) => {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!sending) return;
        send(p);
        schedule(p, INTERVAL_MS * (0.5 + Math.random()));
      }, delay);
      timers.add(t);
    };
    log(`load: ${PAIRS} consultees start sending (warm-up ${WARMUP_MS / 1000} s)`);
    const loadStart = performance.now();
    for (const p of pairs) schedule(p, Math.random() * INTERVAL_MS);
    await sleep(WARMUP_MS);

    await server.ask('reset', 10_000);
    await server.ask('statements', 10_000);
    if (profDir) await server.ask('profile-start', 10_000);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const before = await stats();
    const cpu0 = cpuSnapshot(before);
    const measureStart = performance.now();
    measuring = true;
    consoleFramesAtMeasureStart = { ...consoleFrames };
    let peakRssMb = idle.rssMb;
    let peakHeapUsedMb = idle.heapUsedMb;
    let maxPoolWaiting = 0;
    const sampler = setInterval(() => {
      stats()
        .then((s) => {
          peakRssMb = Math.max(peakRssMb, s.rssMb);
          peakHeapUsedMb = Math.max(peakHeapUsedMb, s.heapUsedMb);
          maxPoolWaiting = Math.max(maxPoolWaiting, s.maxWaiting);
        })
        .catch(() => {});
    }, 2000);
    await sleep(MEASURE_MS);
    measuring = false;
    sending = false;
    for (const t of timers) clearTimeout(t);
    clearInterval(sampler);
    const after = await stats();
    const { statements } = await server.ask<{ statements: StatementFigures[] }>('statements', 10_000);
    maxPoolWaiting = Math.max(maxPoolWaiting, after.maxWaiting);
    const measureEnd = performance.now();
    const cpu: CpuReport = cpuReport(cpu0, cpuSnapshot(after, [], cpu0), cores);
    loop.disable();
    if (profDir) {
      mkdirSync(profDir, { recursive: true });
      const file = path.join(
        profDir,
        `consultation-server-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
      );
      await server.ask(`profile-stop ${file}`, 30_000);
      log(`CPU profile of the server during the measured window: ${file}`);
    }
    const framesInWindow = {
      total: consoleFrames.total - consoleFramesAtMeasureStart.total,
      bytes: consoleFrames.bytes - consoleFramesAtMeasureStart.bytes,
    };
    log(`load: sending stopped after ${round((measureEnd - loadStart) / 1000)} s; draining`);

    // --- Drain and verify --------------------------------------------------------------------------------
    const outstanding = () =>
      sentList.filter((s) => s.ackAt === undefined || s.deliveredAt === undefined).length +
      replyList.filter((r) => r.status === undefined || (r.status === 201 && r.deliveredAt === undefined))
        .length;
    const drainStart = performance.now();
    while (outstanding() > 0 && performance.now() - drainStart < DRAIN_LIMIT_MS) await sleep(50);
    const settledAt = performance.now();
    const drainMs = Math.round(settledAt - drainStart);
    const end = await stats();
    peakRssMb = Math.max(peakRssMb, end.rssMb);
    peakHeapUsedMb = Math.max(peakHeapUsedMb, end.heapUsedMb);
    const stored = await server.ask<StoredMessages>('messages', 10_000);

    // Everything is settled unless the drain ran out of time; then what is still in flight counts as
    // undelivered, and its latency as its age when the drain ended (a lower bound).
    const repliesOk = replyList.filter((r) => r.status === 201).length;
    const repliesUnanswered = replyList.filter((r) => r.status === undefined).length;
    const unacked = sentList.filter((s) => s.ackAt === undefined).length;
    const undeliveredToCounselor = sentList.filter((s) => s.deliveredAt === undefined).length;
    const undeliveredToConsultee = replyList.filter((r) => r.deliveredAt === undefined).length;
    const allDelivered = unacked === 0 && undeliveredToCounselor === 0 && undeliveredToConsultee === 0;
    const errorsAtEnd = { ...errors };
    const errorCount =
      errorsAtEnd.replyHttp + errorsAtEnd.chatSocket + errorsAtEnd.socketClosed + errorsAtEnd.duplicates;
    // Exactly once: every message sent is stored once. When messages are still in flight this cannot be
    // decided (null) unless something is already wrong (a duplicate, more rows than messages, or fewer
    // rows than acknowledged messages).
    const violated =
      stored.distinctClientIds !== stored.withClientId ||
      stored.consultee > sentList.length ||
      stored.consultee < sentList.length - unacked ||
      stored.counselor > replyList.length ||
      stored.counselor < repliesOk ||
      stored.system !== PAIRS;
    const exactlyOnce: boolean | null = violated
      ? false
      : unacked === 0 && repliesUnanswered === 0
        ? stored.consultee === sentList.length && stored.counselor === repliesOk
        : null;

    const measuredSent = sentList.filter((s) => s.measured);
    const measuredReplies = replyList.filter((r) => r.measured);
    const age = (at: number | undefined, from: number) => (at ?? settledAt) - from;
    const toCounselor = latency(measuredSent.map((s) => age(s.deliveredAt, s.sentAt)));
    const toConsultee = latency(measuredReplies.map((r) => age(r.deliveredAt, r.postAt)));
    const ack = latency(measuredSent.map((s) => age(s.ackAt, s.sentAt)));
    const replyAnswer = latency(measuredReplies.map((r) => age(r.answeredAt, r.postAt)));
    const seconds = (measureEnd - measureStart) / 1000;
    const offeredPerSec = (PAIRS / INTERVAL_MS) * 1000;
    const consulteePerSec = measuredSent.length / seconds;
    const repliesPerSec = measuredReplies.length / seconds;
    const inWindow = (t: number | undefined) => t !== undefined && t >= measureStart && t < measureEnd;
    const deliveredPerSec =
      (sentList.filter((s) => inWindow(s.deliveredAt)).length +
        replyList.filter((r) => inWindow(r.deliveredAt)).length) /
      seconds;
    const missing = {
      toCounselor: measuredSent.filter((s) => s.deliveredAt === undefined).length,
      toConsultee: measuredReplies.filter((r) => r.deliveredAt === undefined).length,
      ack: measuredSent.filter((s) => s.ackAt === undefined).length,
      replyAnswer: measuredReplies.filter((r) => r.answeredAt === undefined).length,
    };
    // The server's use of PostgreSQL during the measured window, per message it finished there (consultee
    // messages acknowledged, replies answered 201): under a backlog fewer are finished than sent.
    const messagesInWindow = Math.max(
      1,
      sentList.filter((s) => inWindow(s.ackAt)).length +
        replyList.filter((r) => r.status === 201 && inWindow(r.answeredAt)).length,
    );
    const d = (k: 'queries' | 'queryMs' | 'checkouts' | 'checkoutWaitMs' | 'xactCommit') =>
      after[k] - before[k];
    const pgUse = {
      queriesPerSec: round(d('queries') / seconds),
      queriesPerMessage: round(d('queries') / messagesInWindow, 2),
      meanQueryMs: round(d('queryMs') / Math.max(1, d('queries')), 2),
      commitsPerMessage: round(d('xactCommit') / messagesInWindow, 2),
      walSyncsPerSec:
        after.walSync !== null && before.walSync !== null
          ? round((after.walSync - before.walSync) / seconds)
          : null,
      meanCheckoutWaitMs: round(d('checkoutWaitMs') / Math.max(1, d('checkouts')), 2),
      maxCheckoutsWaiting: maxPoolWaiting,
    };

    // CPU time per message handled, in ms: what the machine pays per message, whatever else runs.
    const perMessageMs = (pct: number | null) =>
      pct === null ? null : round(((pct / 100) * seconds * 1000) / messagesInWindow, 2);
    const cpuPerMessage = {
      serverMs: perMessageMs(cpu.serverCpuPct),
      postgresMs: perMessageMs(cpu.postgresCpuPct),
      loadGeneratorMs: perMessageMs(cpu.clientCpuPct),
    };
    const fmt = (l: Latency, notArrived: number) =>
      `p50 ${l.p50Ms}  p95 ${l.p95Ms}  p99 ${l.p99Ms}  max ${l.maxMs}  mean ${l.meanMs}  (n=${l.count}` +
      `${notArrived ? `, ${notArrived} NOT ARRIVED, counted at their age when the drain ended` : ''})`;
    log(
      `measured ${round(seconds, 2)} s: ${measuredSent.length} consultee messages (${round(consulteePerSec)}/s, ` +
        `offered ${round(offeredPerSec)}/s) and ${measuredReplies.length} counselor replies (${round(repliesPerSec)}/s) — ` +
        `${round(consulteePerSec + repliesPerSec)} messages/s sent, ${round(deliveredPerSec)}/s delivered`,
    );
    log(`  consultee → counselor (send → console socket) ms: ${fmt(toCounselor, missing.toCounselor)}`);
    log(`  counselor → consultee (POST → chat socket)    ms: ${fmt(toConsultee, missing.toConsultee)}`);
    log(`  ack (send → ack on the chat socket)           ms: ${fmt(ack, missing.ack)}`);
    log(`  reply POST answer time                        ms: ${fmt(replyAnswer, missing.replyAnswer)}`);
    log(
      `  console sockets received ${framesInWindow.total} frames (${round(framesInWindow.total / seconds)}/s, ` +
        `${round(framesInWindow.bytes / seconds / 2 ** 20, 2)} MiB/s); an assigned chat's messages go to its counselor (and supervisors) only`,
    );
    log(
      `  CPU (% of one core): server ${cpu.serverCpuPct}% (kernel ${cpu.serverCpuSystemPct}%), postgres ${cpu.postgresCpuPct ?? '?'}%, ` +
        `load generator ${cpu.clientCpuPct}%, other processes ${cpu.otherCpuPct ?? '?'}%; machine ${cpu.machineCpuPct ?? '?'}% ` +
        `of all ${cores} cores busy, ${cpu.stealPct ?? '?'}% stolen by the hypervisor`,
    );
    log(
      `  CPU per message handled (${messagesInWindow} in the window): server ${cpuPerMessage.serverMs} ms, ` +
        `postgres ${cpuPerMessage.postgresMs ?? '?'} ms, load generator ${cpuPerMessage.loadGeneratorMs} ms`,
    );
    log(
      `  event-loop delay ms: server p50 ${round(after.loopDelayP50Ms)} p99 ${round(after.loopDelayP99Ms)} max ${round(after.loopDelayMaxMs)}; ` +
        `load generator p99 ${round(Math.max(0, loop.percentile(99) / 1e6 - 10))} max ${round(Math.max(0, loop.max / 1e6 - 10))}`,
    );
    log(
      `  server → PostgreSQL: ${pgUse.queriesPerSec} queries/s (${pgUse.queriesPerMessage} per message handled, ` +
        `${pgUse.meanQueryMs} ms each on average), ${pgUse.commitsPerMessage} commits per message, ` +
        `${pgUse.walSyncsPerSec ?? '?'} WAL syncs/s; pool (${ready.poolSize}) checkout wait ${pgUse.meanCheckoutWaitMs} ms on average, ` +
        `up to ${pgUse.maxCheckoutsWaiting} checkouts waiting`,
    );
    const topStatements = statements
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, STATEMENTS_SHOWN)
      .map((st) => ({
        sql: st.sql,
        perMessage: round(st.count / messagesInWindow, 2),
        meanMs: round(st.totalMs / st.count, 2),
        totalMs: Math.round(st.totalMs),
      }));
    log(
      topStatements.length
        ? `  statements with the most answer time (per message handled × mean answer time):`
        : '  statements: not collected (BENCH_STATEMENTS=0)',
    );
    for (const st of topStatements)
      log(
        `    ${String(st.perMessage).padStart(5)} × ${String(st.meanMs).padStart(7)} ms  ${st.sql.slice(0, 110)}`,
      );
    log(
      `  server memory: RSS ${round(end.rssMb)} MiB (peak sampled ${round(peakRssMb)}, ${round(idle.rssMb)} before the load), ` +
        `heap used ${round(end.heapUsedMb)} MiB (peak sampled ${round(peakHeapUsedMb)}) of ${round(end.heapTotalMb)}, external ${round(end.externalMb)}`,
    );
    log(
      `drain: ${outstanding()} outstanding after ${drainMs} ms; errors: ${errorCount} ` +
        `(reply HTTP ${errorsAtEnd.replyHttp}, chat socket errors ${errorsAtEnd.chatSocket}, sockets closed ${errorsAtEnd.socketClosed}, duplicates ${errorsAtEnd.duplicates})` +
        `${errorSamples.length ? ` e.g. ${errorSamples.join(' | ')}` : ''}`,
    );
    log(
      `stored: ${stored.consultee} consultee (sent ${sentList.length}), ${stored.counselor} counselor (replies answered 201: ${repliesOk}), ` +
        `${stored.system} system (greetings; ${PAIRS} chats); client IDs ${stored.withClientId}, distinct ${stored.distinctClientIds} — ` +
        `${exactlyOnce === null ? 'cannot be decided while messages are in flight (no duplicate, nothing lost that was acknowledged)' : exactlyOnce ? 'each stored exactly once' : 'MISMATCH'}`,
    );
    log(
      `delivered: ${allDelivered ? 'every message' : 'NOT ALL'} (unacknowledged ${unacked}, not at the counselor ${undeliveredToCounselor}, ` +
        `replies not answered ${repliesUnanswered}, replies not at the consultee ${undeliveredToConsultee})`,
    );

    const checks = {
      consulteeToCounselorP99: toCounselor.count > 0 && toCounselor.p99Ms < TARGET_P99_MS,
      counselorToConsulteeP99: toConsultee.count > 0 && toConsultee.p99Ms < TARGET_P99_MS,
      offeredRate: consulteePerSec >= offeredPerSec * 0.9,
      noErrors: errorCount === 0,
      allDelivered,
      exactlyOnce: exactlyOnce === true,
      // The target's load: 500 chats, each with a message pair every 2 s.
      fullLoad: PAIRS >= TARGET_PAIRS && INTERVAL_MS <= TARGET_INTERVAL_MS,
    };
    const meetsTarget = Object.values(checks).every((v) => v);
    log(
      `target ${TARGET_PAIRS} chats with p99 < ${TARGET_P99_MS} ms end to end: ${Object.entries(checks)
        .map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`)
        .join(', ')}`,
    );
    log(`meets target: ${meetsTarget}`);
    await stopAll();
    console.log(
      JSON.stringify({
        bench: 'consultation',
        date: new Date().toISOString(),
        cores,
        node: process.version,
        backgroundCpuPct,
        database: ready.database,
        poolSize: ready.poolSize,
        pairs: PAIRS,
        counselors: COUNSELORS,
        intervalMs: INTERVAL_MS,
        warmupS: WARMUP_MS / 1000,
        durationS: round(seconds, 2),
        consulteeMessages: measuredSent.length,
        counselorReplies: measuredReplies.length,
        messagesPerSec: round(consulteePerSec + repliesPerSec),
        deliveredPerSec: round(deliveredPerSec),
        offeredMessagesPerSec: round(offeredPerSec * 2),
        consulteeToCounselor: toCounselor,
        counselorToConsultee: toConsultee,
        ack,
        replyAnswer,
        notArrived: missing,
        consoleFramesPerSec: round(framesInWindow.total / seconds),
        consoleFramesTotal: consoleFrames,
        errors: { total: errorCount, ...errorsAtEnd },
        drainMs,
        stored,
        sentTotal: {
          consultee: sentList.length,
          counselor: replyList.length,
          counselorAnswered201: repliesOk,
        },
        exactlyOnce,
        allDelivered,
        serverRssMb: round(end.rssMb),
        serverPeakRssMb: round(peakRssMb),
        serverIdleRssMb: round(idle.rssMb),
        serverHeapUsedMb: round(end.heapUsedMb),
        serverPeakHeapUsedMb: round(peakHeapUsedMb),
        cpu,
        cpuPerMessage,
        messagesHandled: messagesInWindow,
        postgres: { ...pgUse, topStatements },
        serverLoopDelayMs: {
          p50: round(after.loopDelayP50Ms),
          p99: round(after.loopDelayP99Ms),
          max: round(after.loopDelayMaxMs),
        },
        loadGeneratorLoopDelayMs: {
          p99: round(Math.max(0, loop.percentile(99) / 1e6 - 10)),
          max: round(Math.max(0, loop.max / 1e6 - 10)),
        },
        targetPairs: TARGET_PAIRS,
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
