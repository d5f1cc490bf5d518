import { sql } from 'kysely';
import type pg from 'pg';
import { createClient } from '../db/connection.ts';
import type { Db } from '../db/database.ts';

// Fan-out between server processes with PostgreSQL LISTEN/NOTIFY. Every process — the sender
// included — receives each event through its listening connection, so there is one delivery path.
// Payloads carry IDs only (NOTIFY payloads are limited to 8,000 bytes and stay free of personal data);
// receivers read what they need from the database.

/** The NOTIFY channel; statements that notify in their own transaction use it too. */
export const REALTIME_CHANNEL = 'madoguchi_realtime';
const CHANNEL = REALTIME_CHANNEL;

export type RealtimeEvent =
  /** A stored message: sender, kind and the assigned counselor let receivers skip what is not theirs. */
  | {
      t: 'msg';
      c: string;
      m: string;
      s: 'consultee' | 'counselor' | 'system';
      k: 'text' | 'note';
      a: string | null;
    }
  | { t: 'cons'; c: string }
  | { t: 'pres'; c: string; p: string; online: boolean; typing: boolean }
  | { t: 'risk'; c: string; w: string }
  /** Desks were created or changed: caches reload. */
  | { t: 'desks' }
  /** Maintenance windows were scheduled, switched or canceled: the cached windows reload. */
  | { t: 'maint' }
  /** A process is alive (heartbeat): the presence it announced still holds. */
  | { t: 'alive'; p: string };

export interface Realtime {
  publish(event: RealtimeEvent): Promise<void>;
  subscribe(fn: (event: RealtimeEvent) => void): () => void;
  close(): Promise<void>;
}

export async function createRealtime(
  databaseUrl: string,
  db: Db,
  log: { error(o: unknown, m?: string): void },
): Promise<Realtime> {
  const listeners = new Set<(event: RealtimeEvent) => void>();
  let client: pg.Client | null = null;
  let closed = false;

  // A lost connection (the database restarted or failed over) is opened again every second until it
  // works; events published meanwhile are not received (receivers read the database when they act).
  const reconnect = () => {
    if (closed) return;
    setTimeout(() => {
      if (closed) return;
      connect().catch((e) => {
        log.error({ err: e }, 'realtime reconnect failed; retrying');
        reconnect();
      });
    }, 1000).unref();
  };

  const connect = async (): Promise<void> => {
    const c = createClient(databaseUrl);
    c.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      let event: RealtimeEvent;
      try {
        event = JSON.parse(n.payload) as RealtimeEvent;
      } catch {
        return;
      }
      for (const fn of listeners) {
        try {
          fn(event);
        } catch (err) {
          log.error({ err }, 'realtime listener failed');
        }
      }
    });
    let lost = false;
    const onLost = (err: unknown) => {
      if (lost) return;
      lost = true;
      if (client === c) client = null;
      if (closed) return;
      log.error({ err }, 'realtime connection lost; reconnecting');
      reconnect();
    };
    c.on('error', onLost);
    c.on('end', () => onLost(new Error('realtime connection ended')));
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
    } catch (err) {
      lost = true;
      await c.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
  };
  await connect();

  return {
    async publish(event) {
      await sql`select pg_notify(${CHANNEL}, ${JSON.stringify(event)})`.execute(db);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
