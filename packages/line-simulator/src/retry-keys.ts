// X-Line-Retry-Key bookkeeping: a key accepted once (per channel) is answered with 409 for 24 hours,
// and the simulator remembers which recipients the accepted request reached.

export interface AcceptedRetryKey {
  key: string;
  channelId: string;
  path: string;
  acceptedRequestId: string;
  acceptedAt: number;
  recipients: string[];
  /** Push answers carry `sentMessages`; repeated in the 409 body. */
  sentMessages?: { id: string; quoteToken?: string }[];
}

const RETENTION_MS = 24 * 60 * 60 * 1000;

export class RetryKeyStore {
  readonly #byChannelKey = new Map<string, AcceptedRetryKey>();
  readonly #byKey = new Map<string, AcceptedRetryKey>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  find(channelId: string, key: string): AcceptedRetryKey | undefined {
    const found = this.#byChannelKey.get(`${channelId}\n${key.toLowerCase()}`);
    if (found && this.#clock() - found.acceptedAt > RETENTION_MS) {
      this.#byChannelKey.delete(`${channelId}\n${key.toLowerCase()}`);
      return undefined;
    }
    return found;
  }

  accept(record: AcceptedRetryKey): void {
    const key = record.key.toLowerCase();
    this.#byChannelKey.set(`${record.channelId}\n${key}`, record);
    this.#byKey.set(key, record);
    if (this.#byKey.size % 10_000 === 0) this.#sweep();
  }

  /** Lookup for /_sim (any channel). */
  get(key: string): AcceptedRetryKey | undefined {
    return this.#byKey.get(key.toLowerCase());
  }

  #sweep(): void {
    const cutoff = this.#clock() - RETENTION_MS;
    for (const [k, v] of this.#byChannelKey) if (v.acceptedAt < cutoff) this.#byChannelKey.delete(k);
    for (const [k, v] of this.#byKey) if (v.acceptedAt < cutoff) this.#byKey.delete(k);
  }
}
