import type { LineWorld } from './line-world.ts';
import { until } from './wait-for.ts';

// A virtual friend chatting with the world's channel through the LINE simulator: follow, say, tap,
// and read what the account sent (replies and pushes, as the simulator's inbox records them).

export type ChatAction = {
  type: string;
  label?: string;
  data?: string;
  displayText?: string;
  text?: string;
  uri?: string;
};

export interface ReceivedMessage {
  via: string;
  message: {
    type: string;
    text?: string;
    altText?: string;
    quickReply?: { items: { action: ChatAction }[] };
    template?: {
      type?: string;
      text?: string;
      actions?: ChatAction[];
      columns?: { title?: string; text?: string; thumbnailImageUrl?: string; actions: ChatAction[] }[];
    };
    /** A flex message's contents. */
    contents?: Record<string, unknown>;
    originalContentUrl?: string;
    previewImageUrl?: string;
  };
}

/** A simulator user who follows the world's channel, once the server has the friend row. */
export async function addFriend(w: LineWorld, name: string): Promise<string> {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: name })) as { userId: string };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  await until(`friend ${userId}`, () =>
    w.server.db.selectFrom('friends').select('id').where('line_user_id', '=', userId).executeTakeFirst(),
  );
  return userId;
}

/** The friend types a text message. */
export const say = (w: LineWorld, userId: string, text: string) =>
  w.sim$('POST', `/_sim/users/${userId}/messages`, {
    channelId: w.line.channelId,
    message: { type: 'text', text },
  });

/** The friend taps a button (postback, message or URI action), as the phone does. */
export const tap = (w: LineWorld, userId: string, action: ChatAction) =>
  w.sim$('POST', `/_sim/users/${userId}/action`, { channelId: w.line.channelId, action });

/** What the account sent the friend, oldest first: replies, and pushes too unless `via` says. */
export async function received(
  w: LineWorld,
  userId: string,
  via: readonly string[] = ['reply', 'push'],
): Promise<ReceivedMessage[]> {
  const inbox = (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
    messages: ReceivedMessage[];
  };
  return inbox.messages.filter((m) => via.includes(m.via));
}

/** Waits until the friend has `total` messages (of `via`) and answers the ones after the first `seen`. */
export async function receivedAfter(
  w: LineWorld,
  userId: string,
  seen: number,
  total: number,
  via?: readonly string[],
): Promise<ReceivedMessage[]> {
  const all = await until(`${total} messages to ${userId}`, async () => {
    const got = await received(w, userId, via);
    return got.length >= total ? got : null;
  });
  return all.slice(seen);
}

/** The quick reply button whose label is (or, with `prefix`, starts with) this label. */
export function quickReply(m: ReceivedMessage | undefined, label: string, prefix = false): ChatAction {
  const a = m?.message.quickReply?.items.find((i) =>
    prefix ? i.action.label?.startsWith(label) : i.action.label === label,
  )?.action;
  if (!a) throw new Error(`no quick reply ${label}`);
  return a;
}

/** The quick reply labels of a message. */
export const quickReplyLabels = (m: ReceivedMessage | undefined) =>
  m?.message.quickReply?.items.map((i) => i.action.label);

/**
 * Every one of the friend's `count` events is dispatched and, unless `outbox` is false, the outbox
 * has nothing pending (so no reply is still coming).
 */
export const settled = (w: LineWorld, userId: string, count: number, outbox = true) =>
  until(`${count} events of ${userId} dispatched${outbox ? ', outbox drained' : ''}`, async () => {
    const rows = await w.server.db
      .selectFrom('line_events')
      .select('dispatched_at')
      .where('source_user_id', '=', userId)
      .execute();
    const pending = outbox
      ? await w.server.db.selectFrom('line_outbox').select('id').where('status', '=', 'pending').execute()
      : [];
    return rows.length === count && rows.every((r) => r.dispatched_at) && pending.length === 0;
  });
