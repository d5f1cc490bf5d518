import { createHash } from 'node:crypto';

// A LINE webhook event as we store it. Only the fields we index are typed; the rest is kept as sent.
export interface LineWebhookEvent {
  type: string;
  webhookEventId?: string;
  timestamp?: number;
  mode?: string;
  source?: { type?: string; userId?: string; groupId?: string; roomId?: string };
  deliveryContext?: { isRedelivery?: boolean };
  replyToken?: string;
  [key: string]: unknown;
}

export interface StoredLineEvent {
  id: string;
  channelId: string;
  type: string;
  userId: string | null;
  occurredAt: Date;
  /** The receiving channel's public settings, read with the event (no second lookup). */
  channel: { liffId: string | null };
  event: LineWebhookEvent;
}

/** The event's webhookEventId, or a stable digest of its content when LINE sent none. */
export function eventKey(channelId: string, event: LineWebhookEvent): string {
  if (
    typeof event.webhookEventId === 'string' &&
    event.webhookEventId.length > 0 &&
    event.webhookEventId.length <= 100
  ) {
    return event.webhookEventId;
  }
  return `sha256:${createHash('sha256').update(channelId).update(JSON.stringify(event)).digest('hex')}`;
}
