import type { Db } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Realtime } from '../../platform/realtime.ts';
import { type DeskRow, listDeskRows } from './desks.repository.ts';

// Desks are read on every consultee message (risk words, hours) and every counselor request (which
// desks they may see), and change a few times a year. Each process keeps them in memory; a change
// is announced to every process through realtime ({t:'desks'}), and the copy expires after a minute
// in any case.

const MAX_AGE_MS = 60_000;

export interface DeskCache {
  all(): Promise<DeskRow[]>;
  /** The desk, or 404 DESK not found. */
  get(id: string): Promise<DeskRow>;
  /** After a desk was created or changed: every process reloads. */
  changed(): Promise<void>;
}

export function createDeskCache(db: Db, realtime: Realtime, now: () => number = Date.now): DeskCache {
  let loaded: { at: number; rows: Promise<DeskRow[]> } | null = null;
  realtime.subscribe((e) => {
    if (e.t === 'desks') loaded = null;
  });
  const all = () => {
    if (!loaded || now() - loaded.at > MAX_AGE_MS) {
      const rows = listDeskRows(db);
      const entry = { at: now(), rows };
      loaded = entry;
      // A failed load is not kept.
      rows.catch(() => {
        if (loaded === entry) loaded = null;
      });
    }
    return loaded.rows;
  };
  return {
    all,
    async get(id) {
      let desk = (await all()).find((d) => d.id === id);
      if (!desk) {
        // Created in another process a moment ago: read again once.
        loaded = null;
        desk = (await all()).find((d) => d.id === id);
      }
      if (!desk) throw notFound('相談窓口');
      return desk;
    },
    async changed() {
      loaded = null;
      await realtime.publish({ t: 'desks' });
    },
  };
}
