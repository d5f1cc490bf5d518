/**
 * Live state of the SNS consultations for this tab (C-12: one WebSocket per tab, plain data).
 *
 * - One WebSocket to /ws/console, opened while a signed-in account with consultation.handle or
 *   consultation.monitor is on any page (risk alerts and new arrivals are shown everywhere).
 * - Reconnects with exponential backoff + jitter; after a reconnect the lists and the open chat are
 *   fetched again (events sent while disconnected are lost).
 * - State is held in this module and read with useSyncExternalStore, per key ('list', 'meta',
 *   'chat:<id>', 'desks'), so an event only re-renders the components that show it.
 * - At most MAX_CHATS chats keep their messages in memory (least recently opened are dropped).
 */
import { useEffect, useSyncExternalStore } from 'react';
import { api, query } from '../../api/client.ts';
import type {
  ConsoleEvent,
  ConsultationDetail,
  ConsultationMessage,
  ConsultationRecord,
  ConsultationSummary,
  Desk,
  MessageKind,
  Presence,
} from '../../api/types.ts';

const MAX_CHATS = 30;
const MAX_RISK_ALERTS = 5;
const BACKOFF_MAX_MS = 30_000;
/** Keeps idle sockets open through proxies; the server ignores what the console sends. */
const KEEPALIVE_MS = 25_000;

// ---------------------------------------------------------------- tiny keyed store

type Listener = () => void;
const listeners = new Map<string, Set<Listener>>();

function subscribeKey(key: string, listener: Listener): () => void {
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(key);
  };
}

function emit(key: string): void {
  const set = listeners.get(key);
  if (set) for (const listener of [...set]) listener();
}

// ---------------------------------------------------------------- state

export type Connection = 'idle' | 'connecting' | 'open' | 'reconnecting';

export type RiskAlert = { key: number; consultationId: string; word: string; label: string | null };

export type ListState = {
  /** Every known consultation (waiting + active from the server, closed ones once loaded). */
  items: ConsultationSummary[];
  loaded: boolean;
  error: unknown;
  closedLoading: boolean;
  closedError: unknown;
};

export type MetaState = {
  connection: Connection;
  /** Waiting consultations that arrived while this tab was open and have not been opened yet. */
  unseen: ReadonlySet<string>;
  /** Incremented on each new arrival (re-triggers the polite announcement). */
  announceSeq: number;
  risks: RiskAlert[];
};

export type PendingMessage = {
  clientId: string;
  text: string;
  kind: MessageKind;
  state: 'sending' | 'failed';
  error: unknown;
};

export type ChatState = {
  loaded: boolean;
  loading: boolean;
  error: unknown;
  stale: boolean;
  consultation: ConsultationSummary | null;
  messages: ConsultationMessage[];
  record: ConsultationRecord | null;
  historyConfirmedAt: string | null;
  pastCount: number;
  pending: PendingMessage[];
  presence: Presence;
};

export type DesksState = { data: Desk[] | undefined; error: unknown; loading: boolean };

const summaries = new Map<string, ConsultationSummary>();
let list: ListState = { items: [], loaded: false, error: null, closedLoading: false, closedError: null };
let meta: MetaState = { connection: 'idle', unseen: new Set(), announceSeq: 0, risks: [] };
let desks: DesksState = { data: undefined, error: null, loading: false };
const chats = new Map<string, ChatState>();
/** Message ids per chat, for de-duplication (REST answer and WebSocket event carry the same message). */
const chatMessageIds = new Map<string, Set<string>>();
let viewedChatId: string | null = null;
let riskKey = 0;

const EMPTY_CHAT: ChatState = {
  loaded: false,
  loading: false,
  error: null,
  stale: false,
  consultation: null,
  messages: [],
  record: null,
  historyConfirmedAt: null,
  pastCount: 0,
  pending: [],
  presence: { online: false, typing: false },
};

function setList(patch: Partial<ListState>): void {
  list = { ...list, ...patch };
  emit('list');
}

function setMeta(patch: Partial<MetaState>): void {
  meta = { ...meta, ...patch };
  emit('meta');
}

function publishSummaries(): void {
  setList({ items: [...summaries.values()] });
}

function setChat(id: string, patch: Partial<ChatState>): void {
  const current = chats.get(id);
  if (!current) return;
  chats.set(id, { ...current, ...patch });
  emit(`chat:${id}`);
}

// ---------------------------------------------------------------- summaries

function markUnseen(id: string, add: boolean): void {
  if (add === meta.unseen.has(id)) return;
  const next = new Set(meta.unseen);
  if (add) next.add(id);
  else next.delete(id);
  setMeta(add ? { unseen: next, announceSeq: meta.announceSeq + 1 } : { unseen: next });
}

