import type { InboxEntry, SentEntry, TimelineEntry } from './types.ts';

function toMs(at: string | number): number {
  if (typeof at === 'number') return at;
  const n = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  return Number.isNaN(n) ? 0 : n;
}

/** The talk in time order: what the account sent and what the user sent. */
export function buildTimeline(inbox: InboxEntry[], sent: SentEntry[]): TimelineEntry[] {
  const items: TimelineEntry[] = [];
  for (const m of inbox)
    items.push({ from: 'account', id: m.id, at: toMs(m.at), via: m.via, message: m.message });
  for (const s of sent) items.push({ from: 'user', ...s });
  // Stable sort; on equal times the user's message comes first (the account answers it).
  return items.sort((a, b) => a.at - b.at || (a.from === b.from ? 0 : a.from === 'user' ? -1 : 1));
}
