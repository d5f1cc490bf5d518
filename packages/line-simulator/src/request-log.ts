// A bounded, in-memory log of every Messaging API request, for tests and the /_sim API.

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

export class RequestLog {
  readonly #capacity: number;
  #entries: LoggedRequest[] = [];
  #start = 0;
  #seq = 0;

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged: LoggedRequest = { seq: ++this.#seq, ...entry };
    if (this.#entries.length < this.#capacity) {
      this.#entries.push(logged);
    } else {
      this.#entries[this.#start] = logged;
      this.#start = (this.#start + 1) % this.#capacity;
    }
    return logged;
  }

  /** Entries oldest first, optionally filtered by channel and path (a trailing `*` matches a prefix). */
  list(filter: { channelId?: string | undefined; path?: string | undefined } = {}): LoggedRequest[] {
    const ordered = [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)];
    const { channelId, path } = filter;
    const prefix = path?.endsWith('*') ? path.slice(0, -1) : undefined;
    return ordered.filter(
      (e) =>
        (channelId === undefined || e.channelId === channelId) &&
        (path === undefined || (prefix !== undefined ? e.path.startsWith(prefix) : e.path === path)),
    );
  }

  clear(): void {
    this.#entries = [];
    this.#start = 0;
  }
}
