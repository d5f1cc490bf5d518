import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { signLineBody } from '../../platform/line/signature.ts';
import {
  type ClaimedItem,
  claimDueItems,
  markItemFailed,
  markItemsSent,
  nextDueItemAt,
} from './forwarding.repository.ts';
import {
  type AddressPolicy,
  addressAllowed,
  guardedLookup,
  hostOf,
  urlFormProblem,
} from './forwarding-address.ts';
import { forwardedDead, forwardedFailed, forwardedSent } from './forwarding-metrics.ts';

// The forwarding sender (W-01). It claims due items (claimDueItems: the first waiting item of each
// (target, user), FOR UPDATE SKIP LOCKED, leased) while fewer than FORWARDING_CONCURRENCY requests are
// in flight in this process (at most half of them for one target, so a slow target never holds up
// the others), and POSTs each event alone, as LINE sent it, to its target:
//   body     {"destination":"<bot user ID>","events":[<the event JSON as stored>]}
//   headers  x-line-signature: base64 HMAC-SHA256 of the body with the target's secret;
//            x-madoguchi-original-signature: LINE's signature of the body the event came in (which
//            may have held other events too: it verifies only that original body);
//            x-madoguchi-event-id: the event's webhookEventId (a receiver can dedupe on it).
// A 2xx answer is success; anything else — a 3xx (redirects are never followed), 4xx, 5xx, a
// timeout (FORWARDING_TIMEOUT_MS), a refused address — is a failure retried with exponential
// backoff and jitter until FORWARDING_RETRY_WINDOW_MS (24 h) after queueing, then dead-lettered. At
// most 1 KB of the answer is read and kept. Each finished item lets the user's next one go at once.

export const FORWARDING_JOB = 'forwarding.send';
export const FORWARDING_SWEEP_JOB = 'forwarding.sweep';

const EXCERPT_BYTES = 1024;
const MAX_DELAY_MS = 3_600_000;
const LEASE_EXTRA_MS = 30_000;
/** Claims in flight at once per process. */
const CLAIMERS = 2;

export interface ForwardingSenderDeps {
  db: Db;
  cipher: Cipher;
  policy: AddressPolicy;
  config: Pick<
    Config,
    | 'FORWARDING_TIMEOUT_MS'
    | 'FORWARDING_RETRY_BASE_MS'
    | 'FORWARDING_RETRY_WINDOW_MS'
    | 'FORWARDING_CONCURRENCY'
  >;
  log: FastifyBaseLogger;
  /** Run the sender again at `at` (retries that fall due later). */
  wakeAt(at: Date): void;
}

export interface Answer {
  status: number;
  excerpt: string | null;
}

/** Control characters out, so the excerpt is plain text for the console. */
function excerptOf(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  return (
    bytes
      .subarray(0, EXCERPT_BYTES)
      .toString('utf8')
      .replace(/\uFFFD+$/, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
  );
}

/**
 * One POST, no redirects followed, answered within `timeoutMs` (else rejected), reading at most 1 KB
 * of the answer. The connection goes only to an address `policy` allows (checked at connect time).
 */
export function postOnce(
  target: URL,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; policy: AddressPolicy; agents: { http: http.Agent; https: https.Agent } },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const host = hostOf(target);
    if (isIP(host) && !addressAllowed(host, opts.policy)) {
      reject(new Error(`address ${host} is not allowed`));
      return;
    }
    const secure = target.protocol === 'https:';
    const request = (secure ? https : http).request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: secure ? opts.agents.https : opts.agents.http,
      lookup: guardedLookup(opts.policy),
    });
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new Error(`timeout after ${opts.timeoutMs} ms`)));
      request.destroy();
    }, opts.timeoutMs);
    request.on('error', (err) => finish(() => reject(err)));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () => ({ status: res.statusCode ?? 0, excerpt: excerptOf(Buffer.concat(chunks)) });
      res.on('data', (chunk: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) {
          finish(() => resolve(answer()));
          res.destroy();
        }
      });
      res.on('end', () => finish(() => resolve(answer())));
      res.on('error', (err) => finish(() => reject(err)));
    });
    request.end(body);
  });
}

