// Messages the consultee wrote that the server has not acknowledged yet. Each has a clientId
// (crypto.randomUUID) so the server stores it once however often it is resent. The list is kept in
// sessionStorage too, so a reload (or a tab the phone discarded) still sends them.

export interface OutboxEntry {
  clientId: string;
  text: string;
  /** When the consultee sent it (the browser's clock), ISO 8601. */
  createdAt: string;
}

/** The part of `Storage` the outbox uses (sessionStorage in the browser, a Map in tests). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function outboxKey(consultationId: string): string {
  return `madoguchi.consult.outbox.${consultationId}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.clientId === 'string' && typeof v.text === 'string' && typeof v.createdAt === 'string';
}

export class Outbox {
  readonly #key: string;
  readonly #storage: StorageLike | null;
  #entries: OutboxEntry[];

  constructor(consultationId: string, storage: StorageLike | null) {
    this.#key = outboxKey(consultationId);
    this.#storage = storage;
    this.#entries = this.#load();
  }

  /** Oldest first: the order they were written and must be resent in. */
  entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  get size(): number {
    return this.#entries.length;
  }

  has(clientId: string): boolean {
    return this.#entries.some((e) => e.clientId === clientId);
  }

  add(entry: OutboxEntry): void {
    if (this.has(entry.clientId)) return;
    this.#entries = [...this.#entries, entry];
    this.#save();
  }

  /** Removes the entry; false when it was not there (already acknowledged). */
  remove(clientId: string): boolean {
    const next = this.#entries.filter((e) => e.clientId !== clientId);
    if (next.length === this.#entries.length) return false;
    this.#entries = next;
    this.#save();
    return true;
  }

  /** Forgets the stored copy (the consultation is over); the entries stay in memory for display. */
  discardStored(): void {
    try {
      this.#storage?.removeItem(this.#key);
    } catch {
      // Nothing to do.
    }
  }

  #load(): OutboxEntry[] {
    try {
      const raw = this.#storage?.getItem(this.#key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
    } catch {
      return [];
    }
  }

  #save(): void {
    try {
      if (this.#entries.length === 0) this.#storage?.removeItem(this.#key);
      else this.#storage?.setItem(this.#key, JSON.stringify(this.#entries));
    } catch {
      // Storage full or blocked: the outbox still works for as long as the page is open.
    }
  }
}

/**
 * A random UUID (v4) for a message's clientId. crypto.randomUUID exists only on HTTPS (and localhost);
 * a city intranet served over plain HTTP still gets one from crypto.getRandomValues.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** sessionStorage, or null where the browser blocks it. */
export function sessionStorageOrNull(): StorageLike | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// The consultation this tab is in, per desk, so a reload goes back into it (sessionStorage: a shared
// school tablet forgets it when the tab is closed).
const currentKey = (slug: string) => `madoguchi.consult.current.${slug}`;

export function rememberConsultation(
  storage: StorageLike | null,
  slug: string,
  consultationId: string,
): void {
  try {
    storage?.setItem(currentKey(slug), consultationId);
  } catch {
    // A reload then starts over from the desk page.
  }
}

export function rememberedConsultation(storage: StorageLike | null, slug: string): string | null {
  try {
    return storage?.getItem(currentKey(slug)) || null;
  } catch {
    return null;
  }
}

export function forgetConsultation(storage: StorageLike | null, slug: string): void {
  try {
    storage?.removeItem(currentKey(slug));
  } catch {
    // Nothing to do.
  }
}
