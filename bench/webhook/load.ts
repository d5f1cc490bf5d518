import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { signLineBody } from '../../apps/server/src/platform/line/signature.ts';
import {
  followEvent,
  lineUserId,
  textEvent,
  unfollowEvent,
} from '../../apps/server/src/testing/line-webhook.ts';

// Load generation for the webhook benchmark: pre-signed request bodies, a keep-alive HTTP client,
// closed-loop (N requests in flight) and paced (fixed rate, open-loop) runs, and latency statistics.
// CPU accounting is in cpu.ts.

export interface SignedBody {
  body: Buffer;
  signature: string;
  events: number;
}

const DESTINATION = `U${'0'.repeat(32)}`;

/**
 * Builds `count` signed bodies of `batch` events each, every event unique (fresh webhookEventId).
 * The mix is what an official account sees: mostly text messages from existing friends, some follows
 * of new friends (1 in 10) and a few unfollows (1 in 100). New friends' user IDs come from `newUser`
 * (users the LINE simulator knows, so that the server's profile fetches succeed) and are added to `users`.
 */
export function buildBodies(
  secret: string,
  count: number,
  batch: number,
  users: string[],
  newUser: () => string = lineUserId,
): SignedBody[] {
  const bodies: SignedBody[] = [];
  let n = 0;
  for (let i = 0; i < count; i++) {
    const events: unknown[] = [];
    for (let j = 0; j < batch; j++, n++) {
      if (n % 10 === 0) {
        const user = newUser();
        users.push(user);
        events.push(followEvent(user));
      } else if (n % 100 === 55 && users.length > 0) {
        events.push(unfollowEvent(users[n % users.length]!));
      } else {
        const user = users.length > 0 ? users[(n * 7919) % users.length]! : newUser();
        events.push(textEvent(user, `お問い合わせです (${n})。ゴミの収集日を教えてください。`));
      }
    }
    const body = JSON.stringify({ destination: DESTINATION, events });
    bodies.push({ body: Buffer.from(body), signature: signLineBody(secret, body), events: batch });
  }
  return bodies;
}

export interface Target {
  host: string;
  port: number;
  path: string;
  agent: http.Agent;
}

export function webhookTarget(baseUrl: string, channelId: string, maxSockets: number): Target {
  const url = new URL(baseUrl);
  return {
    host: url.hostname,
    port: Number(url.port),
    path: `/webhooks/line/${channelId}`,
    agent: new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }),
  };
}

/** Posts one body; resolves with the HTTP status (0 when the request failed). */
export function post(target: Target, b: SignedBody): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent: target.agent,
        host: target.host,
        port: target.port,
        path: target.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': b.body.length,
          'x-line-signature': b.signature,
        },
      },
      (res) => {
        res.on('error', () => resolve(0));
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(b.body);
  });
}

export interface RunResult {
  requests: number;
  /** Events in requests answered 200. */
  events: number;
  /** Events in requests answered otherwise (they may or may not be stored). */
  eventsInErrors: number;
  errors: number;
  statuses: Record<string, number>;
  durationMs: number;
  /** Answer time of each request, in ms. */
  latencies: Float64Array;
  /**
   * When each request was due (paced) or sent (closed loop), on this process's performance.now()
   * clock, in the same order as `latencies`: to split a run into windows afterwards.
   */
  dueAt: Float64Array;
  /** HTTP status of each request (0: no answer), in the same order. */
  codes: Uint16Array;
  /** Index in `bodies` of each request's body, in the same order. */
  bodyIndex: Uint32Array;
}

