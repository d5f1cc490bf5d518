// A bounded, in-memory log of every Messaging API request, for tests and the /_sim API.
// Bounded by count (20,000) and by weight (1 + recipients in `to`), so that a benchmark's
// thousands of 500-recipient multicasts cannot fill the memory.

export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: string;
  channelId: string | null;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status?: number;
  requestId?: string;
}

function weightOf(body: unknown): number {
  const to = (body as { to?: unknown } | null | undefined)?.to;
  return 1 + (Array.isArray(to) ? to.length : 0);
}

export class RequestLog {
  readonly #capacity: number;
  readonly #maxWeight: number;
  #entries: LoggedRequest[] = [];
  #weights: number[] = [];
  #head = 0;
  #weight = 0;
  #seq = 0;

  constructor(capacity = 20_000, maxWeight = 1_000_000) {
    this.#capacity = capacity;
    this.#maxWeight = maxWeight;
  }

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged: LoggedRequest = { seq: ++this.#seq, ...entry };
    const weight = weightOf(entry.body);
    this.#entries.push(logged);
    this.#weights.push(weight);
    this.#weight += weight;
    while (this.#entries.length - this.#head > this.#capacity || this.#weight > this.#maxWeight) {
      this.#weight -= this.#weights[this.#head]!;
      this.#head += 1;
    }
    if (this.#head > 4_096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#weights = this.#weights.slice(this.#head);
      this.#head = 0;
    }
    return logged;
  }

  /** Entries oldest first, optionally filtered by channel and path (a trailing `*` matches a prefix). */
  list(filter: { channelId?: string | undefined; path?: string | undefined } = {}): LoggedRequest[] {
    const { channelId, path } = filter;
    const prefix = path?.endsWith('*') ? path.slice(0, -1) : undefined;
    const out: LoggedRequest[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) {
      const e = this.#entries[i]!;
      if (channelId !== undefined && e.channelId !== channelId) continue;
      if (path !== undefined && (prefix !== undefined ? !e.path.startsWith(prefix) : e.path !== path))
        continue;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.#entries = [];
    this.#weights = [];
    this.#head = 0;
    this.#weight = 0;
  }
}
