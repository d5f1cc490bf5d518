import type { SentEntry } from './types.ts';

const PREFIX = 'madoguchi.phone.';

function read(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(PREFIX + key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: Storage | undefined, key: string, value: string | null): boolean {
  try {
    if (value === null) storage?.removeItem(PREFIX + key);
    else storage?.setItem(PREFIX + key, value);
    return true;
  } catch {
    return false;
  }
}

/** The channel and user to start with: URL query first (deep links from tests), then localStorage. */
export function initialSelection(): { channelId: string | null; userId: string | null } {
  const q = new URLSearchParams(window.location.search);
  return {
    channelId: q.get('channel') || read(window.localStorage, 'channel'),
    userId: q.get('user') || read(window.localStorage, 'user'),
  };
}

/** Remembers the selection in localStorage and in the URL query (replaceState, no reload). */
export function persistSelection(channelId: string | null, userId: string | null): void {
  write(window.localStorage, 'channel', channelId);
  write(window.localStorage, 'user', userId);
  const url = new URL(window.location.href);
  if (channelId) url.searchParams.set('channel', channelId);
  else url.searchParams.delete('channel');
  if (userId) url.searchParams.set('user', userId);
  else url.searchParams.delete('user');
  if (url.href !== window.location.href) window.history.replaceState(window.history.state, '', url);
}

function sentKey(userId: string, channelId: string): string {
  return `sent.${userId}.${channelId}`;
}

export function loadSent(userId: string, channelId: string): SentEntry[] {
  const raw = read(window.sessionStorage, sentKey(userId, channelId));
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as SentEntry[]) : [];
  } catch {
    return [];
  }
}

/** Saves what the user sent; images too large for sessionStorage are kept without their data. */
export function saveSent(userId: string, channelId: string, entries: SentEntry[]): void {
  const key = sentKey(userId, channelId);
  if (write(window.sessionStorage, key, JSON.stringify(entries))) return;
  const slim = entries.map((e) =>
    e.message.dataUrl ? { ...e, message: { ...e.message, dataUrl: undefined } } : e,
  );
  write(window.sessionStorage, key, JSON.stringify(slim));
}
