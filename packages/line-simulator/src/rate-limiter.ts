import type { RateLimit, RateLimitGroup, RateLimitTable } from './options.ts';

/** A token bucket holding at most `requests` tokens, refilled at `requests / perMs` per ms. */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: RateLimit, now: number) {
    this.#capacity = limit.requests;
    this.#refillPerMs = limit.requests / limit.perMs;
    this.#tokens = limit.requests;
    this.#updatedAt = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now: number): boolean {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#refillPerMs);
      this.#updatedAt = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Per-channel, per-endpoint-group rate limits (LINE applies them per channel). */
export class RateLimiter {
  readonly #table: RateLimitTable | null;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(table: RateLimitTable | null, clock: () => number) {
    this.#table = table;
    this.#clock = clock;
  }

  /** True when the request may proceed. */
  allow(channelId: string, group: RateLimitGroup): boolean {
    if (!this.#table) return true;
    const key = `${channelId}\n${group}`;
    const now = this.#clock();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#table[group], now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now);
  }
}
