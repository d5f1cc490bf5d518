import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type ConsultationStatus, MAX_MESSAGE_LENGTH, type Message } from './api.ts';
import { newClientId, Outbox, type OutboxEntry, type StorageLike } from './outbox.ts';

// The consultee's WebSocket (`/ws/consult`) and the outbox, in a plain class (ChatConnection) that
// tests drive with a fake socket and fake timers, plus a thin React hook (useChatSocket).
//
// Never lose a message:
//   - send() puts the message in the outbox (memory + sessionStorage) before anything else; it leaves
//     only when the server's `ack` for its clientId (or the stored message itself) comes back.
//   - On every (re)connect: `resume` with the id of the last message received, `visibility`, then
//     every unacknowledged message again, oldest first. The server stores a clientId once and acks
//     duplicates with the stored message, and the list de-duplicates by message id.
//   - Reconnects with exponential backoff (1 s, 2 s, 4 s, 8 s, 15 s, 15 s …), immediately when the
//     browser comes back online or the page becomes visible again. A socket that does not open
//     within 15 s, or does not ack within 15 s, is treated as dead (flaky mobile networks often
//     leave a connection half-open without a close event).

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'stopped';

export interface ChatSnapshot {
  connection: ConnectionState;
  /** null until the server has said (a reload goes straight to the socket). */
  status: ConsultationStatus | null;
  /** Stored messages, oldest first, unique by id. */
  messages: readonly Message[];
  /** Written here but not acknowledged yet, oldest first. Undeliverable once `status` is closed. */
  pending: readonly OutboxEntry[];
  /** Messages the server refused for good (e.g. too long); shown as not sent. */
  failed: readonly OutboxEntry[];
  /** False until the first history arrives (after a reload). */
  synced: boolean;
  /** The last `error` event. */
  lastError: { code: string; message: string } | null;
  /** Set when the server refused this consultation on the socket: no more reconnects. */
  fatal: string | null;
}

/** What ChatConnection needs of a WebSocket (the browser's WebSocket fits). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ChatConnectionOptions {
  url: string;
  consultationId: string;
  /** From `POST /api/consult/start`; omitted after a reload (the socket's resume then sends them). */
  initial?: { status: ConsultationStatus; messages: readonly Message[] };
  storage?: StorageLike | null;
  createSocket?: (url: string) => SocketLike;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
  newClientId?: () => string;
  isOnline?: () => boolean;
  isVisible?: () => boolean;
  /** Counselor and system messages that are new to the consultee (not the history on load). */
  onIncoming?: (messages: Message[]) => void;
  /** The consultation is over (a `status` event, an end request) or the server refused it. */
  onClosed?: () => void;
}

export const BACKOFF_MIN_MS = 1_000;
export const BACKOFF_MAX_MS = 15_000;
export const CONNECT_TIMEOUT_MS = 15_000;
export const ACK_TIMEOUT_MS = 15_000;
export const TYPING_INTERVAL_MS = 2_000;

/** Codes of `error` events after which this consultation cannot be used from this page any more. */
const FATAL_CODES = new Set([
  'CONSULTATION_NOT_FOUND',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CITIZEN_UNAUTHENTICATED',
  'CONSULTEE_UNAUTHENTICATED',
]);

/** Codes of `error` events (with the message's clientId) that resending the same message cannot fix. */
const REFUSED_MESSAGE_CODES = new Set(['MESSAGE_TOO_LONG', 'MESSAGE_EMPTY', 'INVALID_MESSAGE']);

const OPEN = 1;

type ServerEvent =
  | { type: 'ack'; clientId: string; message: Message }
  | { type: 'message'; message: Message }
  | { type: 'messages'; messages: Message[] }
  | { type: 'status'; status: ConsultationStatus }
  | { type: 'error'; code: string; message: string; clientId?: string };

function isMessage(value: unknown): value is Message {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && typeof m.text === 'string' && typeof m.sender === 'string';
}

function parseEvent(data: unknown): ServerEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const e = value as Record<string, unknown>;
  switch (e.type) {
    case 'ack':
      return typeof e.clientId === 'string' && isMessage(e.message) ? (e as ServerEvent) : null;
    case 'message':
      return isMessage(e.message) ? (e as ServerEvent) : null;
    case 'messages':
      return Array.isArray(e.messages) ? { type: 'messages', messages: e.messages.filter(isMessage) } : null;
    case 'status':
      return e.status === 'waiting' || e.status === 'active' || e.status === 'closed'
        ? (e as ServerEvent)
        : null;
    case 'error':
      return {
        type: 'error',
        code: String(e.code ?? 'UNKNOWN'),
        message: String(e.message ?? ''),
        ...(typeof e.clientId === 'string' ? { clientId: e.clientId } : {}),
      };
    default:
      return null;
  }
}

