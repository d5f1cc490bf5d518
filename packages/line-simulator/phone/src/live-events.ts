import { useEffect, useRef, useState } from 'react';
import type { SimEvent } from './types.ts';

/**
 * Server-sent events (`/_sim/events`) make the phone react at once; polling stays as the fallback.
 * Returns whether the LINE loading animation shows: it ends when the account's next message
 * arrives (`accountCount` grows) or when its time is up.
 */
export function useLiveEvents({
  userId,
  channelId,
  accountCount,
  refreshInbox,
  refreshMenu,
  refreshUsers,
}: {
  userId: string | null;
  channelId: string | null;
  /** How many messages the account has sent in this talk. */
  accountCount: number;
  refreshInbox: () => void;
  refreshMenu: () => void;
  refreshUsers: () => void;
}): boolean {
  const accountCountRef = useRef(accountCount);
  accountCountRef.current = accountCount;
  const [loading, setLoading] = useState<{ until: number; count: number } | null>(null);
  useEffect(() => {
    setLoading(null);
    if (!userId || !channelId || typeof EventSource === 'undefined') return;
    const source = new EventSource('/_sim/events');
    const on = (type: SimEvent['type'], handle: (event: SimEvent) => void) =>
      source.addEventListener(type, (msg) => {
        try {
          const event = JSON.parse((msg as MessageEvent<string>).data) as SimEvent;
          if (event.channelId === channelId) handle(event);
        } catch {
          // ignore malformed events
        }
      });
    const forMe = (ids: string[] | 'all' | undefined) =>
      ids === undefined || ids === 'all' || ids.includes(userId);
    on('delivery', (e) => e.type === 'delivery' && forMe(e.userIds) && refreshInbox());
    on('richmenu', (e) => e.type === 'richmenu' && forMe(e.userIds) && refreshMenu());
    on('follow', (e) => {
      if (e.type !== 'follow' || e.userId !== userId) return;
      refreshUsers();
      refreshMenu();
    });
    on('loading', (e) => {
      if (e.type !== 'loading' || e.userId !== userId) return;
      setLoading({ until: Date.now() + (e.seconds ?? 5) * 1000, count: accountCountRef.current });
    });
    return () => source.close();
  }, [userId, channelId, refreshInbox, refreshMenu, refreshUsers]);
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(() => setLoading(null), Math.max(0, loading.until - Date.now()));
    return () => clearTimeout(timer);
  }, [loading]);
  return loading !== null && loading.count === accountCount;
}
