import { randomUUID } from 'node:crypto';
import type { Realtime } from '../../platform/realtime.ts';

// Whether a consultee has the chat screen open (C-09), across server processes. Each process keeps
// the state of its own sockets and announces changes; everyone aggregates the announcements.
// Every process also sends a heartbeat; what a process announced is forgotten once it has been
// silent for `expireMs` (it crashed or lost its database connection), so a chat does not stay
// "open" for ever.

const TYPING_MS = 4_000;
const HEARTBEAT_MS = 15_000;
const EXPIRE_MS = 50_000;

interface LocalState {
  sockets: number;
  visible: number;
  typingUntil: number;
}

export interface Presence {
  connected(consultationId: string): void;
  disconnected(consultationId: string, wasVisible: boolean): void;
  visibility(consultationId: string, visible: boolean, wasVisible: boolean): void;
  typing(consultationId: string): void;
  get(consultationId: string): { online: boolean; typing: boolean };
  /** Called for every presence event (local or remote) after the aggregate changed. */
  onChange(fn: (consultationId: string, state: { online: boolean; typing: boolean }) => void): void;
}

export function createPresence(
  realtime: Realtime,
  opts: { heartbeatMs?: number; expireMs?: number } = {},
): Presence {
  const processId = randomUUID();
  const expireMs = opts.expireMs ?? EXPIRE_MS;
  const lastHeard = new Map<string, number>();
  const local = new Map<string, LocalState>();
  const remote = new Map<string, Map<string, { online: boolean; typing: boolean }>>();
  const listeners: ((id: string, s: { online: boolean; typing: boolean }) => void)[] = [];

  const localState = (id: string) => {
    let s = local.get(id);
    if (!s) {
      s = { sockets: 0, visible: 0, typingUntil: 0 };
      local.set(id, s);
    }
    return s;
  };
  const announce = (id: string) => {
    const s = local.get(id);
    const online = !!s && s.visible > 0;
    const typing = online && !!s && s.typingUntil > Date.now();
    if (s && s.sockets === 0) local.delete(id);
    realtime.publish({ t: 'pres', c: id, p: processId, online, typing }).catch(() => {});
  };

  const heartbeat = setInterval(() => {
    realtime.publish({ t: 'alive', p: processId }).catch(() => {});
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  const sweep = setInterval(
    () => {
      const now = Date.now();
      const silent = new Set([...lastHeard].filter(([, at]) => now - at > expireMs).map(([p]) => p));
      if (silent.size === 0) return;
      for (const p of silent) lastHeard.delete(p);
      for (const [id, byProcess] of remote) {
        if (![...byProcess.keys()].some((p) => silent.has(p))) continue;
        for (const p of silent) byProcess.delete(p);
        if (byProcess.size === 0) remote.delete(id);
        const state = get(id);
        for (const fn of listeners) fn(id, state);
      }
    },
    Math.max(10, Math.floor(expireMs / 5)),
  );
  sweep.unref();

  realtime.subscribe((e) => {
    if (e.t === 'alive') lastHeard.set(e.p, Date.now());
    if (e.t !== 'pres') return;
    lastHeard.set(e.p, Date.now());
    let byProcess = remote.get(e.c);
    if (!byProcess) {
      byProcess = new Map();
      remote.set(e.c, byProcess);
    }
    if (e.online) byProcess.set(e.p, { online: e.online, typing: e.typing });
    else byProcess.delete(e.p);
    if (byProcess.size === 0) remote.delete(e.c);
    const state = get(e.c);
    for (const fn of listeners) fn(e.c, state);
  });

  function get(id: string) {
    const states = [...(remote.get(id)?.values() ?? [])];
    return { online: states.some((s) => s.online), typing: states.some((s) => s.typing) };
  }

  return {
    connected(id) {
      localState(id).sockets++;
    },
    disconnected(id, wasVisible) {
      const s = localState(id);
      s.sockets = Math.max(0, s.sockets - 1);
      if (wasVisible) s.visible = Math.max(0, s.visible - 1);
      announce(id);
    },
    visibility(id, visible, wasVisible) {
      const s = localState(id);
      if (visible && !wasVisible) s.visible++;
      if (!visible && wasVisible) s.visible = Math.max(0, s.visible - 1);
      if (!visible) s.typingUntil = 0;
      announce(id);
    },
    typing(id) {
      const s = localState(id);
      const wasTyping = s.typingUntil > Date.now();
      s.typingUntil = Date.now() + TYPING_MS;
      if (!wasTyping) {
        announce(id);
        setTimeout(() => {
          if (local.has(id) && localState(id).typingUntil <= Date.now()) announce(id);
        }, TYPING_MS + 50).unref();
      }
    },
    get,
    onChange(fn) {
      listeners.push(fn);
    },
  };
}