const time = (m: Message) => {
  const t = Date.parse(m.createdAt);
  return Number.isNaN(t) ? 0 : t;
};

const NUMERIC = /^\d+$/;

/**
 * Message order: by id when the ids are sequence numbers (the server's order, and what `afterId`
 * means), otherwise by time.
 */
export function compareMessages(a: Message, b: Message): number {
  if (NUMERIC.test(a.id) && NUMERIC.test(b.id)) {
    return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  return time(a) - time(b);
}

const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ChatConnection {
  readonly #opts: ChatConnectionOptions;
  readonly #outbox: Outbox;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #listeners = new Set<() => void>();
  #snapshot: ChatSnapshot;
  #socket: SocketLike | null = null;
  #running = false;
  #everOpened = false;
  #attempt = 0;
  #reconnectTimer: unknown = null;
  #connectTimer: unknown = null;
  #ackTimer: unknown = null;
  #visible: boolean;
  #lastTypingAt = Number.NEGATIVE_INFINITY;
  #onlineHint = true;

  constructor(opts: ChatConnectionOptions) {
    this.#opts = opts;
    this.#outbox = new Outbox(opts.consultationId, opts.storage ?? null);
    this.#timers = opts.timers ?? defaultTimers;
    this.#now = opts.now ?? Date.now;
    this.#visible = opts.isVisible?.() ?? true;
    const messages = ChatConnection.#merge([], opts.initial?.messages ?? []).list;
    // Messages the server already has (their ack was lost) leave the outbox now.
    for (const m of messages) if (m.clientId) this.#outbox.remove(m.clientId);
    this.#snapshot = {
      connection: opts.initial?.status === 'closed' ? 'stopped' : 'connecting',
      status: opts.initial?.status ?? null,
      messages,
      pending: this.#outbox.entries(),
      failed: [],
      synced: opts.initial !== undefined,
      lastError: null,
      fatal: null,
    };
    if (this.#snapshot.status === 'closed') this.#outbox.discardStored();
  }

  // --- store (for useSyncExternalStore) ---

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): ChatSnapshot => this.#snapshot;

  #update(patch: Partial<ChatSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const listener of this.#listeners) listener();
  }

  // --- lifecycle ---

  /** Connects (again). Safe to call twice; React's StrictMode does. */
  start(): void {
    if (this.#running || this.#stopped()) return;
    this.#running = true;
    this.#connect();
  }

  /** Closes the socket and stops reconnecting. The outbox stays for the next start(). */
  stop(): void {
    this.#running = false;
    this.#clearTimers();
    this.#dropSocket();
  }

  /** Reconnect now instead of waiting for the backoff (online again, page visible again). */
  retryNow(): void {
    if (!this.#running || this.#stopped() || this.#socket) return;
    this.#attempt = 0;
    this.#connect();
  }

  /**
   * The browser's `online` / `offline` events. Going offline means the connection is gone (the
   * network interface went away), so the socket is dropped at once and the page says so.
   */
  setOnline(online: boolean): void {
    this.#onlineHint = online;
    if (online) this.retryNow();
    else if (this.#running && !this.#stopped()) this.#connect();
  }

  setVisible(visible: boolean): void {
    this.#visible = visible;
    this.#sendEvent({ type: 'visibility', visible });
    if (visible) this.retryNow();
  }

  // --- consultee actions ---

  /**
   * Queues a message (trimmed) and sends it when connected. Returns the outbox entry, or null when
   * there is nothing to send, it is too long, or the consultation is closed.
   */
  send(text: string): OutboxEntry | null {
    const body = text.trim();
    if (!body || body.length > MAX_MESSAGE_LENGTH || this.#stopped()) return null;
    const entry: OutboxEntry = {
      clientId: (this.#opts.newClientId ?? newClientId)(),
      text: body,
      createdAt: new Date(this.#now()).toISOString(),
    };
    this.#outbox.add(entry);
    this.#update({ pending: this.#outbox.entries() });
    if (this.#sendEvent({ type: 'message', clientId: entry.clientId, text: entry.text })) this.#armAckTimer();
    return entry;
  }

  /** Call on every keystroke; sends `typing` at most every 2 s. */
  typing(): void {
    const now = this.#now();
    if (now - this.#lastTypingAt < TYPING_INTERVAL_MS) return;
    if (this.#sendEvent({ type: 'typing' })) this.#lastTypingAt = now;
  }

  /** The consultation ended (e.g. the consultee's end request succeeded). */
  markClosed(): void {
    this.#applyStatus('closed');
  }

  // --- connection ---

  #isOnline(): boolean {
    return this.#onlineHint && (this.#opts.isOnline?.() ?? true);
  }

  #stopped(): boolean {
    return this.#snapshot.status === 'closed' || this.#snapshot.fatal !== null;
  }

  #connect(): void {
    this.#clearTimers();
    this.#dropSocket();
    if (!this.#running || this.#stopped()) return;
    if (!this.#isOnline()) {
      // Wait for the `online` event, but also try now and then: onLine is not always right.
      this.#update({ connection: 'offline' });
      this.#reconnectTimer = this.#timers.set(() => this.#connect(), BACKOFF_MAX_MS);
      return;
    }
    this.#update({ connection: this.#everOpened || this.#attempt > 0 ? 'reconnecting' : 'connecting' });

    let socket: SocketLike;
    try {
      socket = (this.#opts.createSocket ?? ((url) => new WebSocket(url)))(this.#opts.url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    this.#connectTimer = this.#timers.set(() => {
      if (this.#socket === socket && socket.readyState !== OPEN) this.#lost();
    }, CONNECT_TIMEOUT_MS);

    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#timers.clear(this.#connectTimer);
      this.#everOpened = true;
      this.#update({ connection: 'open' });
      const last = this.#snapshot.messages.at(-1);
      this.#sendEvent({ type: 'resume', afterId: last?.id ?? null });
      this.#sendEvent({ type: 'visibility', visible: this.#visible });
      for (const entry of this.#outbox.entries()) {
        this.#sendEvent({ type: 'message', clientId: entry.clientId, text: entry.text });
      }
      if (this.#outbox.size > 0) this.#armAckTimer();
    };
    socket.onmessage = (ev) => {
      if (this.#socket !== socket) return;
      const event = parseEvent(ev.data);
      if (event) this.#handle(event);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#lost();
    };
    socket.onerror = () => {
      // A close event follows.
    };
  }

  /** The socket is gone (closed, or presumed dead): reconnect later. */
  #lost(): void {
    this.#dropSocket();
    this.#clearTimers();
    if (this.#running && !this.#stopped()) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.#attempt);
    const jitter = 1 + 0.2 * (this.#opts.random ?? Math.random)();
    const delay = Math.min(BACKOFF_MAX_MS, Math.round(base * jitter));
    this.#attempt += 1;
    this.#update({ connection: this.#isOnline() ? 'reconnecting' : 'offline' });
    this.#reconnectTimer = this.#timers.set(() => this.#connect(), delay);
  }

  #dropSocket(): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = null;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(1000);
    } catch {
      // Already closed.
    }
  }

  #clearTimers(): void {
    for (const timer of [this.#reconnectTimer, this.#connectTimer, this.#ackTimer]) {
      if (timer !== null) this.#timers.clear(timer);
    }
    this.#reconnectTimer = null;
    this.#connectTimer = null;
    this.#ackTimer = null;
  }

  #armAckTimer(): void {
    if (this.#ackTimer !== null) return;
    this.#ackTimer = this.#timers.set(() => {
      this.#ackTimer = null;
      if (this.#outbox.size > 0 && this.#socket) this.#lost();
    }, ACK_TIMEOUT_MS);
  }

  #resetAckTimer(): void {
    if (this.#ackTimer !== null) this.#timers.clear(this.#ackTimer);
    this.#ackTimer = null;
    if (this.#outbox.size > 0 && this.#socket) this.#armAckTimer();
  }

  #sendEvent(event: Record<string, unknown>): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(event));
      return true;
    } catch {
      return false;
    }
  }

  // --- server events ---

  #handle(event: ServerEvent): void {
    switch (event.type) {
      case 'ack':
        this.#outbox.remove(event.clientId);
        this.#receive([event.message], false);
        this.#attempt = 0;
        break;
      case 'message':
        this.#receive([event.message], true);
        break;
      case 'messages': {
        // The answer to `resume`: the connection works, so the backoff starts over.
        this.#attempt = 0;
        const history = !this.#snapshot.synced;
        this.#receive(event.messages, !history);
        if (history) this.#update({ synced: true });
        break;
      }
      case 'status':
        this.#applyStatus(event.status);
        break;
      case 'error':
        this.#update({ lastError: { code: event.code, message: event.message } });
        if (event.code === 'CONSULTATION_CLOSED') this.#applyStatus('closed');
        else if (event.clientId && REFUSED_MESSAGE_CODES.has(event.code)) this.#refuse(event.clientId);
        else if (FATAL_CODES.has(event.code)) {
          this.#update({ fatal: event.code, connection: 'stopped' });
          this.stop();
          this.#outbox.discardStored();
          this.#opts.onClosed?.();
        }
        break;
    }
  }

  #receive(incoming: readonly Message[], announce: boolean): void {
    const visible = incoming.filter((m) => m.kind !== 'note');
    for (const m of visible) if (m.clientId) this.#outbox.remove(m.clientId);
    const { list, added } = ChatConnection.#merge(this.#snapshot.messages, visible);
    // Outbox.entries() is a new array only after a change.
    const pendingChanged = this.#outbox.entries() !== this.#snapshot.pending;
    if (added.length === 0 && !pendingChanged) return;
    this.#update({ messages: list, pending: this.#outbox.entries() });
    if (pendingChanged) this.#resetAckTimer();
    const fresh = added.filter((m) => m.sender !== 'consultee');
    if (announce && fresh.length > 0) this.#opts.onIncoming?.(fresh);
  }

  /** The server will never take this message (resending cannot help): show it as not sent. */
  #refuse(clientId: string): void {
    const entry = this.#outbox.entries().find((e) => e.clientId === clientId);
    if (!entry) return;
    this.#outbox.remove(clientId);
    this.#update({ pending: this.#outbox.entries(), failed: [...this.#snapshot.failed, entry] });
    this.#resetAckTimer();
  }

  #applyStatus(status: ConsultationStatus): void {
    if (this.#snapshot.status === status) return;
    this.#update({ status });
    if (status === 'closed') {
      // Nothing more can be delivered: keep the unsent messages on screen, not in storage.
      this.#outbox.discardStored();
      this.stop();
      this.#update({ connection: 'stopped' });
      this.#opts.onClosed?.();
    }
  }

  /** Adds the messages not yet in `list` (by id), keeping the list in time order. */
  static #merge(
    list: readonly Message[],
    incoming: readonly Message[],
  ): { list: readonly Message[]; added: Message[] } {
    const known = new Set(list.map((m) => m.id));
    const added: Message[] = [];
    for (const m of incoming) {
      if (known.has(m.id)) continue;
      known.add(m.id);
      added.push(m);
    }
    if (added.length === 0) return { list, added };
    const next = [...list];
    for (const m of added) {
      // Usually the newest: append; otherwise insert after the last message not after it.
      let i = next.length;
      while (i > 0 && compareMessages(next[i - 1]!, m) > 0) i -= 1;
      next.splice(i, 0, m);
    }
    return { list: next, added };
  }
}

/** Wires a ChatConnection to the page: online/offline, page visibility, bfcache restores. */
export function attachToBrowser(connection: ChatConnection): () => void {
  const online = () => connection.setOnline(true);
  const offline = () => connection.setOnline(false);
  const visibility = () => connection.setVisible(document.visibilityState === 'visible');
  const pageshow = () => connection.retryNow();
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', visibility);
  window.addEventListener('pageshow', pageshow);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visibility);
    window.removeEventListener('pageshow', pageshow);
  };
}

/** The chat connection for one consultation, started while the component is mounted. */
export function useChatSocket(
  options: Omit<ChatConnectionOptions, 'storage' | 'isOnline' | 'isVisible'> & {
    storage: StorageLike | null;
  },
): { snapshot: ChatSnapshot; connection: ChatConnection } {
  // The callbacks may change between renders; the connection calls the latest ones.
  const callbacks = useRef(options);
  callbacks.current = options;
  const [connection] = useState(
    () =>
      new ChatConnection({
        ...options,
        onIncoming: (messages) => callbacks.current.onIncoming?.(messages),
        onClosed: () => callbacks.current.onClosed?.(),
        isOnline: () => navigator.onLine !== false,
        isVisible: () => document.visibilityState === 'visible',
      }),
  );
  useEffect(() => {
    connection.start();
    const detach = attachToBrowser(connection);
    return () => {
      detach();
      connection.stop();
    };
  }, [connection]);
  const snapshot = useSyncExternalStore(connection.subscribe, connection.getSnapshot);
  return { snapshot, connection };
}
