import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';

export type ApiState<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Re-fetches; `quiet` keeps the current data on screen (used for polling). */
  reload: (quiet?: boolean) => Promise<void>;
  setData: (data: T) => void;
};

/** GETs `path` (null = don't fetch) and re-fetches whenever it changes. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const controller = useRef<AbortController | null>(null);
  const inFlight = useRef(false);

  const load = useCallback(
    async (quiet = false) => {
      if (path === null) return;
      // A quiet (polling) reload never cancels a request that is still running on a slow server.
      if (quiet && inFlight.current) return;
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      if (!quiet) setLoading(true);
      inFlight.current = true;
      try {
        const result = await api.get<T>(path, { signal: current.signal });
        if (current.signal.aborted) return;
        setData(result);
        setError(null);
      } catch (err) {
        if (current.signal.aborted) return;
        setError(err);
      } finally {
        if (controller.current === current) inFlight.current = false;
        if (!current.signal.aborted) setLoading(false);
      }
    },
    [path],
  );

  useEffect(() => {
    void load();
    return () => controller.current?.abort();
  }, [load]);

  return { data, error, loading, reload: load, setData };
}
