import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { registerBenchChannel, simulatorApi } from '../bench-admin.ts';
import { guardBenchmark } from '../guard.ts';
import { JsonLineChild, startServerChild } from '../webhook/child.ts';
import { machineBusyPct } from '../webhook/cpu.ts';
import { summarize } from '../webhook/load.ts';

// Reservations under load (issue 13, V-01 … V-06; target: exactly 10 bookings for a 10-seat slot
// always, p99 < 200 ms). Three processes: the server (server.ts, production's runtime), the LINE
// simulator (../delivery/line-sim.ts: the confirmations are pushed to LINE) and this one, playing the
// citizens' phones over HTTP keep-alive connections with their citizen-session cookies.
//   1. hot: 1,000 different friends book the one 10-seat slot at the same moment (all requests sent
//      at once), then the 10 who got it retry their request 20 times each (200 retries with the same
//      request key, as a phone on a bad connection does): exactly 10 bookings, 0 double bookings,
//      990 told 満席 (409 BOOKING_FULL), every retry answered "already booked" (200, repeated).
//   2. spread: 5,000 bookings of 1 seat by 5,000 other friends across 500 slots of 10 seats (10 per
//      slot), 32 requests in flight: bookings/s and the answer times; every slot exactly full.
// Prints readable lines and one JSON object as the last line. Only 127.0.0.1 is contacted.
//   DATABASE_URL   PostgreSQL server for the bench database (else embedded PostgreSQL)
//   BENCH_CONCURRENCY  requests in flight in the spread phase (default 32)

const TARGET_P99_MS = 200;
const HARD_LIMIT_MS = 300_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const here = path.dirname(fileURLToPath(import.meta.url));
const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

interface Ready {
  url: string;
  pid: number;
  database: string;
  lineChannelId: string;
  channelSecret: string;
  accessToken: string;
  hotSlot: string;
  spreadSlots: string[];
}

