// A token bucket for LINE's per-channel rate limits (multicast: 200 requests per second), kept as a
// schedule of start times (GCRA): each request reserves the next free slot, so concurrent senders
// are paced fairly and in order without polling. A 429 pauses the whole bucket.

export interface TokenBucketOptions {
  /** Requests per second. */
  ratePerSecond: number;
  /** Requests that may start at once after a quiet period (default: a tenth of a second's worth). */
  burst?: number;
  /** Milliseconds clock (tests inject one). */
  now?: () => number;
}

export class TokenBucket {
  readonly #interval: number;
  readonly #tolerance: number;
  readonly #now: () => number;
  /** Theoretical arrival time of the next request (ms). */
  #tat: number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    const burst = Math.max(1, Math.floor(opts.burst ?? opts.ratePerSecond / 10));
    this.#interval = 1000 / opts.ratePerSecond;
    this.#tolerance = (burst - 1) * this.#interval;
    this.#now = opts.now ?? Date.now;
    this.#tat = this.#now();
  }

  /** Reserves a slot; returns how many ms to wait before starting the request. */
  reserve(): number {
    const now = this.#now();
    if (this.#tat < now) this.#tat = now;
    const start = Math.max(now, this.#tat - this.#tolerance);
    this.#tat += this.#interval;
    return start - now;
  }

  /** Waits for a slot (resolves at once when one is free). */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** No request starts before `ms` from now (after a 429 with Retry-After, for every sender). */
  pause(ms: number): void {
    const until = this.#now() + ms + this.#tolerance;
    if (this.#tat < until) this.#tat = until;
  }
}
