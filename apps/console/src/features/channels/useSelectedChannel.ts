import { useEffect, useState } from 'react';
import type { Channel } from '../../api/types.ts';

const STORAGE_KEY = 'madoguchi.console.channelId';

function stored(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The channel chosen in the dashboard / friends selectors, remembered across pages.
 * Falls back to the first production channel (or the first channel) when the stored one is gone.
 */
export function useSelectedChannel(channels: Channel[] | undefined): [string, (id: string) => void] {
  const [channelId, setChannelId] = useState(stored);

  useEffect(() => {
    if (!channels || channels.length === 0) return;
    if (channels.some((c) => c.id === channelId)) return;
    const fallback = channels.find((c) => c.environment === 'production') ?? channels[0];
    if (fallback) setChannelId(fallback.id);
  }, [channels, channelId]);

  const select = (id: string) => {
    setChannelId(id);
    try {
      localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // ignore
    }
  };
  return [channelId, select];
}
