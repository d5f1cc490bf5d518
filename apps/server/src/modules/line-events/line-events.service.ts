import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { lineEventsReceived } from '../../platform/http/metrics.ts';
import { verifyLineSignature } from '../../platform/line/signature.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { eventKey, isLineWebhookBody, type LineWebhookEvent, type StoredLineEvent } from './line-event.ts';
import type { LineEventBus } from './line-event-bus.ts';
import {
  insertLineEvents,
  lockPendingEvents,
  markDispatched,
  markDispatchFailed,
} from './line-events.repository.ts';

// Webhook intake (D-03): verify the signature on the raw body, store every event in one statement
// (unique on webhookEventId, so redeliveries are absorbed), answer, and dispatch through a job.

export const DISPATCH_JOB = 'line-events.dispatch';
const BATCH = 200;

export interface LineEventsService {
  intake(
    channelId: string,
    rawBody: Buffer,
    signature: string | undefined,
  ): Promise<{ stored: number; received: number }>;
  /** Dispatches pending events to subscribers; returns how many were dispatched. */
  dispatchPending(): Promise<number>;
}

export function createLineEventsService(deps: {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  bus: LineEventBus;
  onStored: () => void;
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
      const done = await db.transaction().execute(async (trx) => {
        const rows = await lockPendingEvents(trx, onlyIds ? onlyIds.length : BATCH, onlyIds);
        lockedIds = rows.map((r) => String(r.id));
        for (const row of rows) {
          const event = decode(row);
          for (const handler of bus.handlersFor(event.type)) await handler(event, trx);
        }
        await markDispatched(trx, lockedIds);
        return rows.length;
      });
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
    async intake(channelId, rawBody, signature) {
      const channel = await deps.channels.secrets(channelId);
      if (!channel) throw new AppError(404, 'CHANNEL_NOT_FOUND', 'チャネルが見つかりません');
      if (!verifyLineSignature(channel.channelSecret, rawBody, signature)) {
        throw new AppError(401, 'INVALID_SIGNATURE', 'x-line-signature が正しくありません');
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new AppError(400, 'INVALID_JSON', 'JSON の形式が正しくありません');
      }
      if (!isLineWebhookBody(body))
        throw new AppError(400, 'INVALID_WEBHOOK_BODY', 'events 配列がありません');
      const rows = body.events.map((event) => ({
        channel_id: channel.id,
        webhook_event_id: eventKey(channel.id, event),
        type: event.type.slice(0, 64),
        source_user_id: typeof event.source?.userId === 'string' ? event.source.userId.slice(0, 64) : null,
        occurred_at: new Date(typeof event.timestamp === 'number' ? event.timestamp : Date.now()),
        is_redelivery: event.deliveryContext?.isRedelivery === true,
        payload_enc: cipher.encryptBytes(Buffer.from(JSON.stringify(event))),
      }));
      const inserted = await insertLineEvents(db, rows);
      for (const r of inserted) lineEventsReceived.inc({ type: r.type });
      if (inserted.length > 0) deps.onStored();
      return { stored: inserted.length, received: rows.length };
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