function recorder(capacity: number) {
  const latencies = new Float64Array(capacity);
  const dueAt = new Float64Array(capacity);
  const codes = new Uint16Array(capacity);
  const bodyIndex = new Uint32Array(capacity);
  const statuses: Record<string, number> = {};
  let requests = 0;
  let events = 0;
  let eventsInErrors = 0;
  let errors = 0;
  return {
    add(ms: number, status: number, b: SignedBody, at: number, index: number) {
      dueAt[requests] = at;
      codes[requests] = status;
      bodyIndex[requests] = index;
      latencies[requests++] = ms;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) events += b.events;
      else {
        errors++;
        eventsInErrors += b.events;
      }
    },
    result(durationMs: number): RunResult {
      return {
        requests,
        events,
        eventsInErrors,
        errors,
        statuses,
        durationMs,
        latencies: latencies.subarray(0, requests),
        dueAt: dueAt.subarray(0, requests),
        codes: codes.subarray(0, requests),
        bodyIndex: bodyIndex.subarray(0, requests),
      };
    },
  };
}

/**
 * Closed loop: `concurrency` requests in flight, each sender posting the next body as soon as its
 * previous answer arrived, until the bodies are used up or `maxMs` has passed.
 */
export async function closedLoop(
  target: Target,
  bodies: SignedBody[],
  opts: { concurrency: number; maxMs: number },
): Promise<RunResult> {
  const rec = recorder(bodies.length);
  let next = 0;
  const start = performance.now();
  const deadline = start + opts.maxMs;
  const sender = async () => {
    while (next < bodies.length && performance.now() < deadline) {
      const i = next++;
      const b = bodies[i]!;
      const t0 = performance.now();
      const status = await post(target, b);
      rec.add(performance.now() - t0, status, b, t0, i);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, sender));
  return rec.result(performance.now() - start);
}

/**
 * The bodies of a paced run: an array, or a source that builds body `i` when it is sent (a benchmark
 * whose next events depend on the answers so far, e.g. the chatbot's).
 */
export interface BodySource {
  readonly length: number;
  at(index: number): SignedBody | undefined;
}

/**
 * Paced (open loop): one request every 1/ratePerSec seconds whatever the answers do, for `durationMs`.
 * Answer time counts from when the request was due, so a server that falls behind shows it in the
 * percentiles (no coordinated omission). At most `maxInFlight` requests are outstanding; requests due
 * beyond that wait, and their wait counts. When `signal` aborts, no further request is sent and the run
 * ends when those already sent are answered.
 */
export async function paced(
  target: Target,
  bodies: BodySource,
  opts: { ratePerSec: number; durationMs: number; maxInFlight: number; signal?: AbortSignal },
): Promise<RunResult> {
  let total = Math.min(bodies.length, Math.floor((opts.ratePerSec * opts.durationMs) / 1000));
  const rec = recorder(total);
  const interval = 1000 / opts.ratePerSec;
  let sent = 0;
  let inFlight = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let done = 0;
    /** Sends every request that is due, as far as maxInFlight allows. */
    const sendDue = () => {
      if (opts.signal?.aborted) {
        // Stop: the run is what was sent so far.
        total = sent;
        if (done === total) resolve();
        return;
      }
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due && inFlight < opts.maxInFlight) {
        const i = sent++;
        const b = bodies.at(i)!;
        const dueAt = start + i * interval;
        inFlight++;
        void post(target, b).then((status) => {
          inFlight--;
          rec.add(performance.now() - dueAt, status, b, dueAt, i);
          if (++done === total) resolve();
          else sendDue();
        });
      }
    };
    // One clock ticking every millisecond until everything was sent; answers also send what is due.
    const tick = () => {
      sendDue();
      if (sent < total) setTimeout(tick, 1);
    };
    opts.signal?.addEventListener('abort', sendDue, { once: true });
    if (total === 0) resolve();
    else tick();
  });
  return rec.result(performance.now() - start);
}

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentiles of the answer times. */
export function summarize(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const n = sorted.length;
  const at = (p: number) =>
    n === 0 ? 0 : sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    p50Ms: r(at(50)),
    p95Ms: r(at(95)),
    p99Ms: r(at(99)),
    maxMs: r(n ? sorted[n - 1]! : 0),
    meanMs: r(n ? sum / n : 0),
  };
}
