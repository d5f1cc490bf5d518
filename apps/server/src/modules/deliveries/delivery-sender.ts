import type { messagingApi } from '@line/bot-sdk';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { LineClients } from '../../platform/line/line-clients.ts';
import { classify, type Outcome } from '../../platform/line/line-errors.ts';
import { TokenBucket } from '../../platform/line/token-bucket.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import {
  countAttempt,
  failPendingBatches,
  findDelivery,
  finishBatch,
  finishDelivery,
  type PendingBatch,
  pendingBatches,
  tryLockDelivery,
  unlockAll,
  unlockDelivery,
} from './deliveries.repository.ts';
import { deliveryMessages } from './deliveries-metrics.ts';

// Sends the stored batches of a `sending` delivery (G-12, G-13): one LINE multicast per batch with the
// batch's own X-Line-Retry-Key, paced by a per-channel token bucket, `concurrency` requests in flight.
//   2xx → sent · 409 "retry key already accepted" → sent (an earlier attempt got through)
//   429 → wait (Retry-After, else exponential), pause the channel's bucket, try again
//   5xx / network error → exponential backoff, at most `maxAttempts` tries, then failed
//   other 4xx (and 429 "monthly limit") → failed, with LINE's answer stored on the batch
// Exactly once across crashes: a batch is only ever sent with its stored retry key, and marked done in
// one statement that also counts it; a session advisory lock lets one worker send a delivery at a time
// (a crashed worker's lock goes with its connection), and a restarted worker resumes pending batches.

export interface DeliverySenderOptions {
  db: Db;
  channels: ChannelsService;
  line: LineClients;
  /** LINE's multicast limit per channel (requests per second). */
  ratePerSecond: number;
  /** Multicast requests in flight per delivery. */
  concurrency: number;
  /** Tries of a batch on 5xx / network errors before it fails. */
  maxAttempts: number;
  /** First backoff after a 5xx or an unexplained 429 (doubles each time). */
  retryBaseMs?: number;
  log?: { error(o: unknown, msg?: string): void; info?(o: unknown, msg?: string): void };
}

export interface DeliverySender {
  /** Sends (or resumes) the delivery in the background, unless this process is already sending it. */
  ensure(deliveryId: string): void;
  /** Resolves when the delivery this process is sending (if any) is done or paused. */
  idle(deliveryId: string): Promise<void>;
  /** Stops taking new batches; requests in flight finish and are recorded. */
  stop(): Promise<void>;
}

const PAGE = 40;
const MAX_RATE_LIMITED = 20;
const MAX_BACKOFF_MS = 60_000;

const backoff = (base: number, n: number) => Math.min(MAX_BACKOFF_MS, base * 2 ** (n - 1));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * One pooled connection held while this process sends deliveries: it carries the session advisory
 * locks of all of them (a lock per delivery), and goes back to the pool, with no lock left, when the
 * last delivery is done. One connection, not one per delivery: the senders' own queries must always
 * find a free connection in the pool.
 */
function lockSession(db: Db) {
  let session: Promise<{ conn: Kysely<Database>; release: () => void }> | null = null;
  let users = 0;
  return {
    async enter(): Promise<Kysely<Database>> {
      users += 1;
      session ??= new Promise((resolve, reject) => {
        db.connection()
          .execute(
            (conn) =>
              new Promise<void>((release) => {
                resolve({ conn, release });
              }),
          )
          .catch((err) => {
            session = null;
            reject(err);
          });
      });
      try {
        return (await session).conn;
      } catch (err) {
        users -= 1;
        throw err;
      }
    },
    leave() {
      users -= 1;
      if (users > 0 || !session) return;
      const ending = session;
      session = null;
      void ending.then(async ({ conn, release }) => {
        // Locks left by an error path must not travel with the connection back to the pool.
        await unlockAll(conn).catch(() => {});
        release();
      });
    },
  };
}

