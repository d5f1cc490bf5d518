import { useEffect, useState } from 'react';
import { countSegment, type SegmentTree } from './segmentTree.ts';

export type SegmentCount = { count: number | null; loading: boolean; error: unknown };

/**
 * The live audience size of a tree (POST /api/segments/count), debounced while it is edited; an
 * edit cancels the request still running for the previous tree. `tree` null = nothing to count.
 */
export function useSegmentCount(channelId: string, tree: SegmentTree | null, delayMs = 300): SegmentCount {
  const [state, setState] = useState<SegmentCount>({ count: null, loading: false, error: null });
  const key = tree && channelId ? JSON.stringify(tree) : null;

  useEffect(() => {
    if (key === null) {
      setState({ count: null, loading: false, error: null });
      return;
    }
    setState((s) => ({ ...s, loading: true, error: null }));
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      countSegment(channelId, JSON.parse(key) as SegmentTree, controller.signal).then(
        (result) => {
          if (!controller.signal.aborted) setState({ count: result.count, loading: false, error: null });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ count: null, loading: false, error });
        },
      );
    }, delayMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [channelId, key, delayMs]);

  return state;
}
