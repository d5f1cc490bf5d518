import { describe, expect, it } from 'vitest';
import type { Message } from './api.ts';
import { Outbox, outboxKey, type StorageLike } from './outbox.ts';
import { ChatConnection, type SocketLike, type Timers } from './use-chat-socket.ts';

// The consultee's chat connection with a fake WebSocket, fake timers and a Map for sessionStorage.

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;

  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  serverSends(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
  }
  serverCloses() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  ofType(type: string) {
    return this.sent.filter((e) => e.type === type);
  }
}

class FakeTimers implements Timers {
  now = 0;
  #next = 1;
  #pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number) {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown) {
    this.#pending.delete(handle as number);
  }
  /** Moves the clock on, running due timers in order. */
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#pending.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at);
      const first = due[0];
      if (!first) break;
      this.#pending.delete(first[0]);
      this.now = first[1].at;
      first[1].fn();
    }
    this.now = until;
  }
  delays() {
    return [...this.#pending.values()].map((t) => t.at - this.now);
  }
}

class MapStorage implements StorageLike {
  map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

let seq = 0;
function msg(sender: Message['sender'], text: string, extra: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m${seq}`,
    sender,
    kind: 'text',
    text,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    clientId: null,
    accountName: null,
    ...extra,
  };
}

function setup(opts: { initial?: Message[]; storage?: MapStorage; online?: () => boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const storage = opts.storage ?? new MapStorage();
  const incoming: Message[] = [];
  let ids = 0;
  const connection = new ChatConnection({
    url: 'ws://test/ws/consult?consultationId=c1',
    consultationId: 'c1',
    initial: opts.initial ? { status: 'waiting', messages: opts.initial } : undefined,
    storage,
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers,
    now: () => timers.now,
    random: () => 0,
    newClientId: () => `client-${++ids}`,
    isOnline: opts.online,
    onIncoming: (m) => incoming.push(...m),
  });
  const latest = () => sockets.at(-1)!;
  return { connection, sockets, timers, storage, incoming, latest };
}

describe('ChatConnection', () => {
  it('resumes after the last message, reports visibility and sends', () => {
    const greeting = msg('system', 'ようこそ');
    const { connection, latest } = setup({ initial: [greeting] });
    connection.start();
    expect(connection.getSnapshot().connection).toBe('connecting');
    latest().open();
    expect(connection.getSnapshot().connection).toBe('open');
    expect(latest().sent.slice(0, 2)).toEqual([
      { type: 'resume', afterId: greeting.id },
      { type: 'visibility', visible: true },
    ]);

    const entry = connection.send('  こんにちは  ')!;
    expect(entry.text).toBe('こんにちは');
    expect(latest().ofType('message')).toEqual([
      { type: 'message', clientId: entry.clientId, text: 'こんにちは' },
    ]);
    expect(connection.getSnapshot().pending).toHaveLength(1);

    const stored = msg('consultee', 'こんにちは', { clientId: entry.clientId });
    latest().serverSends({ type: 'ack', clientId: entry.clientId, message: stored });
    const snap = connection.getSnapshot();
    expect(snap.pending).toHaveLength(0);
    expect(snap.messages.map((m) => m.id)).toEqual([greeting.id, stored.id]);
  });

  it('keeps unacknowledged messages through a dropped socket and resends them once, without duplicates', () => {
    const { connection, sockets, timers, storage, latest, incoming } = setup({ initial: [] });
    connection.start();
    latest().open();
    const a = connection.send('一つ目')!;
    const b = connection.send('二つ目')!;
    // The server stored "一つ目" but the socket died before the ack.
    const storedA = msg('consultee', '一つ目', { clientId: a.clientId });
    latest().serverCloses();
    expect(connection.getSnapshot().connection).toBe('reconnecting');
    expect(JSON.parse(storage.getItem(outboxKey('c1'))!)).toHaveLength(2);

    // Typed while disconnected: queued.
    const c = connection.send('三つ目')!;
    expect(connection.getSnapshot().pending.map((e) => e.text)).toEqual(['一つ目', '二つ目', '三つ目']);

    timers.advance(1_000);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(latest().sent[0]).toEqual({ type: 'resume', afterId: null });
    expect(
      latest()
        .ofType('message')
        .map((e) => e.clientId),
    ).toEqual([a.clientId, b.clientId, c.clientId]);

    // Resume brings the stored copy of "一つ目" and a counselor reply; the server acks duplicates too.
    const reply = msg('counselor', 'お返事です');
    latest().serverSends({ type: 'messages', messages: [storedA, reply] });
    latest().serverSends({ type: 'ack', clientId: a.clientId, message: storedA });
    const storedB = msg('consultee', '二つ目', { clientId: b.clientId });
    const storedC = msg('consultee', '三つ目', { clientId: c.clientId });
    latest().serverSends({ type: 'ack', clientId: b.clientId, message: storedB });
    latest().serverSends({ type: 'ack', clientId: c.clientId, message: storedC });
    latest().serverSends({ type: 'message', message: reply });

    const snap = connection.getSnapshot();
    expect(snap.pending).toEqual([]);
    expect(snap.messages.map((m) => m.text)).toEqual(['一つ目', 'お返事です', '二つ目', '三つ目']);
    expect(incoming.map((m) => m.text)).toEqual(['お返事です']);
    expect(storage.getItem(outboxKey('c1'))).toBeNull();
  });

  it('backs off 1 s, 2 s, 4 s, 8 s, 15 s, 15 s and starts over after a good connection', () => {
    const { connection, sockets, timers, latest } = setup({ initial: [] });
    connection.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      latest().serverCloses();
      delays.push(...timers.delays());
      timers.advance(timers.delays()[0]!);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    latest().open();
    latest().serverSends({ type: 'messages', messages: [] });
    latest().serverCloses();
    expect(timers.delays()).toEqual([1_000]);
    expect(sockets).toHaveLength(7);
  });

  it('treats a socket that never opens, or never acks, as dead', () => {
    const { connection, sockets, timers, latest } = setup({ initial: [] });
    connection.start();
    timers.advance(15_000);
    expect(sockets[0]!.closed).toBe(true);
    timers.advance(1_000);
    latest().open();
    connection.send('届いていますか');
    timers.advance(15_000);
    expect(sockets[1]!.closed).toBe(true);
    expect(connection.getSnapshot().connection).toBe('reconnecting');
    timers.advance(1_000);
    latest().open();
    expect(
      latest()
        .ofType('message')
        .map((e) => e.text),
    ).toEqual(['届いていますか']);
  });

  it('waits while offline and reconnects at once when back online', () => {
    let online = false;
    const { connection, sockets, latest } = setup({ initial: [], online: () => online });
    connection.start();
    expect(connection.getSnapshot().connection).toBe('offline');
    expect(sockets).toHaveLength(0);
    connection.send('オフラインで書いた');
    online = true;
    connection.setOnline(true);
    expect(sockets).toHaveLength(1);
    latest().open();
    expect(
      latest()
        .ofType('message')
        .map((e) => e.text),
    ).toEqual(['オフラインで書いた']);
  });

  it('resends what a previous page left in sessionStorage, and does not announce history', () => {
    const storage = new MapStorage();
    new Outbox('c1', storage).add({
      clientId: 'old-1',
      text: '再読み込み前',
      createdAt: '2026-01-01T00:00:00Z',
    });
    const { connection, latest, incoming } = setup({ storage });
    expect(connection.getSnapshot().synced).toBe(false);
    connection.start();
    latest().open();
    expect(latest().sent[0]).toEqual({ type: 'resume', afterId: null });
    expect(latest().ofType('message')).toEqual([
      { type: 'message', clientId: 'old-1', text: '再読み込み前' },
    ]);
    latest().serverSends({
      type: 'messages',
      messages: [msg('system', 'ようこそ'), msg('counselor', '前の返事')],
    });
    expect(connection.getSnapshot().synced).toBe(true);
    expect(incoming).toEqual([]);
    latest().serverSends({ type: 'message', message: msg('counselor', '新しい返事') });
    expect(incoming.map((m) => m.text)).toEqual(['新しい返事']);
  });

  it('drops the socket when the browser goes offline and resends when it is back', () => {
    const { connection, sockets, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    connection.setOnline(false);
    expect(sockets[0]!.closed).toBe(true);
    expect(connection.getSnapshot().connection).toBe('offline');
    connection.send('圏外で書いた');
    expect(sockets).toHaveLength(1);
    connection.setOnline(true);
    expect(sockets).toHaveLength(2);
    latest().open();
    expect(
      latest()
        .ofType('message')
        .map((e) => e.text),
    ).toEqual(['圏外で書いた']);
  });

  it('sends typing at most every 2 s and visibility changes', () => {
    const { connection, timers, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    connection.typing();
    connection.typing();
    timers.advance(1_999);
    connection.typing();
    timers.advance(1);
    connection.typing();
    expect(latest().ofType('typing')).toHaveLength(2);
    connection.setVisible(false);
    expect(latest().ofType('visibility').at(-1)).toEqual({ type: 'visibility', visible: false });
  });

  it('stops on a closed status; unsent messages stay visible but leave storage', () => {
    const { connection, storage, timers, sockets, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    connection.send('最後の一言');
    latest().serverSends({ type: 'status', status: 'closed' });
    const snap = connection.getSnapshot();
    expect(snap.status).toBe('closed');
    expect(snap.connection).toBe('stopped');
    expect(snap.pending).toHaveLength(1);
    expect(storage.getItem(outboxKey('c1'))).toBeNull();
    expect(connection.send('もう一度')).toBeNull();
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
  });

  it("orders by the server's sequence ids and resumes after the highest", () => {
    const { connection, sockets, timers, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    const at = '2026-01-01T00:00:00.000Z';
    latest().serverSends({
      type: 'messages',
      messages: [10, 9, 100].map((n) => msg('counselor', `#${n}`, { id: String(n), createdAt: at })),
    });
    expect(connection.getSnapshot().messages.map((m) => m.id)).toEqual(['9', '10', '100']);
    latest().serverCloses();
    timers.advance(1_000);
    sockets.at(-1)!.open();
    expect(latest().sent[0]).toEqual({ type: 'resume', afterId: '100' });
  });

  it('shows a message the server refuses for good as not sent, and does not resend it', () => {
    const { connection, timers, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    const entry = connection.send('だめなメッセージ')!;
    latest().serverSends({ type: 'error', code: 'MESSAGE_TOO_LONG', message: '', clientId: entry.clientId });
    const snap = connection.getSnapshot();
    expect(snap.pending).toEqual([]);
    expect(snap.failed.map((e) => e.clientId)).toEqual([entry.clientId]);
    timers.advance(60_000);
    expect(latest().ofType('message')).toHaveLength(1);
  });

  it('ignores internal notes and refuses overlong or empty messages', () => {
    const { connection, latest } = setup({ initial: [] });
    connection.start();
    latest().open();
    latest().serverSends({ type: 'message', message: msg('counselor', 'メモ', { kind: 'note' }) });
    expect(connection.getSnapshot().messages).toEqual([]);
    expect(connection.send('   ')).toBeNull();
    expect(connection.send('あ'.repeat(2001))).toBeNull();
    expect(connection.send('あ'.repeat(2000))).not.toBeNull();
  });
});
