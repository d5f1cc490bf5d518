import { randomUUID } from 'node:crypto';
import type { messagingApi } from '@line/bot-sdk';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { LineWebhookEvent, StoredLineEvent } from './line-event.ts';
import {
  lockEarlierPendingEvents,
  lockPendingEvents,
  markDispatched,
  markDispatchFailed,
  tryLockPartition,
} from './line-events.repository.ts';
import { insertOutbox, insertOutboxRows } from './outbox.repository.ts';

// The LINE event bus: modules subscribe to event types ("follow", "message", …, or "*"), and the
// dispatch job hands them the stored events. Handlers run inside the dispatch transaction and must be
// idempotent: an event is marked dispatched in the same commit. They never call LINE (or anything
// outside the database) themselves: replies and pushes go through `effects`, which records them in
// the outbox in this transaction; the outbox sender sends them after the commit, so an event handled
// again after a crash (its first transaction rolled back) has no effect twice (issue 8 §6, D-03).

export type LineEventHandler = (
  event: StoredLineEvent,
  trx: Transaction<Database>,
  effects: LineEffects,
) => Promise<void>;

/** What an event handler may cause outside the database, recorded in its dispatch transaction. */
export interface LineEffects {
  /**
   * The events of this dispatch batch, in order (empty outside a dispatch): a handler may read what
   * it needs for all of them with its first event (one query per batch instead of one per event).
   */
  readonly batch: readonly StoredLineEvent[];
  /**
   * Replies to the event with its reply token (nothing when it has none). Answers whether recorded.
   * A reply counts as handling the event (`handled`) unless `{ handled: false }` (a fallback answer).
   */
  reply(
    event: StoredLineEvent,
    messages: messagingApi.Message[],
    opts?: { handled?: boolean },
  ): Promise<boolean>;
  /** Whether a handler before this one already replied to the event (its reply token is used once). */
  replied(event: StoredLineEvent): boolean;
  /** A handler that handled an event without replying says so (e.g. a friend talking to staff). */
  markHandled(event: StoredLineEvent): void;
  /**
   * Whether a handler before this one handled the event: replied (not as a fallback) or said so
   * with `markHandled` (webhook forwarding's "only when nothing handled it", W-01).
   */
  handled(event: StoredLineEvent): boolean;
  /** Pushes to a user, group or room; sent with an X-Line-Retry-Key stored now. */
  push(channelId: string, to: string, messages: messagingApi.Message[]): Promise<void>;
  /** Runs `fn` once the transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
  /**
   * Adds `n` to a counter several dispatches update (a shared row, e.g. a rich menu area's taps of a
   * day): the sums are applied once at the end of the batch, in the order of their keys, so two
   * dispatches running side by side lock such rows in the same order (no deadlock) and hold them only
   * until their commit. `apply` gets the batch's sum for the key.
   */
  tally(key: string, n: number, apply: (trx: Transaction<Database>, total: number) => Promise<void>): void;
  /**
   * Rows of a table only ever inserted into (e.g. the chatbot's steps): in a dispatch batch they are
   * collected under `key` and written by ONE `write` call at the end of the batch, before its
   * commit (`write` of the first call for the key is used); elsewhere written at once.
   */
  append<T>(
    key: string,
    rows: T[],
    write: (trx: Transaction<Database>, rows: T[]) => Promise<void>,
  ): Promise<void>;
}

export interface LineEventBus {
  subscribe(type: string, handler: LineEventHandler): void;
  handlersFor(type: string): LineEventHandler[];
  /** The same bus, with this view's subscriptions recorded under a module's name. */
  forModule(name: string): LineEventBus;
  /** Who subscribed to what, in subscription order (the README's table is checked against it). */
  subscribers(): { type: string; module: string }[];
}

export function createLineEventBus(): LineEventBus {
  const handlers = new Map<string, LineEventHandler[]>();
  const record: { type: string; module: string }[] = [];
  const view = (module: string): LineEventBus => ({
    subscribe(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
      record.push({ type, module });
    },
    handlersFor(type) {
      return [...(handlers.get(type) ?? []), ...(handlers.get('*') ?? [])];
    },
    forModule: view,
    subscribers: () => [...record],
  });
  return view('(unnamed)');
}

