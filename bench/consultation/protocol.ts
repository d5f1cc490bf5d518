import type { ServerChildReady, ServerProcessStats } from '../webhook/protocol.ts';
import type { PgCounters } from './instrument.ts';

// The JSON lines the consultation benchmark's server child (server.ts) prints on stdout for run.ts.

/** Printed once when the server listens, the desk and the counselor accounts exist. */
export interface ConsultationReady extends ServerChildReady {
  deskId: string;
  deskSlug: string;
  /** Counselor accounts (role counselor), all with the same password. */
  counselors: { accountId: string; loginId: string }[];
  password: string;
}

/** Answer to "consultees N": N web consultees, each with an open (waiting) consultation at the desk. */
export interface ConsulteesCreated {
  consultees: { consultationId: string; cookie: string }[];
  ms: number;
}

/** Answer to "stats": the process figures, the server's use of PostgreSQL (instrument.ts), and
 * PostgreSQL's own counters (pg_stat_database of the bench database; pg_stat_wal of the whole server). */
export interface ConsultationServerStats extends ServerProcessStats, PgCounters {
  xactCommit: number;
  walRecords: number | null;
  walSync: number | null;
}

/** Answer to "messages": rows of consultation_messages. */
export interface StoredMessages {
  consultee: number;
  counselor: number;
  system: number;
  /** Rows with a client_id, and distinct (consultation_id, client_id) among them. */
  withClientId: number;
  distinctClientIds: number;
}
