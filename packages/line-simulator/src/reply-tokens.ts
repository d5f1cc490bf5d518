import { newReplyToken } from './ids.ts';

// Reply tokens: issued with follow, message and postback events, usable once, within one minute.

interface ReplyTokenRecord {
  channelId: string;
  userId: string;
  expiresAt: number;
}

export const REPLY_TOKEN_TTL_MS = 60_000;

export class ReplyTokenStore {
  readonly #tokens = new Map<string, ReplyTokenRecord>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  issue(channelId: string, userId: string): string {
    const token = newReplyToken();
    const now = this.#clock();
    this.#tokens.set(token, { channelId, userId, expiresAt: now + REPLY_TOKEN_TTL_MS });
    if (this.#tokens.size > 10_000) this.#sweep(now);
    return token;
  }

  /** Uses the token up; returns the user it replies to, or undefined when invalid, used or expired. */
  consume(channelId: string, token: string): string | undefined {
    const record = this.#tokens.get(token);
    if (!record || record.channelId !== channelId) return undefined;
    this.#tokens.delete(token);
    if (this.#clock() > record.expiresAt) return undefined;
    return record.userId;
  }

  #sweep(now: number): void {
    for (const [token, record] of this.#tokens) if (record.expiresAt < now) this.#tokens.delete(token);
  }
}
