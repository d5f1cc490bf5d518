import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from './api.ts';
import { usePolling } from './hooks.ts';
import { initialSelection, persistSelection } from './storage.ts';
import type { FollowState } from './types.ts';

/**
 * The chosen 公式アカウント (channel) and ユーザー: the lists, kept valid once they are known, and
 * persisted (URL query / localStorage). A user just created stays chosen until the list shows it.
 */
export function useSelection() {
  const initial = useMemo(() => initialSelection(), []);
  const [channelId, setChannelId] = useState<string | null>(initial.channelId);
  const [userId, setUserId] = useState<string | null>(initial.userId);
  const created = useRef<string | null>(null);

  const channels = usePolling('channels', () => api.channels(), 10_000);
  const users = usePolling('users', () => api.users(), 3_000);

  useEffect(() => {
    const list = channels.data;
    if (list && !list.some((c) => c.channelId === channelId)) setChannelId(list[0]?.channelId ?? null);
  }, [channels.data, channelId]);
  useEffect(() => {
    const list = users.data;
    if (!list || (userId && userId === created.current)) return;
    if (!list.some((u) => u.userId === userId)) setUserId(list[0]?.userId ?? null);
  }, [users.data, userId]);
  useEffect(() => persistSelection(channelId, userId), [channelId, userId]);

  /** Chooses a user from the list. */
  const pickUser = useCallback((id: string | null) => {
    created.current = null;
    setUserId(id);
  }, []);
  /** Chooses a user just created (not yet in the polled list). */
  const pickCreatedUser = useCallback((id: string) => {
    created.current = id;
    setUserId(id);
  }, []);

  const channel = channels.data?.find((c) => c.channelId === channelId);
  const user = users.data?.find((u) => u.userId === userId);
  const followState: FollowState = (channelId && user?.follows?.[channelId]) || 'none';
  return {
    channels,
    users,
    channelId,
    setChannelId,
    userId,
    pickUser,
    pickCreatedUser,
    channel,
    followState,
  };
}