/**
 * The effects of one dispatch transaction: its recorded calls and the after-commit callbacks. With
 * `batched`, the calls are written to the outbox together by `flush()` (one statement for the whole
 * dispatch batch, before its commit) instead of one insert per call; a reply answers true when its
 * token was not used yet in this batch (a token with a committed row already is skipped at the flush,
 * so nothing is sent twice either way). `flush()` also writes the rows `append` collected, first.
 */
export function createLineEffects(
  trx: Transaction<Database>,
  cipher: Cipher,
  opts: { batched?: boolean; events?: StoredLineEvent[] } = {},
): LineEffects & {
  recorded(): number;
  committed(): void;
  applyTallies(): Promise<void>;
  flush(): Promise<void>;
} {
  let recorded = 0;
  const repliedTo = new Set<string>();
  const handledIds = new Set<string>();
  const callbacks: (() => void)[] = [];
  const tallies = new Map<
    string,
    { total: number; apply: (trx: Transaction<Database>, total: number) => Promise<void> }
  >();
  const appended = new Map<
    string,
    { rows: unknown[]; write: (trx: Transaction<Database>, rows: unknown[]) => Promise<void> }
  >();
  const queued: Parameters<typeof insertOutboxRows>[1] = [];
  const queuedTokens = new Set<string>();
  const seal = (messages: messagingApi.Message[]) =>
    cipher.encryptBytes(Buffer.from(JSON.stringify(messages), 'utf8'));
  const record = async (row: (typeof queued)[number]): Promise<boolean> => {
    if (!opts.batched) {
      const ok = await insertOutbox(trx, row);
      if (ok) recorded += 1;
      return ok;
    }
    if (row.kind === 'reply') {
      const key = `${row.channel_id}:${row.reply_token}`;
      if (queuedTokens.has(key)) return false;
      queuedTokens.add(key);
    }
    queued.push(row);
    return true;
  };
  return {
    batch: opts.events ?? [],
    async reply(event, messages, replyOpts) {
      const replyToken = event.event.replyToken;
      if (typeof replyToken !== 'string' || replyToken.length === 0) return false;
      const ok = await record({
        channel_id: event.channelId,
        line_event_id: event.id,
        kind: 'reply',
        reply_token: replyToken,
        messages_enc: seal(messages),
      });
      repliedTo.add(event.id);
      if (replyOpts?.handled !== false) handledIds.add(event.id);
      return ok;
    },
    async push(channelId, to, messages) {
      await record({
        channel_id: channelId,
        kind: 'push',
        to_id: to,
        retry_key: randomUUID(),
        messages_enc: seal(messages),
      });
    },
    async flush() {
      for (const [key, a] of appended) {
        appended.delete(key);
        if (a.rows.length > 0) await a.write(trx, a.rows);
      }
      recorded += await insertOutboxRows(trx, queued.splice(0));
      queuedTokens.clear();
    },
    replied: (event) => repliedTo.has(event.id),
    markHandled(event) {
      handledIds.add(event.id);
    },
    handled: (event) => handledIds.has(event.id),
    afterCommit(fn) {
      callbacks.push(fn);
    },
    tally(key, n, apply) {
      const t = tallies.get(key);
      if (t) t.total += n;
      else tallies.set(key, { total: n, apply });
    },
    async append(key, rows, write) {
      if (rows.length === 0) return;
      if (!opts.batched) return write(trx, rows);
      const a = appended.get(key);
      if (a) a.rows.push(...rows);
      else
        appended.set(key, {
          rows: [...rows],
          write: write as (trx: Transaction<Database>, rows: unknown[]) => Promise<void>,
        });
    },
    async applyTallies() {
      const keys = [...tallies.keys()].sort();
      for (const key of keys) {
        const t = tallies.get(key)!;
        await t.apply(trx, t.total);
      }
      tallies.clear();
    },
    recorded: () => recorded,
    committed() {
      for (const fn of callbacks) {
        try {
          fn();
        } catch {
          // A trigger that fails must not turn a committed dispatch into a failed one.
        }
      }
    },
  };
}

