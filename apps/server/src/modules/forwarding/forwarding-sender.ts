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
  releaseItems,
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
// (target, user), FOR UPDATE SKIP LOCKED, leased) in batches — up to CLAIM_PER_SLOT × FORWARDING_CONCURRENCY
// items per claim, at most half of them for one target — holds them in this process and sends them
// with at most FORWARDING_CONCURRENCY requests in flight (at most half of them for one target, so a
// slow target never holds up the others). While the queue is caught up, claims are paced (PACE_MS
// apart) and a claim's items start spread over the first half of that time, so that forwarding
// costs a claim and a marking every PACE_MS rather than every few events, and never sends in one
// burst, while the webhooks it forwards keep arriving (their answer to LINE shares the cores and the
// database with it). With a backlog (an outage just ended) it claims again as soon as a quarter of
// the batch is done. It POSTs each event alone, as LINE sent it, to its target:
//   body     {"destination":"<bot user ID>","events":[<the event JSON as stored>]}
//   headers  x-line-signature: base64 HMAC-SHA256 of the body with the target's secret;
//            x-madoguchi-original-signature: LINE's signature of the body the event came in (which
//            may have held other events too: it verifies only that original body);
//            x-madoguchi-event-id: the event's webhookEventId (a receiver can dedupe on it).
// A 2xx answer is success; anything else — a 3xx (redirects are never followed), 4xx, 5xx, a
// timeout (FORWARDING_TIMEOUT_MS), a refused address — is a failure retried with exponential
// backoff and jitter until FORWARDING_RETRY_WINDOW_MS (24 h) after queueing, then dead-lettered. At
// most 1 KB of the answer is read and kept. A finished item lets the user's next one be claimed.

export const FORWARDING_JOB = 'forwarding.send';
export const FORWARDING_SWEEP_JOB = 'forwarding.sweep';

const EXCERPT_BYTES = 1024;
const MAX_DELAY_MS = 3_600_000;
/** A held item's lease: every item held before it for its target may take the timeout first. */
const LEASE_EXTRA_MS = 30_000;
/** Claims in flight at once per process. */
const CLAIMERS = 1;
/** A claim takes up to this many items per request slot (FORWARDING_CONCURRENCY). */
const CLAIM_PER_SLOT = 4;
/**
 * While the queue is caught up (a claim found fewer due items than it could take), the next claim
 * comes this long after it at the earliest: the events queued meanwhile go together, in one claim
 * and one marking, instead of a claim (and a marking) every few events that compete with the
 * webhooks for the cores and the database. An event waits at most this long more to be forwarded.
 */