/** The request for one item: the body as LINE sent the event, signed with the target's secret. */
export function forwardRequest(item: ClaimedItem, cipher: Cipher) {
  const event = cipher.decryptBytes(item.payload_enc).toString('utf8');
  const body = `{"destination":${JSON.stringify(item.destination ?? '')},"events":[${event}]}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Madoguchi-WebhookForwarder/1.0',
    'x-line-signature': signLineBody(cipher.decrypt(item.secret_enc), body),
    'x-madoguchi-event-id': item.webhook_event_id,
  };
  if (item.signature) headers['x-madoguchi-original-signature'] = item.signature;
  return { body, headers };
}

/** The backoff before attempt `attempts + 1`: base × 2^(attempts−1), at most 1 h, with jitter (50–100 %). */
export function retryDelay(baseMs: number, attempts: number, random = Math.random): number {
  const full = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(full * (0.5 + random() * 0.5));
}

export function createForwardingSender(deps: ForwardingSenderDeps) {
  const { db, config } = deps;
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: config.FORWARDING_CONCURRENCY }),
    https: new https.Agent({ keepAlive: true, maxSockets: config.FORWARDING_CONCURRENCY }),
  };
  const perTargetLimit = Math.max(1, Math.ceil(config.FORWARDING_CONCURRENCY / 2));
  const claimAtLeast = Math.max(1, Math.floor(config.FORWARDING_CONCURRENCY / 4));
  const inFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let total = 0;
  // Delivered items not marked sent yet: written by one UPDATE before the next claim (a user's next
  // item is claimable only once its earlier one is marked).
  const delivered: { id: string; status: number; excerpt: string | null }[] = [];
  // Claims running (at most CLAIMERS), the slots they asked for, and the last one started.
  const claims = new Set<Promise<void>>();
  let claimers = 0;
  let reserved = 0;
  let latest: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  /** A claim reads the heads of the queue whatever its size: claim a few slots at a time. */
  function claimWorthIt(): boolean {
    const free = config.FORWARDING_CONCURRENCY - total - reserved;
    return free > 0 && (total + reserved === 0 || free >= claimAtLeast);
  }

  async function deliver(item: ClaimedItem): Promise<void> {
    let answer: Answer | null = null;
    let error: string;
    try {
      const target = new URL(item.url);
      const form = urlFormProblem(item.url, deps.policy);
      if (form) throw new Error(form.message);
      const { body, headers } = forwardRequest(item, deps.cipher);
      answer = await postOnce(target, body, headers, {
        timeoutMs: config.FORWARDING_TIMEOUT_MS,
        policy: deps.policy,
        agents,
      });
      if (answer.status >= 200 && answer.status < 300) {
        delivered.push({ id: item.id, status: answer.status, excerpt: answer.excerpt });
        forwardedSent.inc({ target: item.target_id });
        return;
      }
      error =
        answer.status >= 300 && answer.status < 400
          ? `HTTP ${answer.status} (redirects are not followed)`
          : `HTTP ${answer.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const delay = retryDelay(config.FORWARDING_RETRY_BASE_MS, item.attempts);
    const next = new Date(Date.now() + delay);
    const dead = next.getTime() > new Date(item.queued_at).getTime() + config.FORWARDING_RETRY_WINDOW_MS;
    await markItemFailed(db, item.id, {
      status: answer?.status ?? null,
      error,
      excerpt: answer?.excerpt ?? null,
      next,
      dead,
    });
    forwardedFailed.inc({ target: item.target_id });
    if (dead) {
      forwardedDead.inc({ target: item.target_id });
      deps.log.warn({ itemId: item.id, targetId: item.target_id, error }, 'forwarding dead-lettered');
    }
  }

  function start(item: ClaimedItem) {
    total += 1;
    inFlight.set(item.target_id, (inFlight.get(item.target_id) ?? 0) + 1);
    const run: Promise<void> = deliver(item)
      .catch((err: unknown) => deps.log.error({ err, itemId: item.id }, 'forwarding: recording failed'))
      .finally(() => {
        total -= 1;
        const n = (inFlight.get(item.target_id) ?? 1) - 1;
        if (n > 0) inFlight.set(item.target_id, n);
        else inFlight.delete(item.target_id);
        running.delete(run);
        // The user's next item (and whatever waited for a free slot) may go now.
        pump();
      });
    running.add(run);
  }

  async function claimLoop() {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        if (!claimWorthIt()) break;
        // Delivered items are marked sent only right before a claim (which needs them marked: a
        // user's next item becomes a head then), so a finished request costs no statement of its
        // own — one UPDATE per claim, not one per item.
        await markItemsSent(db, delivered.splice(0));
        if (stopped) return;
        if (!claimWorthIt()) break;
        const free = config.FORWARDING_CONCURRENCY - total - reserved;
        const busy = [...inFlight].filter(([, n]) => n >= perTargetLimit).map(([id]) => id);
        reserved += free;
        let items: ClaimedItem[];
        try {
          items = await claimDueItems(db, {
            limit: free,
            perTarget: perTargetLimit,
            busy,
            leaseMs: config.FORWARDING_TIMEOUT_MS + LEASE_EXTRA_MS,
          });
        } finally {
          reserved -= free;
        }
        for (const item of items) start(item);
        if (items.length < free) break;
      }
    } while (again);
    // Nothing more is due now: wake up when the next retry falls due (a finished request pumps anyway).
    if (total === 0) {
      const next = await nextDueItemAt(db);
      if (next) deps.wakeAt(next);
    }
  }

  /**
   * Sends what is due. At most CLAIMERS claims run at once (a claim waits on the database while the
   * requests of the one before are in flight); a call beyond that makes a running one look once more.
   */
  function pump(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (claimers >= CLAIMERS) {
      again = true;
      return latest ?? Promise.resolve();
    }
    claimers += 1;
    const run: Promise<void> = claimLoop()
      .catch((err: unknown) => deps.log.error({ err }, 'forwarding: claiming failed'))
      .finally(() => {
        claimers -= 1;
        claims.delete(run);
        if (latest === run) latest = null;
      });
    claims.add(run);
    latest = run;
    return run;
  }

  return {
    pump,
    /** Stops claiming and waits for the requests in flight. */
    async stop() {
      stopped = true;
      await Promise.all(claims);
      await Promise.all(running);
      await markItemsSent(db, delivered.splice(0));
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type ForwardingSender = ReturnType<typeof createForwardingSender>;