// Transactions of dispatchBatch that hold their partition's lock: every earlier event of a friend
// in them is dispatched already or comes earlier in the same batch.
const ordered = new WeakSet<object>();

/**
 * In order per friend (B-02): pending events are split into partitions by user (`partitionOf`), and
 * one dispatcher at a time — across the dispatch job, the minute sweep and every server node — works
 * a partition (`pg_try_advisory_xact_lock` in each batch's transaction), its batches in id order. So
 * a friend's earlier events are dispatched before a later one without waiting on another batch, and
 * this answers at once for a dispatch batch. Called in any other transaction, it waits until every
 * earlier event of the same user held by a dispatch has committed (then its effects are visible).
 * A handler that keeps per-friend state calls this first; it answers nothing.
 */
export async function waitForEarlierEvents(
  trx: Transaction<Database>,
  event: StoredLineEvent,
): Promise<void> {
  if (!event.userId || ordered.has(trx)) return;
  await lockEarlierPendingEvents(trx, event.channelId, event.userId, event.id);
}

// What handlers read on every event and rarely changes (disaster mode, published keywords, desks)
// is read once per dispatch batch: the first event of the batch reads it in the batch's transaction,
// the others of the same batch get the same answer. A change is seen by the next batch (a batch
// lasts well under a second), on every node, with nothing to invalidate.
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

/** `load()` once per transaction and `key` (a dispatch batch's transaction: once per batch). */
export function oncePerBatch<T>(trx: Transaction<Database>, key: string, load: () => Promise<T>): Promise<T> {
  let m = memos.get(trx);
  if (!m) {
    m = new Map();
    memos.set(trx, m);
  }
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    m.set(key, p);
  }
  return p;
}

export const DISPATCH_JOB = 'line-events.dispatch';
// Batches of at most BATCH events: a batch's replies leave only after its commit, so a small batch
// keeps the first event of a burst from waiting for the handlers of many others (bench/chatbot).
// PARTITIONS dispatchers run side by side, one per partition of the users (every node must use the
// same number). Nothing two partitions' batches write is the same row, except counters, which are
// applied at the end of a batch in key order (LineEffects.tally): no batch waits for another.
const BATCH = 50;
export const DEFAULT_DISPATCH_PARTITIONS = 4;
// A partition another dispatcher holds: tried again a few times, in case the holder is committing an
// empty last batch (then this one must take over: the events it was started for came after that
// batch's read). A holder with a real batch reads again after its commit and sees them itself; the
// minute sweep is the safety net for the rest.
const BUSY_RETRIES_MS = [5, 20, 50, 100];

export interface DispatchDeps {
  db: Db;
  cipher: Cipher;
  bus: LineEventBus;
  /** Called after a dispatch commit that recorded LINE calls in the outbox (queues the sender). */
  onOutbox?: () => void;
  /** Partitions dispatched side by side (config DISPATCH_PARTITIONS, default 4); the same on every node. */
  partitions?: number;
}

type PendingRow = Awaited<ReturnType<typeof lockPendingEvents>>[number];

function decode(cipher: Cipher, row: PendingRow): StoredLineEvent {
  return {
    id: String(row.id),
    channelId: row.channel_id,
    type: row.type,
    userId: row.source_user_id,
    occurredAt: row.occurred_at,
    channel: { liffId: row.liff_id },
    event: JSON.parse(cipher.decryptBytes(row.payload_enc).toString('utf8')) as LineWebhookEvent,
  };
}

interface Part {
  index: number;
  count: number;
}

/**
 * Dispatches one batch of a partition's pending events in one transaction, when no other dispatcher
 * holds the partition (`busy` otherwise); a failing event is isolated.
 */
