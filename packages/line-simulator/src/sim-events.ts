import type { ServerResponse } from 'node:http';

// Server-sent events for the virtual phone (GET /_sim/events): it hears about new deliveries,
// rich menu changes and webhook results without polling. Nothing is serialised while nobody listens.

export type SimEvent =
  | { type: 'delivery'; channelId: string; via: string; userIds: string[] }
  | { type: 'richmenu'; channelId: string; userIds: string[] | 'all' }
  | { type: 'follow'; channelId: string; userId: string; state: string }
  | { type: 'webhook'; channelId: string; status: number; eventTypes: string[] }
  | { type: 'loading'; channelId: string; userId: string; seconds: number };

export class SimEventHub {
  readonly #clients = new Set<ServerResponse>();

  get listening(): boolean {
    return this.#clients.size > 0;
  }

  add(res: ServerResponse): void {
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  emit(event: SimEvent): void {
    if (this.#clients.size === 0) return;
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const res of this.#clients) res.write(frame);
  }

  closeAll(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