/** Adds or replaces one summary. `live`: it came from an event (or a refetch after reconnecting). */
function upsert(summary: ConsultationSummary, live: boolean): void {
  const previous = summaries.get(summary.id);
  summaries.set(summary.id, summary);
  const arrived = summary.status === 'waiting' && previous?.status !== 'waiting';
  if (live && arrived && viewedChatId !== summary.id) markUnseen(summary.id, true);
  if (summary.status !== 'waiting') markUnseen(summary.id, false);
  const chat = chats.get(summary.id);
  if (chat) setChat(summary.id, { consultation: summary });
}

/** Applies a summary returned by a REST call (assign, transfer…). */
export function applySummary(summary: ConsultationSummary): void {
  upsert(summary, false);
  publishSummaries();
}

async function fetchOpenLists(afterReconnect: boolean): Promise<void> {
  try {
    const [waiting, active] = await Promise.all([
      api.get<{ items: ConsultationSummary[] }>(`/api/consultations${query({ status: 'waiting' })}`),
      api.get<{ items: ConsultationSummary[] }>(`/api/consultations${query({ status: 'active' })}`),
    ]);
    const fresh = new Set<string>();
    for (const item of [...waiting.items, ...active.items]) {
      fresh.add(item.id);
      // Waiting consultations that appeared while disconnected count as new arrivals.
      upsert(item, afterReconnect);
    }
    // Open consultations that are no longer open (closed while we were away): drop them;
    // the 終了 list is loaded separately.
    for (const [id, item] of summaries) {
      if (item.status !== 'closed' && !fresh.has(id)) summaries.delete(id);
    }
    list = { ...list, loaded: true, error: null };
    publishSummaries();
  } catch (error) {
    setList({ error });
  }
}

/** Loads closed consultations (the 終了 list), optionally for one desk. */
export async function loadClosed(deskId: string): Promise<void> {
  setList({ closedLoading: true, closedError: null });
  try {
    const result = await api.get<{ items: ConsultationSummary[] }>(
      `/api/consultations${query({ status: 'closed', deskId })}`,
    );
    for (const item of result.items) upsert(item, false);
    list = { ...list, closedLoading: false };
    publishSummaries();
  } catch (error) {
    setList({ closedLoading: false, closedError: error });
  }
}

export function reloadLists(): Promise<void> {
  return fetchOpenLists(false);
}

// ---------------------------------------------------------------- events

function applyMessage(consultationId: string, message: ConsultationMessage): void {
  const summary = summaries.get(consultationId);
  if (summary && (summary.lastMessageAt ?? '') < message.createdAt) {
    upsert({ ...summary, lastMessageAt: message.createdAt }, false);
    publishSummaries();
  }
  const chat = chats.get(consultationId);
  if (!chat?.loaded) return;
  const ids = chatMessageIds.get(consultationId) ?? new Set<string>();
  chatMessageIds.set(consultationId, ids);
  const pending = message.clientId
    ? chat.pending.filter((p) => p.clientId !== message.clientId)
    : chat.pending;
  if (ids.has(message.id)) {
    if (pending !== chat.pending) setChat(consultationId, { pending });
    return;
  }
  ids.add(message.id);
  setChat(consultationId, { messages: [...chat.messages, message], pending });
}

function applyPresence(consultationId: string, presence: Presence): void {
  const summary = summaries.get(consultationId);
  // The lists only show online/offline: typing changes do not re-render them.
  if (summary && summary.presence.online !== presence.online) {
    summaries.set(consultationId, { ...summary, presence });
    publishSummaries();
  }
  if (chats.has(consultationId)) setChat(consultationId, { presence });
}

function applyRisk(consultationId: string, word: string): void {
  const summary = summaries.get(consultationId);
  if (summary && !summary.riskFlagged) {
    summaries.set(consultationId, { ...summary, riskFlagged: true });
    publishSummaries();
    const chat = chats.get(consultationId);
    if (chat) setChat(consultationId, { consultation: summaries.get(consultationId) ?? chat.consultation });
  }
  const alert: RiskAlert = { key: ++riskKey, consultationId, word, label: summary?.consulteeLabel ?? null };
  setMeta({ risks: [alert, ...meta.risks].slice(0, MAX_RISK_ALERTS) });
}

export function dismissRisk(key: number): void {
  setMeta({ risks: meta.risks.filter((r) => r.key !== key) });
}

export function clearUnseen(): void {
  if (meta.unseen.size > 0) setMeta({ unseen: new Set() });
}

