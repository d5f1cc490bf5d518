import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StoredLineEvent } from './line-event.ts';
import type { LineEffects } from './outbox.ts';

// Modules subscribe to event types ("follow", "message", …, or "*"). Handlers run inside the
// dispatch transaction and must be idempotent: an event is marked dispatched in the same commit.
// They never call LINE (or anything outside the database) themselves: replies and pushes go through
// `effects`, which records them in the outbox in this transaction; they are sent after the commit,
// so an event handled again after a crash (its first transaction rolled back) has no effect twice.
export type LineEventHandler = (
  event: StoredLineEvent,
  trx: Transaction<Database>,
  effects: LineEffects,
) => Promise<void>;

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