async function dispatchBatch(
  deps: DispatchDeps,
  part: Part,
  onlyIds?: string[],
): Promise<{ done: number; failedIds: string[]; busy: boolean }> {
  const { db, cipher, bus } = deps;
  let lockedIds: string[] = [];
  try {
    const result = await db.transaction().execute(async (trx) => {
      if (!(await tryLockPartition(trx, part.index))) return null;
      ordered.add(trx);
      const rows = await lockPendingEvents(trx, onlyIds ? onlyIds.length : BATCH, { ...part, onlyIds });
      lockedIds = rows.map((r) => String(r.id));
      const events = rows.map((row) => decode(cipher, row));
      const effects = createLineEffects(trx, cipher, { batched: true, events });
      for (const event of events) {
        for (const handler of bus.handlersFor(event.type)) await handler(event, trx, effects);
      }
      await effects.applyTallies();
      await effects.flush();
      await markDispatched(trx, lockedIds);
      return { done: rows.length, effects };
    });
    if (!result) return { done: 0, failedIds: [], busy: true };
    if (result.effects.recorded() > 0) deps.onOutbox?.();
    result.effects.committed();
    return { done: result.done, failedIds: [], busy: false };
  } catch (err) {
    if (lockedIds.length <= 1) {
      if (lockedIds[0]) await markDispatchFailed(db, lockedIds[0], String(err));
      return { done: 0, failedIds: lockedIds, busy: false };
    }
    // Isolate the failing event: retry the batch one event at a time (each under the partition's
    // lock again; one that another dispatcher took meanwhile is left to it, in its order).
    let done = 0;
    const failedIds: string[] = [];
    for (const id of lockedIds) {
      const r = await dispatchBatch(deps, part, [id]);
      done += r.done;
      failedIds.push(...r.failedIds);
    }
    return { done, failedIds, busy: false };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A partition's loop running in this process; `again`: there may be new events since its last read. */
interface Loop {
  again: boolean;
  done?: Promise<number>;
}
const loops = new WeakMap<DispatchDeps, Map<number, Loop>>();

async function dispatchPartition(deps: DispatchDeps, part: Part, loop: Loop, mine: Map<number, Loop>) {
  let total = 0;
  let busy = 0;
  // Leaving is decided synchronously after the last read, so a call arriving later finds no loop
  // and starts one, and a call arriving before sets `again` and is seen here.
  const leave = () => {
    if (loop.again) {
      loop.again = false;
      busy = 0;
      return false;
    }
    mine.delete(part.index);
    return true;
  };
  try {
    for (;;) {
      const r = await dispatchBatch(deps, part);
      if (r.busy) {
        if (busy < BUSY_RETRIES_MS.length) {
          await sleep(BUSY_RETRIES_MS[busy++]!);
          continue;
        }
        if (leave()) return total;
        continue;
      }
      busy = 0;
      total += r.done;
      // Stop when nothing is pending, or when only failing events remain (the sweep retries them).
      if (r.done === 0 && leave()) return total;
    }
  } finally {
    if (mine.get(part.index) === loop) mine.delete(part.index);
  }
}

/**
 * Dispatches pending events to their subscribers, partitions side by side; answers how many (of the
 * loops this call started). A partition whose loop is already running in this process is not read
 * twice: that loop reads once more before it ends, and this call waits for it; so calling this for
 * every stored webhook costs no query while loops run, and when it returns, what was pending when it
 * was called is dispatched (or failed).
 */
export async function dispatchPendingEvents(deps: DispatchDeps): Promise<number> {
  const count = deps.partitions ?? DEFAULT_DISPATCH_PARTITIONS;
  let mine = loops.get(deps);
  if (!mine) {
    mine = new Map();
    loops.set(deps, mine);
  }
  const runs: Promise<number>[] = [];
  for (let index = 0; index < count; index++) {
    const running = mine.get(index);
    if (running?.done) {
      running.again = true;
      runs.push(running.done.then(() => 0));
      continue;
    }
    const loop: Loop = { again: false };
    mine.set(index, loop);
    loop.done = dispatchPartition(deps, { index, count }, loop, mine);
    runs.push(loop.done);
  }
  const done = await Promise.all(runs);
  return done.reduce((a, b) => a + b, 0);
}
