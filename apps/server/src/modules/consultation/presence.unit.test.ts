import { describe, expect, it } from 'vitest';
import type { Realtime, RealtimeEvent } from '../../platform/realtime.ts';
import { createPresence } from './presence.ts';

// An in-memory stand-in for LISTEN/NOTIFY: every publish reaches every subscriber.
function memoryRealtime(): Realtime & { events: RealtimeEvent[] } {
  const listeners = new Set<(e: RealtimeEvent) => void>();
  const events: RealtimeEvent[] = [];
  return {
    events,
    async publish(e) {
      events.push(e);
      for (const fn of listeners) fn(e);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {},
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('presence across processes (C-09)', () => {
  it('C-09: a chat is open while any process reports it visible, closed when the last one leaves', async () => {
    const rt = memoryRealtime();
    const presence = createPresence(rt);
    presence.connected('c1');
    presence.visibility('c1', true, false);
    await sleep(0);
    expect(presence.get('c1')).toEqual({ online: true, typing: false });
    presence.typing('c1');
    await sleep(0);
    expect(presence.get('c1').typing).toBe(true);
    presence.disconnected('c1', true);
    await sleep(0);
    expect(presence.get('c1')).toEqual({ online: false, typing: false });
  });

  it('C-09: what a silent (crashed) process announced expires; a live one keeps its chats open', async () => {
    const rt = memoryRealtime();
    const presence = createPresence(rt, { heartbeatMs: 20, expireMs: 120 });
    const changes: [string, boolean][] = [];
    presence.onChange((id, s) => changes.push([id, s.online]));
    // Another process announces an open chat and then goes silent.
    await rt.publish({ t: 'pres', c: 'crashed-chat', p: 'other-process', online: true, typing: false });
    // This process has a chat of its own open and keeps sending heartbeats.
    presence.connected('own-chat');
    presence.visibility('own-chat', true, false);
    expect(presence.get('crashed-chat').online).toBe(true);
    for (let i = 0; i < 50 && presence.get('crashed-chat').online; i++) await sleep(20);
    expect(presence.get('crashed-chat').online).toBe(false);
    expect(changes).toContainEqual(['crashed-chat', false]);
    expect(presence.get('own-chat').online).toBe(true);
    expect(rt.events.some((e) => e.t === 'alive')).toBe(true);
  });
});
