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
} from './line-events.repository.ts';
import { insertOutbox } from './outbox.repository.ts';

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
  /** Replies to the event with its reply token (nothing when it has none). Answers whether recorded. */
  reply(event: StoredLineEvent, messages: messagingApi.Message[]): Promise<boolean>;
  /** Whether a handler before this one already replied to the event (its reply token is used once). */
  replied(event: StoredLineEvent): boolean;
  /** Pushes to a user, group or room; sent with an X-Line-Retry-Key stored now. */
  push(channelId: string, to: string, messages: messagingApi.Message[]): Promise<void>;
  /** Runs `fn` once the transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
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

/** The effects of one dispatch transaction: its recorded calls and the after-commit callbacks. */
export function createLineEffects(
  trx: Transaction<Database>,
  cipher: Cipher,
): LineEffects & { recorded(): number; committed(): void } {
  let recorded = 0;
  const repliedTo = new Set<string>();
  const callbacks: (() => void)[] = [];
  const seal = (messages: messagingApi.Message[]) =>
    cipher.encryptBytes(Buffer.from(JSON.stringify(messages), 'utf8'));
  return {
    async reply(event, messages) {
      const replyToken = event.event.replyToken;
      if (typeof replyToken !== 'string' || replyToken.length === 0) return false;
      const ok = await insertOutbox(trx, {
        channel_id: event.channelId,
        line_event_id: event.id,
        kind: 'reply',
        reply_token: replyToken,
        messages_enc: seal(messages),
      });
      if (ok) recorded += 1;
      repliedTo.add(event.id);
      return ok;
    },
    async push(channelId, to, messages) {
      await insertOutbox(trx, {
        channel_id: channelId,
        kind: 'push',
        to_id: to,
        retry_key: randomUUID(),
        messages_enc: seal(messages),
      });
      recorded += 1;
    },
    replied: (event) => repliedTo.has(event.id),
    afterCommit(fn) {
      callbacks.push(fn);
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

/**
 * In order per friend (B-02): dispatch batches run concurrently (the dispatch job and the sweep lock
 * different pending events with SKIP LOCKED), so a friend's second message can be in another batch
 * than the first. A handler that keeps per-friend state calls this first: it waits until every
 * earlier event of the same user held by another dispatch has committed (then its effects are
 * visible), and answers nothing. Events of this batch come before it anyway (ordered by id).
 */
export async function waitForEarlierEvents(
  trx: Transaction<Database>,
  event: StoredLineEvent,
): Promise<void> {
  if (!event.userId) return;
  await lockEarlierPendingEvents(trx, event.channelId, event.userId, event.id);
}

export const DISPATCH_JOB = 'line-events.dispatch';
// Batches of at most BATCH events, one after the other: a batch's replies leave only after its
// commit, so a small batch keeps the first event of a burst from waiting for the handlers of many
// others (bench/chatbot). Batches are not run concurrently: handlers that keep a friend's order
// (waitForEarlierEvents) make a later batch wait for an earlier one, and counters several batches
// update (the FAQ's) then deadlock them — bench/chatbot saw rolled-back batches with 4 at once.
const BATCH = 50;

export interface DispatchDeps {
  db: Db;
  cipher: Cipher;
  bus: LineEventBus;
  /** Called after a dispatch commit that recorded LINE calls in the outbox (queues the sender). */
  onOutbox?: () => void;
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

/** Dispatches one batch of pending events in one transaction; a failing event is isolated. */
async function dispatchBatch(
  deps: DispatchDeps,
  onlyIds?: string[],
): Promise<{ done: number; failedIds: string[] }> {
  const { db, cipher, bus } = deps;
  let lockedIds: string[] = [];
  try {
    const { done, effects } = await db.transaction().execute(async (trx) => {
      const effects = createLineEffects(trx, cipher);
      const rows = await lockPendingEvents(trx, onlyIds ? onlyIds.length : BATCH, onlyIds);
      lockedIds = rows.map((r) => String(r.id));
      for (const row of rows) {
        const event = decode(cipher, row);
        for (const handler of bus.handlersFor(event.type)) await handler(event, trx, effects);
      }
      await markDispatched(trx, lockedIds);
      return { done: rows.length, effects };
    });
    if (effects.recorded() > 0) deps.onOutbox?.();
    effects.committed();
    return { done, failedIds: [] };
  } catch (err) {
    if (lockedIds.length <= 1) {
      if (lockedIds[0]) await markDispatchFailed(db, lockedIds[0], String(err));
      return { done: 0, failedIds: lockedIds };
    }
    // Isolate the failing event: retry the batch one event at a time.
    let done = 0;
    const failedIds: string[] = [];
    for (const id of lockedIds) {
      const r = await dispatchBatch(deps, [id]);
      done += r.done;
      failedIds.push(...r.failedIds);
    }
    return { done, failedIds };
  }
}

/** Dispatches pending events to their subscribers; answers how many were dispatched. */
export async function dispatchPendingEvents(deps: DispatchDeps): Promise<number> {
  let total = 0;
  for (;;) {
    const { done } = await dispatchBatch(deps);
    total += done;
    // Stop when nothing is pending, or when only failing events remain (the sweep retries them).
    if (done === 0) return total;
  }
}
