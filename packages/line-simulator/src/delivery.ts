import type { ChannelRuntime } from './channel-runtime.ts';
import type { Delivery, Friendship, JsonObject, SendVia } from './model.ts';
import type { SimEventHub } from './sim-events.ts';

// Putting sent messages into virtual users' inboxes. One Delivery object is shared by every
// recipient of a request, so a multicast costs O(1) per recipient.

export const INBOX_LIMIT = 1_000;

export interface InboxMessage {
  id: string;
  at: string;
  via: SendVia;
  message: JsonObject;
}

export function createDelivery(
  id: string,
  at: number,
  via: SendVia,
  messages: JsonObject[],
  messageIds: string[],
): Delivery {
  return { id, at, via, messages, messageIds };
}

function addToInbox(f: Friendship, delivery: Delivery): boolean {
  const inbox = f.inbox;
  if (inbox[inbox.length - 1] === delivery) return false; // the same user twice in one request
  inbox.push(delivery);
  if (inbox.length > INBOX_LIMIT * 2) inbox.splice(0, inbox.length - INBOX_LIMIT);
  f.deliveries += 1;
  f.messages += delivery.messages.length;
  return true;
}

/**
 * Delivers to the given users who currently follow the channel; others are skipped silently.
 * Returns the user IDs that received it.
 */
export function deliverToFollowers(
  channel: ChannelRuntime,
  userIds: readonly string[],
  delivery: Delivery,
  events: SimEventHub,
): string[] {
  const received: string[] = [];
  const friends = channel.friends;
  for (let i = 0; i < userIds.length; i++) {
    const f = friends.get(userIds[i]!);
    if (f !== undefined && f.state === 'following' && addToInbox(f, delivery)) received.push(f.userId);
  }
  if (received.length > 0) {
    events.emit({ type: 'delivery', channelId: channel.channelId, via: delivery.via, userIds: received });
  }
  return received;
}

/** The inbox of one user as the /_sim API shows it: one entry per message object. */
export function inboxMessages(f: Friendship | undefined): InboxMessage[] {
  if (!f) return [];
  const out: InboxMessage[] = [];
  for (const d of f.inbox) {
    const at = new Date(d.at).toISOString();
    d.messages.forEach((message, i) => {
      out.push({ id: d.messageIds[i] ?? `${d.id}-${i}`, at, via: d.via, message });
    });
  }
  return out;
}
