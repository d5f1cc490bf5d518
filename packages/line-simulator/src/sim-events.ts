import type { ServerResponse } from 'node:http';

// Server-sent events for the virtual phone (GET /_sim/events[?userId=]): it hears about new
// deliveries, rich menu changes, follows and webhook results without polling. A phone passes its
// user ID and gets only what concerns that user; unfiltered, an event for more than 1,000 users
// comes without `userIds` (only `count`). Nothing is serialised while nobody listens.

export type SimEvent =
  | { type: 'delivery'; channelId: string; via: string; userIds?: string[]; count?: number }
  | { type: 'richmenu'; channelId: string; userIds?: string[] | 'all'; count?: number }
  | { type: 'follow'; channelId: string; userId: string; state: string }
  | { type: 'webhook'; channelId: string; status: number; eventTypes: string[] }
  | { type: 'loading'; channelId: string; userId: string; seconds: number };

const MAX_IDS_UNFILTERED = 1_000;

function forClient(event: SimEvent, userId: string | undefined): SimEvent | undefined {
  if ('userIds' in event && Array.isArray(event.userIds)) {
    if (userId !== undefined)
      return event.userIds.includes(userId) ? { ...event, userIds: [userId] } : undefined;
    if (event.userIds.length > MAX_IDS_UNFILTERED) {
      // Too many to list: without userIds the event concerns everyone (each phone refreshes).
      const { userIds, ...rest } = event;
      return { ...rest, count: userIds.length };
    }
    return event;
  }
  if ('userId' in event && userId !== undefined && event.userId !== userId) return undefined;
  return event;
}

export class SimEventHub {
  readonly #clients = new Map<ServerResponse, string | undefined>();

  get listening(): boolean {
    return this.#clients.size > 0;
  }

  /** Adds a client; with a userId it only receives events about that user (and channel-wide ones). */
  add(res: ServerResponse, userId?: string): void {
    this.#clients.set(res, userId);
    res.on('close', () => this.#clients.delete(res));
  }

  emit(event: SimEvent): void {
    if (this.#clients.size === 0) return;
    const frames = new Map<string, string>();
    for (const [res, userId] of this.#clients) {
      const key = userId ?? '';
      let frame = frames.get(key);
      if (frame === undefined) {
        const e = forClient(event, userId);
        frame = e ? `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n` : '';
        frames.set(key, frame);
      }
      if (frame) res.write(frame);
    }
  }

  closeAll(): void {
    for (const res of this.#clients.keys()) res.end();
    this.#clients.clear();
  }
}
