import type { Insertable } from 'kysely';
import type { ForwardingItemsTable } from '../../db/schema.ts';
import { eventKey } from '../line-events/line-event.ts';
import { type LineEventBus, oncePerBatch } from '../line-events/line-event-bus.ts';
import { enabledTargetRows, insertItems } from './forwarding.repository.ts';

// Queueing for webhook forwarding (W-01). The module subscribes to every event type ('*'), which the
// bus runs after the modules subscribed to the type itself, inside the dispatch transaction: it knows
// whether one of them handled the event (replied, not as a fallback, or said so), and its queue rows
// commit with the event's dispatch — an event stored and dispatched is never lost for forwarding,
// and the webhook's answer to LINE (which only stores the event) is not touched. The rows of a
// dispatch batch are written by one INSERT at its end (effects.append); unique on (target,
// webhookEventId), so a redelivered or re-dispatched event is queued once.

/** Event types a target may take "only when nothing handled them". */
const ANSWERABLE = new Set(['message', 'postback']);

export function subscribeForwarding(bus: LineEventBus, wake: () => void): void {
  bus.subscribe('*', async (event, trx, effects) => {
    const targets = await oncePerBatch(trx, `forwarding.targets:${event.channelId}`, () =>
      enabledTargetRows(trx, event.channelId),
    );
    if (targets.length === 0) return;
    const handled = ANSWERABLE.has(event.type) && effects.handled(event);
    const source = event.event.source;
    const userKey = source?.userId ?? source?.groupId ?? source?.roomId ?? '';
    const webhookEventId = eventKey(event.channelId, event.event);
    const rows: Insertable<ForwardingItemsTable>[] = targets
      .filter((t) => t.event_types === null || t.event_types.includes(event.type))
      .filter((t) => !(handled && t.message_mode === 'unhandled'))
      .map((t) => ({
        target_id: t.id,
        line_event_id: event.id,
        webhook_event_id: webhookEventId,
        event_type: event.type,
        user_key: userKey,
      }));
    if (rows.length === 0) return;
    await effects.append('forwarding.items', rows, async (q, all) => {
      await insertItems(q, all);
    });
    effects.afterCommit(wake);
  });
}
