import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { LineWebhookEvent, StoredLineEvent } from './line-event.ts';
import type { LineEventBus } from './line-event-bus.ts';
import { lockPendingEvents, markDispatched, markDispatchFailed } from './line-events.repository.ts';
import { createLineEffects } from './outbox.ts';
import { type IntakeResult, intakeWebhook, listRejected, type RejectedEventView } from './webhook-intake.ts';

// Webhook intake (D-03, webhook-intake.ts): verify the signature on the raw body, validate each event,
// store the valid ones and keep the malformed ones aside (unique keys absorb redeliveries), answer,
// and dispatch through a job.

export const DISPATCH_JOB = 'line-events.dispatch';
const BATCH = 200;

export interface LineEventsService {
  intake(channelId: string, rawBody: Buffer, signature: string | undefined): Promise<IntakeResult>;
  /** Webhook events kept aside as malformed, newest first. */
  listRejected(opts: {
    channelId?: string;
    beforeId?: string;
    limit: number;
  }): Promise<{ total: number; items: RejectedEventView[] }>;
  /** Dispatches pending events to subscribers; returns how many were dispatched. */
  dispatchPending(): Promise<number>;
}

export function createLineEventsService(deps: {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  bus: LineEventBus;
  onStored: () => void;
  /** Called after a dispatch commit that recorded LINE calls in the outbox (queues the sender). */
  onOutbox?: () => void;
}): LineEventsService {
  const { db, cipher, bus } = deps;

  const decode = (row: {
    id: string;
    channel_id: string;
    type: string;
    source_user_id: string | null;
    occurred_at: Date;
    payload_enc: Buffer;
  }): StoredLineEvent => ({
    id: String(row.id),
    channelId: row.channel_id,
    type: row.type,
    userId: row.source_user_id,
    occurredAt: row.occurred_at,
    event: JSON.parse(cipher.decryptBytes(row.payload_enc).toString('utf8')) as LineWebhookEvent,
  });

  async function dispatchBatch(onlyIds?: string[]): Promise<{ done: number; failedIds: string[] }> {
    let lockedIds: string[] = [];
    try {
      // Side effects only after commit (issue 8 §6): handlers record LINE calls in the outbox
      // through `effects`, in this transaction; nothing leaves before the batch is committed.
      const { done, effects } = await db.transaction().execute(async (trx) => {
        const effects = createLineEffects(trx, cipher);
        const rows = await lockPendingEvents(trx, onlyIds ? onlyIds.length : BATCH, onlyIds);
        lockedIds = rows.map((r) => String(r.id));
        for (const row of rows) {
          const event = decode(row);
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
        const r = await dispatchBatch([id]);
        done += r.done;
        failedIds.push(...r.failedIds);
      }
      return { done, failedIds };
    }
  }

  return {
    intake(channelId, rawBody, signature) {
      return intakeWebhook(deps, channelId, rawBody, signature);
    },

    listRejected(opts) {
      return listRejected(deps, opts);
    },

    async dispatchPending() {
      let total = 0;
      for (;;) {
        const { done } = await dispatchBatch();
        total += done;
        // Stop when nothing is pending, or when only failing events remain (the sweep retries them).
        if (done === 0) return total;
      }
    },
  };
}
