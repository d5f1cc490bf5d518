import type { ChannelRuntime } from './channel-runtime.ts';
import type { JsonObject } from './model.ts';
import type { SimulatorLogger } from './options.ts';
import type { SimEventHub } from './sim-events.ts';
import { signWebhookBody } from './webhook-signature.ts';

// Sends signed webhooks to a channel's webhook URL, as the LINE Platform does, and records each attempt.

export interface WebhookAttempt {
  id: number;
  at: string;
  channelId: string;
  url: string;
  /** HTTP status of the answer; 0 when there was none (no webhook URL, refused, timed out). */
  status: number;
  durationMs: number;
  error?: string;
  isRedelivery: boolean;
  eventTypes: string[];
  body: string;
}

const LOG_LIMIT = 2_000;

export class WebhookSender {
  readonly #timeoutMs: number;
  readonly #logger: SimulatorLogger;
  readonly #clock: () => number;
  readonly #events: SimEventHub;
  #log: WebhookAttempt[] = [];
  #seq = 0;

  constructor(opts: {
    timeoutMs: number;
    logger: SimulatorLogger;
    clock: () => number;
    events: SimEventHub;
  }) {
    this.#timeoutMs = opts.timeoutMs;
    this.#logger = opts.logger;
    this.#clock = opts.clock;
    this.#events = opts.events;
  }

  list(channelId?: string): WebhookAttempt[] {
    return channelId === undefined ? [...this.#log] : this.#log.filter((a) => a.channelId === channelId);
  }

  get(id: number): WebhookAttempt | undefined {
    return this.#log.find((a) => a.id === id);
  }

  clear(): void {
    this.#log = [];
  }

  /** Sends `{destination, events}` signed with the channel secret. */
  async send(
    channel: ChannelRuntime,
    events: JsonObject[],
    opts: { url?: string } = {},
  ): Promise<WebhookAttempt> {
    const body = JSON.stringify({ destination: channel.config.botUserId, events });
    const isRedelivery = events.some(
      (e) => (e.deliveryContext as { isRedelivery?: boolean } | undefined)?.isRedelivery === true,
    );
    return this.#post(
      channel,
      opts.url ?? channel.config.webhookUrl,
      body,
      events.map((e) => String(e.type)),
      isRedelivery,
    );
  }

  async #post(
    channel: ChannelRuntime,
    url: string,
    body: string,
    eventTypes: string[],
    isRedelivery: boolean,
  ): Promise<WebhookAttempt> {
    const started = this.#clock();
    const attempt: WebhookAttempt = {
      id: ++this.#seq,
      at: new Date(started).toISOString(),
      channelId: channel.channelId,
      url,
      status: 0,
      durationMs: 0,
      isRedelivery,
      eventTypes,
      body,
    };
    const t0 = performance.now();
    if (!url) {
      attempt.error = 'The channel has no webhook URL';
    } else {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'LineBotWebhook/2.0',
            'x-line-signature': signWebhookBody(body, channel.config.channelSecret),
          },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        attempt.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) {
          this.#logger.warn(
            { channelId: channel.channelId, url, status: res.status },
            'webhook answered non-2xx',
          );
        }
      } catch (err) {
        attempt.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.#logger.warn(
          { channelId: channel.channelId, url, err: attempt.error },
          'webhook delivery failed',
        );
      }
    }
    attempt.durationMs = Math.round(performance.now() - t0);
    this.#log.push(attempt);
    if (this.#log.length > LOG_LIMIT * 2) this.#log.splice(0, this.#log.length - LOG_LIMIT);
    this.#events.emit({ type: 'webhook', channelId: channel.channelId, status: attempt.status, eventTypes });
    return attempt;
  }
}