const FRIENDS = 6200;
// How busy the machine is before this benchmark starts anything.
const busy = await machineBusyPct();
// The LINE simulator (confirmations are pushed to LINE), then the server calling it.
const sim = new JsonLineChild(path.join(here, '../delivery/line-sim.ts'));
const simReady = await sim.next<{ url: string; pid: number }>(30_000, 'simulator ready line');
const server = startServerChild(path.join(here, 'server.ts'), { env: { BENCH_LINE_API_URL: simReady.url } });
const guard = guardBenchmark(async () => {
  await server.stop('stop');
  await sim.stop();
}, HARD_LIMIT_MS);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POST /api/citizen/bookings as the friend of `token`; answers the status, code and time (ms). */
function book(base: URL, token: string, slotId: string, requestKey: string) {
  const body = JSON.stringify({ slotId, seats: 1, answers: {}, requestKey });
  const t = performance.now();
  return new Promise<{ status: number; code: string | null; repeated: boolean; ms: number }>(
    (resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path: '/api/citizen/bookings',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            cookie: `madoguchi_citizen=${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: { code?: string; repeated?: boolean } = {};
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({
              status: res.statusCode ?? 0,
              code: parsed.code ?? null,
              repeated: parsed.repeated === true,
              ms: performance.now() - t,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
const round = (v: number) => Math.round(v * 100) / 100;

try {
  log(`reservations benchmark — ${os.cpus().length} cores, Node ${process.version}`);
  log(
    `machine busy before start: ${busy ?? '?'}% (load average ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')})`,
  );
  const ready = await server.next<Ready>(180_000, 'server ready line');
  const base = new URL(ready.url);
  const simCall = simulatorApi(simReady.url);
  await registerBenchChannel(simCall, ready);
  const { userIds } = await simCall<{ userIds: string[] }>('POST', '/_sim/users/bulk', {
    count: FRIENDS,
    followChannelId: ready.lineChannelId,
    displayNamePrefix: '市民',
  });
  const { tokens } = await server.ask<{ tokens: string[] }>(`friends ${JSON.stringify(userIds)}`, 120_000);
  log(
    `server ${ready.url} (pid ${ready.pid}); database: ${ready.database}; LINE simulator ${simReady.url}; ${tokens.length} friends with sessions`,
  );

  // --- 1. hot ---------------------------------------------------------------------------------------
  const hotTokens = tokens.slice(0, 1000);
  const t1 = performance.now();
  const first = await Promise.all(
    hotTokens.map((tk, i) => book(base, tk, ready.hotSlot, `hot-${String(i).padStart(12, '0')}`)),
  );
  const hotMs = performance.now() - t1;
  const winners = first.flatMap((r, i) => (r.status === 201 ? [i] : []));
  const retries = await Promise.all(
    winners.flatMap((i) =>
      Array.from({ length: 20 }, () =>
        book(base, hotTokens[i]!, ready.hotSlot, `hot-${String(i).padStart(12, '0')}`),
      ),
    ),
  );
  const held = await server.ask<{ seats: number; bookings: number }>(`seats ${ready.hotSlot}`, 10_000);
  const hot = {
    requests: first.length,
    booked: winners.length,
    full: count(first, (r) => r.status === 409 && r.code === 'BOOKING_FULL'),
    other: count(first, (r) => r.status !== 201 && !(r.status === 409 && r.code === 'BOOKING_FULL')),
    retries: retries.length,
    retriesRepeated: count(retries, (r) => r.status === 200 && r.repeated),
    seatsInDatabase: held.seats,
    bookingsInDatabase: held.bookings,
    allAnsweredMs: Math.round(hotMs),
    latency: summarize(Float64Array.from(first.map((r) => r.ms))),
  };
  log(
    `hot: ${hot.requests} requests for 10 seats in ${hot.allAnsweredMs} ms: ${hot.booked} booked, ${hot.full} told 満席, ${hot.other} other; ${hot.retries} retries, ${hot.retriesRepeated} answered "already booked"; database: ${hot.seatsInDatabase} seats in ${hot.bookingsInDatabase} bookings`,
  );
  log(
    `  answer time ms: p50 ${round(hot.latency.p50Ms)}  p95 ${round(hot.latency.p95Ms)}  p99 ${round(hot.latency.p99Ms)}  max ${round(hot.latency.maxMs)}`,
  );

  // --- 2. spread ------------------------------------------------------------------------------------
  const spreadTokens = tokens.slice(1000, 6000);
  const slots = ready.spreadSlots.slice(0, 500);
  const results: Awaited<ReturnType<typeof book>>[] = [];
  let next = 0;
  const t2 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= spreadTokens.length) return;
        results.push(
          await book(
            base,
            spreadTokens[i]!,
            slots[i % slots.length]!,
            `spread-${String(i).padStart(10, '0')}`,
          ),
        );
      }
    }),
  );
  const spreadMs = performance.now() - t2;
  const state = await server.ask<{ slots: number; full: number; over: number; seats: number }>(
    'spread',
    20_000,
  );
  const spreadLatency = summarize(Float64Array.from(results.map((r) => r.ms)));
  const spreadSummary = {
    requests: results.length,
    booked: count(results, (r) => r.status === 201),
    failed: count(results, (r) => r.status !== 201),
    bookingsPerSec: Math.round((results.length / spreadMs) * 1000),
    ms: Math.round(spreadMs),
    slotsFull: state.full,
    slotsOver: state.over,
    seats: state.seats,
    latency: spreadLatency,
  };
  log(
    `spread: ${spreadSummary.requests} bookings across ${slots.length} slots in ${spreadSummary.ms} ms (${spreadSummary.bookingsPerSec} bookings/s, ${CONCURRENCY} in flight): ${spreadSummary.booked} booked, ${spreadSummary.failed} failed; ${state.full} of ${slots.length} slots full, ${state.over} over capacity, ${state.seats} seats`,
  );
  log(
    `  answer time ms: p50 ${round(spreadLatency.p50Ms)}  p95 ${round(spreadLatency.p95Ms)}  p99 ${round(spreadLatency.p99Ms)}  max ${round(spreadLatency.maxMs)}`,
  );
  const checks = {
    exactlyTen: hot.booked === 10 && hot.seatsInDatabase === 10 && hot.bookingsInDatabase === 10,
    othersFull: hot.full === 990,
    retriesOnce: hot.retriesRepeated === hot.retries,
    spreadExact: spreadSummary.booked === 5000 && state.full === 500 && state.over === 0,
    spreadP99: spreadLatency.p99Ms < TARGET_P99_MS,
  };
  const met = Object.values(checks).every(Boolean);
  log(`verdict: ${met ? 'MEETS' : 'does NOT meet'} the target (${JSON.stringify(checks)})`);
  console.log(
    JSON.stringify({
      benchmark: 'reservations',
      cores: os.cpus().length,
      node: process.version,
      database: ready.database,
      backgroundCpuPct: busy,
      hot,
      spread: spreadSummary,
      checks,
      targetP99Ms: TARGET_P99_MS,
      met,
    }),
  );
  await server.stop('stop');
  await sim.stop();
  clearTimeout(guard);
  process.exit(met ? 0 : 1);
} catch (err) {
  console.error(err);
  await server.stop('stop');
  await sim.stop();
  clearTimeout(guard);
  process.exit(2);
}
