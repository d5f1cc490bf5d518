import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api.ts';
import type { Toast } from './components/Toasts.tsx';
import { loadSent, saveSent } from './storage.ts';
import type { SentEntry } from './types.ts';

export interface Polled<T> {
  data: T | undefined;
  error: string | null;
  refresh: () => void;
}

/**
 * Fetches now and then every intervalMs while key is not null; a new key starts over.
 * The data only changes (and re-renders) when its JSON changes; refresh() polls at once.
 */
export function usePolling<T>(
  key: string | null,
  fetcher: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): Polled<T> {
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: string | null }>({
    key,
    data: undefined,
    error: null,
  });
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const kick = useRef<() => void>(() => {});

  useEffect(() => {
    setState({ key, data: undefined, error: null });
    if (key === null) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    let again = false;
    let lastJson = '';
    const tick = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      clearTimeout(timer);
      try {
        const data = await fetcherRef.current(ctrl.signal);
        const json = JSON.stringify(data);
        if (json !== lastJson) {
          lastJson = json;
          setState({ key, data, error: null });
        } else {
          setState((s) => (s.error ? { ...s, error: null } : s));
        }
      } catch (err) {
        if (ctrl.signal.aborted) return;
        const error = describeError(err);
        setState((s) => (s.error === error ? s : { ...s, error }));
      } finally {
        running = false;
      }
      if (ctrl.signal.aborted) return;
      if (again) {
        again = false;
        void tick();
      } else {
        timer = setTimeout(tick, intervalMs);
      }
    };
    kick.current = () => void tick();
    void tick();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
      kick.current = () => {};
    };
  }, [key, intervalMs]);

  const refresh = useCallback(() => kick.current(), []);
  // Never show another key's data while the new key loads.
  return state.key === key
    ? { data: state.data, error: state.error, refresh }
    : { data: undefined, error: null, refresh };
}

let nextId = 1;

/** What the user sent in this talk, kept in sessionStorage. */
export function useSent(userId: string | null, channelId: string | null) {
  const key = userId && channelId ? `${userId}\n${channelId}` : null;
  const [state, setState] = useState<{ key: string | null; entries: SentEntry[] }>(() => ({
    key,
    entries: userId && channelId ? loadSent(userId, channelId) : [],
  }));
  let current = state;
  if (state.key !== key) {
    current = { key, entries: userId && channelId ? loadSent(userId, channelId) : [] };
    setState(current);
  }

  useEffect(() => {
    if (!state.key) return;
    const [u, c] = state.key.split('\n');
    if (u && c) saveSent(u, c, state.entries);
  }, [state]);

  const add = useCallback(
    (message: SentEntry['message'], entryState: SentEntry['state'] = 'sending'): string => {
      const id = `local-${Date.now().toString(36)}-${nextId++}`;
      setState((s) => ({
        ...s,
        entries: [...s.entries, { id, at: Date.now(), message, state: entryState }],
      }));
      return id;
    },
    [],
  );
  const update = useCallback((id: string, patch: Partial<SentEntry>) => {
    setState((s) => ({ ...s, entries: s.entries.map((e) => (e.id === id ? { ...e, ...patch } : e)) }));
  }, []);

  return { entries: current.entries, add, update };
}

let nextToast = 1;

export type ShowToast = ReturnType<typeof useToasts>['show'];

export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (kind: Toast['kind'], text: string, link?: Toast['link']) => {
      const id = nextToast++;
      setToasts((ts) => [...ts.slice(-3), { id, kind, text, ...(link ? { link } : {}) }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );
  return { toasts, show, dismiss };
}