function handleEvent(raw: unknown): void {
  if (!raw || typeof raw !== 'object') return;
  const event = raw as ConsoleEvent;
  switch (event.type) {
    case 'consultation':
      if (event.consultation?.id) {
        upsert(event.consultation, true);
        publishSummaries();
      }
      break;
    case 'message':
      if (event.consultationId && event.message?.id) applyMessage(event.consultationId, event.message);
      break;
    case 'presence':
      if (event.consultationId)
        applyPresence(event.consultationId, { online: !!event.online, typing: !!event.typing });
      break;
    case 'risk':
      if (event.consultationId) applyRisk(event.consultationId, String(event.word ?? ''));
      break;
  }
}

// ---------------------------------------------------------------- WebSocket

let users = 0;
let socket: WebSocket | null = null;
let retryTimer: number | undefined;
let keepAliveTimer: number | undefined;
let attempt = 0;
let everOpened = false;

function socketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/console`;
}

function connect(): void {
  if (users === 0) return;
  setMeta({ connection: everOpened ? 'reconnecting' : 'connecting' });
  let ws: WebSocket;
  try {
    ws = new WebSocket(socketUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.onopen = () => {
    if (socket !== ws) return;
    attempt = 0;
    const reconnected = everOpened;
    everOpened = true;
    setMeta({ connection: 'open' });
    window.clearInterval(keepAliveTimer);
    keepAliveTimer = window.setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
    }, KEEPALIVE_MS);
    if (reconnected) void resync();
  };
  ws.onmessage = (event) => {
    if (socket !== ws || typeof event.data !== 'string') return;
    try {
      handleEvent(JSON.parse(event.data));
    } catch {
      // Ignore a malformed frame.
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    window.clearInterval(keepAliveTimer);
    scheduleReconnect();
  };
  // onerror is always followed by onclose.
}

function scheduleReconnect(): void {
  if (users === 0) return;
  setMeta({ connection: 'reconnecting' });
  // 1 s, 2 s, 4 s … 30 s, with jitter so 23 counselors do not reconnect at the same moment.
  const base = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** attempt);
  attempt = Math.min(attempt + 1, 10);
  retryTimer = window.setTimeout(connect, base / 2 + Math.random() * (base / 2));
}

/** After a reconnect: the lists and the open chat may have missed events. */
async function resync(): Promise<void> {
  for (const [id, chat] of chats) if (chat.loaded) chats.set(id, { ...chat, stale: true });
  await fetchOpenLists(true);
  if (viewedChatId) void loadChat(viewedChatId);
}

/** Starts the live connection (reference-counted; StrictMode mounts twice). */
export function startLive(): () => void {
  users += 1;
  if (users === 1) {
    everOpened = false;
    attempt = 0;
    void fetchOpenLists(false);
    connect();
  }
  return () => {
    users -= 1;
    if (users === 0) stopLive();
  };
}

/** Closes the socket and forgets everything (sign-out: the next person must not see it). */
function stopLive(): void {
  window.clearTimeout(retryTimer);
  window.clearInterval(keepAliveTimer);
  const ws = socket;
  socket = null;
  ws?.close();
  summaries.clear();
  chats.clear();
  chatMessageIds.clear();
  drafts.clear();
  viewedChatId = null;
  list = { items: [], loaded: false, error: null, closedLoading: false, closedError: null };
  meta = { connection: 'idle', unseen: new Set(), announceSeq: 0, risks: [] };
  desks = { data: undefined, error: null, loading: false };
  for (const key of [...listeners.keys()]) emit(key);
}

// ---------------------------------------------------------------- chats

function touchChat(id: string): void {
  // Map keeps insertion order: re-insert to mark as most recently used, then drop the oldest.
  const chat = chats.get(id) ?? EMPTY_CHAT;
  chats.delete(id);
  chats.set(id, chat);
  while (chats.size > MAX_CHATS) {
    const oldest = chats.keys().next().value as string;
    chats.delete(oldest);
    chatMessageIds.delete(oldest);
    drafts.delete(oldest);
  }
}

async function loadChat(id: string): Promise<void> {
  touchChat(id);
  setChat(id, { loading: true });
  try {
    const detail = await api.get<ConsultationDetail>(`/api/consultations/${encodeURIComponent(id)}`);
    if (!chats.has(id)) return;
    const ids = new Set(detail.messages.map((m) => m.id));
    chatMessageIds.set(id, ids);
    const current = chats.get(id) ?? EMPTY_CHAT;
    // Messages that arrived by WebSocket while the request was running are kept.
    const extra = current.loaded ? current.messages.filter((m) => !ids.has(m.id)) : [];
    for (const m of extra) ids.add(m.id);
    const delivered = new Set(detail.messages.map((m) => m.clientId).filter(Boolean));
    upsert(detail.consultation, false);
    publishSummaries();
    setChat(id, {
      loaded: true,
      loading: false,
      error: null,
      stale: false,
      consultation: summaries.get(id) ?? detail.consultation,
      messages: extra.length ? [...detail.messages, ...extra] : detail.messages,
      record: detail.record,
      historyConfirmedAt: detail.historyConfirmedAt,
      pastCount: detail.pastCount,
      pending: current.pending.filter((p) => !delivered.has(p.clientId)),
      presence: detail.consultation.presence,
    });
  } catch (error) {
    setChat(id, { loading: false, error });
  }
}

/** The chat on screen: loads it when unknown or stale. Returns a function to call when it closes. */
export function openChat(id: string): () => void {
  viewedChatId = id;
  markUnseen(id, false);
  const chat = chats.get(id);
  if (!chat || (!chat.loaded && !chat.loading) || chat.stale) void loadChat(id);
  else touchChat(id);
  return () => {
    if (viewedChatId === id) viewedChatId = null;
  };
}

export function reloadChat(id: string): Promise<void> {
  return loadChat(id);
}

export function patchChat(id: string, patch: Partial<ChatState>): void {
  setChat(id, patch);
}

/** A client id for idempotent sending. crypto.randomUUID needs a secure context (the console is
 *  often opened over plain http inside the city network), so fall back to getRandomValues. */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function postPending(id: string, clientId: string): Promise<void> {
  const chat = chats.get(id);
  const item = chat?.pending.find((p) => p.clientId === clientId);
  if (!chat || !item) return;
  const update = (patch: Partial<PendingMessage>) => {
    const now = chats.get(id);
    if (now)
      setChat(id, { pending: now.pending.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p)) });
  };
  update({ state: 'sending', error: null });
  try {
    const message = await api.post<ConsultationMessage>(
      `/api/consultations/${encodeURIComponent(id)}/messages`,
      {
        clientId,
        text: item.text,
        kind: item.kind,
      },
    );
    applyMessage(id, message);
    const now = chats.get(id);
    if (now) setChat(id, { pending: now.pending.filter((p) => p.clientId !== clientId) });
  } catch (error) {
    update({ state: 'failed', error });
  }
}

/** Shows the message as pending at once and sends it with a fresh clientId. */
export function sendMessage(id: string, text: string, kind: MessageKind): void {
  const chat = chats.get(id);
  if (!chat) return;
  const clientId = newClientId();
  setChat(id, { pending: [...chat.pending, { clientId, text, kind, state: 'sending', error: null }] });
  void postPending(id, clientId);
}

/** 再送: same clientId, so the server stores it only once. */
export function resendMessage(id: string, clientId: string): void {
  void postPending(id, clientId);
}

export function discardPending(id: string, clientId: string): void {
  const chat = chats.get(id);
  if (chat) setChat(id, { pending: chat.pending.filter((p) => p.clientId !== clientId) });
}

// ---------------------------------------------------------------- drafts (not rendered state)

export type Draft = { reply: string; note: boolean; record: Record<string, string> | null };
const drafts = new Map<string, Draft>();

export function getDraft(id: string): Draft {
  return drafts.get(id) ?? { reply: '', note: false, record: null };
}

export function saveDraft(id: string, patch: Partial<Draft>): void {
  drafts.set(id, { ...getDraft(id), ...patch });
}

// ---------------------------------------------------------------- desks

let desksRequest: Promise<void> | null = null;

export function loadDesks(force = false): Promise<void> {
  if (desksRequest && !force) return desksRequest;
  desks = { ...desks, loading: true };
  emit('desks');
  desksRequest = api
    .get<Desk[]>('/api/desks')
    .then((data) => {
      desks = { data, error: null, loading: false };
    })
    .catch((error: unknown) => {
      desks = { ...desks, error, loading: false };
      desksRequest = null;
    })
    .finally(() => emit('desks'));
  return desksRequest;
}

// ---------------------------------------------------------------- hooks

export function useConsultationList(): ListState {
  return useSyncExternalStore(
    (l) => subscribeKey('list', l),
    () => list,
  );
}

export function useLiveMeta(): MetaState {
  return useSyncExternalStore(
    (l) => subscribeKey('meta', l),
    () => meta,
  );
}

export function useChat(id: string): ChatState {
  return useSyncExternalStore(
    (l) => subscribeKey(`chat:${id}`, l),
    () => chats.get(id) ?? EMPTY_CHAT,
  );
}

export function useDesks(): DesksState {
  const state = useSyncExternalStore(
    (l) => subscribeKey('desks', l),
    () => desks,
  );
  const missing = state.data === undefined && !state.loading && state.error === null;
  useEffect(() => {
    if (missing) void loadDesks();
  }, [missing]);
  return state;
}
