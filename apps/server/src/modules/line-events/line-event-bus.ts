import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StoredLineEvent } from './line-event.ts';

// Modules subscribe to event types ("follow", "message", …, or "*"). Handlers run inside the
// dispatch transaction and must be idempotent: an event is marked dispatched in the same commit.
export type LineEventHandler = (event: StoredLineEvent, trx: Transaction<Database>) => Promise<void>;

export interface LineEventBus {
  subscribe(type: string, handler: LineEventHandler): void;
  handlersFor(type: string): LineEventHandler[];
}

export function createLineEventBus(): LineEventBus {
  const handlers = new Map<string, LineEventHandler[]>();
  return {
    subscribe(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler]);
    },
    handlersFor(type) {
      return [...(handlers.get(type) ?? []), ...(handlers.get('*') ?? [])];
    },
  };
}