export function createDeliverySender(opts: DeliverySenderOptions): DeliverySender {
  const { db } = opts;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const buckets = new Map<string, TokenBucket>();
  const running = new Map<string, Promise<void>>();
  const abort = new AbortController();
  const signal = abort.signal;
  const locks = lockSession(db);

  const bucketFor = (channelId: string) => {
    let b = buckets.get(channelId);
    if (!b) {
      b = new TokenBucket({ ratePerSecond: opts.ratePerSecond });
      buckets.set(channelId, b);
    }
    return b;
  };

  async function sendBatch(
    deliveryId: string,
    client: messagingApi.MessagingApiClient,
    bucket: TokenBucket,
    messages: messagingApi.Message[],
    batch: PendingBatch,
  ): Promise<void> {
    let serverErrors = 0;
    let rateLimited = 0;
    const fail = async (httpStatus: number | null, error: string) => {
      await finishBatch(db, deliveryId, batch.batch_no, {
        status: 'failed',
        httpStatus,
        requestId: null,
        error,
      });
      deliveryMessages.inc({ result: 'failed' }, batch.user_ids.length);
    };
    for (;;) {
      await bucket.take(signal);
      if (signal.aborted) return;
      await countAttempt(db, deliveryId, batch.batch_no);
      let outcome: Outcome;
      try {
        const res = await client.multicastWithHttpInfo({ to: batch.user_ids, messages }, batch.retry_key);
        outcome = {
          kind: 'sent',
          httpStatus: res.httpResponse.status,
          requestId: res.httpResponse.headers.get('x-line-request-id'),
        };
      } catch (err) {
        outcome = classify(err);
      }
      switch (outcome.kind) {
        case 'sent':
          await finishBatch(db, deliveryId, batch.batch_no, {
            status: 'sent',
            httpStatus: outcome.httpStatus,
            requestId: outcome.requestId,
            error: null,
          });
          deliveryMessages.inc({ result: 'sent' }, batch.user_ids.length);
          return;
        case 'failed':
          await fail(outcome.httpStatus, outcome.error);
          return;
        case 'rateLimited': {
          rateLimited += 1;
          if (rateLimited > MAX_RATE_LIMITED) {
            await fail(429, outcome.error);
            return;
          }
          bucket.pause(outcome.waitMs ?? backoff(retryBaseMs, rateLimited));
          continue;
        }
        case 'retry': {
          serverErrors += 1;
          if (serverErrors >= opts.maxAttempts) {
            await fail(outcome.httpStatus, outcome.error);
            return;
          }
          await sleep(backoff(retryBaseMs, serverErrors), signal);
          if (signal.aborted) return;
        }
      }
    }
  }

  async function sendDelivery(deliveryId: string): Promise<void> {
    const d = await findDelivery(db, deliveryId);
    if (d?.status !== 'sending') return;
    const channel = await opts.channels.secrets(d.channel_id);
    if (!channel) {
      await failPendingBatches(db, deliveryId, 'チャネルが見つかりません');
      await finishDelivery(db, deliveryId);
      return;
    }
    // Prepared when the delivery started (delivery-start.ts): a resumed delivery sends the same.
    const messages = d.line_messages as messagingApi.Message[] | null;
    if (!messages) {
      await failPendingBatches(db, deliveryId, '送信するメッセージが準備されていません');
      await finishDelivery(db, deliveryId);
      return;
    }
    const client = opts.line.messaging(channel);
    const bucket = bucketFor(channel.id);

    // Pending batches are read page by page as the workers need them.
    const queue: PendingBatch[] = [];
    let after = -1;
    let exhausted = false;
    let fetching: Promise<void> | null = null;
    const next = async (): Promise<PendingBatch | undefined> => {
      while (queue.length === 0 && !exhausted) {
        fetching ??= (async () => {
          const page = await pendingBatches(db, deliveryId, after, PAGE);
          if (page.length === 0) exhausted = true;
          else {
            after = page[page.length - 1]!.batch_no;
            queue.push(...page);
          }
        })().finally(() => {
          fetching = null;
        });
        await fetching;
      }
      return queue.shift();
    };
    const workers = Array.from({ length: Math.max(1, opts.concurrency) }, async () => {
      for (;;) {
        if (signal.aborted) return;
        const batch = await next();
        if (!batch) return;
        await sendBatch(deliveryId, client, bucket, messages, batch);
      }
    });
    await Promise.all(workers);
    if (!signal.aborted) await finishDelivery(db, deliveryId);
  }

  async function withLock(deliveryId: string): Promise<void> {
    const session = await locks.enter();
    try {
      if (!(await tryLockDelivery(session, deliveryId))) return; // another worker is sending it
      try {
        await sendDelivery(deliveryId);
      } finally {
        await unlockDelivery(session, deliveryId);
      }
    } finally {
      locks.leave();
    }
  }

  return {
    ensure(deliveryId) {
      if (signal.aborted || running.has(deliveryId)) return;
      const p = withLock(deliveryId)
        .catch((err) => opts.log?.error({ err, deliveryId }, 'delivery sending failed; the sweep retries it'))
        .finally(() => running.delete(deliveryId));
      running.set(deliveryId, p);
    },
    async idle(deliveryId) {
      await running.get(deliveryId);
    },
    async stop() {
      abort.abort();
      await Promise.allSettled([...running.values()]);
    },
  };
}