export const PACE_MS = 200;
/** While caught up, held items start a few at a time, this often. */
const DRIP_MS = 10;

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
  // A claim takes up to CLAIM_PER_SLOT items per request slot; what cannot go at once waits here for a
  // slot (in claim order), leased long enough for every item held for its target to be sent first.
  const batch = config.FORWARDING_CONCURRENCY * CLAIM_PER_SLOT;
  const claimPerTarget = Math.max(1, Math.ceil(batch / 2));
  const claimAtLeast = Math.max(1, Math.floor(batch / 4));
  const leaseMs =
    config.FORWARDING_TIMEOUT_MS * (Math.ceil((2 * claimPerTarget) / perTargetLimit) + 1) + LEASE_EXTRA_MS;
  /** Per target: requests in flight, and items held (waiting for a slot or in flight). */
  const inFlight = new Map<string, number>();
  const held = new Map<string, number>();
  const waiting: ClaimedItem[] = [];
  const running = new Set<Promise<void>>();
  let total = 0;
  let heldTotal = 0;
  // Delivered items not marked sent yet: written by one UPDATE before the next claim (a user's next
  // item is claimable only once its earlier one is marked).
  const delivered: { id: string; status: number; excerpt: string | null }[] = [];
  // Claims running (at most CLAIMERS), the items they asked for, and the last one started.
  const claims = new Set<Promise<void>>();
  let claimers = 0;
  let reserved = 0;
  let latest: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  /** While the queue is caught up: no claim before this time (epoch ms), see PACE_MS. */
  let pacedUntil = 0;
  /** Targets holding their share of the claim (claimPerTarget), left out of claims until half is done. */
  const busy = new Set<string>();
  /** The last claim found fewer items than it could take (see sendWaiting). */
  let caughtUp = false;
  let dripTimer: NodeJS.Timeout | null = null;

  const add = (m: Map<string, number>, key: string, n: number) => {
    const v = (m.get(key) ?? 0) + n;
    if (v > 0) m.set(key, v);
    else m.delete(key);
  };

  /** A claim reads the heads of the queue whatever its size: claim a few items at a time. */
  function claimWorthIt(): boolean {
    const free = batch - heldTotal - reserved;
    return free > 0 && (heldTotal + reserved === 0 || free >= claimAtLeast);
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

  function send(item: ClaimedItem) {
    total += 1;
    add(inFlight, item.target_id, 1);
    const run: Promise<void> = deliver(item)
      .catch((err: unknown) => deps.log.error({ err, itemId: item.id }, 'forwarding: recording failed'))
      .finally(() => {
        total -= 1;
        heldTotal -= 1;
        add(inFlight, item.target_id, -1);
        add(held, item.target_id, -1);
        running.delete(run);
        // A target that had its share of the claim is back to half of it: claim for it at once.
        if (busy.has(item.target_id) && (held.get(item.target_id) ?? 0) <= claimPerTarget / 2) {
          busy.delete(item.target_id);
          pacedUntil = 0;
        }
        // A held item may take the slot; the user's next item may be claimed now.
        sendWaiting();
        pump();
      });
    running.add(run);
  }

  /**
   * Sends held items, oldest claim first, while slots are free (overall and for their target). While
   * caught up, the items of a claim start spread over the time until the next claim (a few every
   * DRIP_MS), so the sender's requests never come in one burst that holds up the webhooks.
   */
  function sendWaiting(fromDrip = false) {
    let budget = Number.POSITIVE_INFINITY;
    if (caughtUp) {
      if (dripTimer && !fromDrip) return;
      // Over the first half of the time to the next claim: each item waits at most PACE_MS / 2 more.
      const ticks = Math.max(1, Math.floor((pacedUntil - Date.now()) / (2 * DRIP_MS)));
      budget = Math.ceil(waiting.length / ticks);
    }
    for (let i = 0; i < waiting.length && budget > 0 && total < config.FORWARDING_CONCURRENCY && !stopped; ) {
      const item = waiting[i]!;
      if ((inFlight.get(item.target_id) ?? 0) >= perTargetLimit) {
        i += 1;
        continue;
      }
      waiting.splice(i, 1);
      budget -= 1;
      send(item);
    }
    if (caughtUp && waiting.length > 0 && !dripTimer && !stopped) {
      dripTimer = setTimeout(() => {
        dripTimer = null;
        sendWaiting(true);
      }, DRIP_MS);
    }
  }

  async function claimLoop() {
    let paced = false;
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        if (!claimWorthIt()) break;
        if (Date.now() < pacedUntil) {
          paced = true;
          deps.wakeAt(new Date(pacedUntil));
          break;
        }
        // Delivered items are marked sent only right before a claim (which needs them marked: a
        // user's next item becomes a head then), so a finished request costs no statement of its
        // own — one UPDATE per claim, not one per item.
        await markItemsSent(db, delivered.splice(0));
        if (stopped) return;
        if (!claimWorthIt()) break;
        const free = batch - heldTotal - reserved;
        for (const [id, n] of held) if (n >= claimPerTarget) busy.add(id);
        // (A finish lifts it; this too, so that a target is never left out with nothing held.)
        for (const id of busy) if ((held.get(id) ?? 0) <= claimPerTarget / 2) busy.delete(id);
        reserved += free;
        const claimedAt = Date.now();
        let items: ClaimedItem[];
        try {
          items = await claimDueItems(db, {
            limit: free,
            perTarget: claimPerTarget,
            busy: [...busy],
            leaseMs,
          });
        } finally {
          reserved -= free;
        }
        const perTarget = new Map<string, number>();
        for (const item of items) {
          add(perTarget, item.target_id, 1);
          add(held, item.target_id, 1);
          heldTotal += 1;
          waiting.push(item);
        }
        // A target that took its share now waits until half of it is done; the others were
        // claimed. Fewer items than the claim could take: caught up, what falls due from now on
        // waits for the next claim, PACE_MS after this one (or when a busy target is back to half).
        for (const [id, n] of perTarget) if (n >= claimPerTarget) busy.add(id);
        caughtUp = items.length < free;
        if (caughtUp) pacedUntil = claimedAt + PACE_MS;
        sendWaiting(true);
        if (caughtUp) break;
      }
    } while (again);
    // Nothing more is due now: wake up when the next retry falls due (a finished request pumps
    // anyway, and a paced claim is woken at its time).
    if (heldTotal === 0 && !paced) {
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
    /** Stops claiming, waits for the requests in flight and gives back the items still held. */
    async stop() {
      stopped = true;
      if (dripTimer) clearTimeout(dripTimer);
      await Promise.all(claims);
      await Promise.all(running);
      await markItemsSent(db, delivered.splice(0));
      await releaseItems(
        db,
        waiting.splice(0).map((i) => i.id),
      );
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export type ForwardingSender = ReturnType<typeof createForwardingSender>;
