import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/database.ts';

// Fan-out between server processes with PostgreSQL LISTEN/NOTIFY. Every process — the sender
// included — receives each event through its listening connection, so there is one delivery path.
// Payloads carry IDs only (NOTIFY payloads are limited to 8,000 bytes and stay free of personal data);
// receivers read what they need from the database.

/** The NOTIFY channel; statements that notify in their own transaction use it too. */
export const REALTIME_CHANNEL = 'madoguchi_realtime';
const CHANNEL = REALTIME_CHANNEL;
const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

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

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl });
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
    c.on('error', (err) => {
      log.error({ err }, 'realtime connection lost; reconnecting');
      client = null;
      reconnect(RECONNECT_FIRST_MS);
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
    } catch (err) {
      await c.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
  };
  // After a lost connection: tries again until it is back (a database failover or outage can take
  // minutes, O-03/C-13), waiting 1 s, then doubling up to 30 s; never after close().
  const reconnect = (delayMs: number) => {
    if (closed) return;
    setTimeout(() => {
      if (closed) return;
      connect().catch((err) => {
        log.error({ err }, 'realtime reconnect failed; trying again');
        reconnect(Math.min(delayMs * 2, RECONNECT_MAX_MS));
      });
    }, delayMs).unref();
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
