import { useEffect, useState } from 'react';
import { countAudience, type SegmentTree } from './api.ts';

export type AudienceCount = { count: number | null; loading: boolean; error: unknown };

/**
 * The audience size for a tree (POST /api/segments/count), re-counted 400 ms after the last change
 * (a segment being edited changes on every key); an older answer never replaces a newer one.
 */
export function useAudienceCount(channelId: string, tree: SegmentTree | null): AudienceCount {
  const [state, setState] = useState<AudienceCount>({ count: null, loading: false, error: null });
  const key = tree ? JSON.stringify(tree) : '';

  useEffect(() => {
    if (!channelId || !key) {
      setState({ count: null, loading: false, error: null });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = window.setTimeout(() => {
      countAudience(channelId, JSON.parse(key) as SegmentTree, controller.signal).then(
        (result) => setState({ count: result.count, loading: false, error: null }),
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ count: null, loading: false, error });
        },
      );
    }, 400);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [channelId, key]);

  return state;
}
