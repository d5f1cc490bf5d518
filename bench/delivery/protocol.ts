import type { ServerChildReady, ServerProcessStats } from '../webhook/protocol.ts';

// The JSON lines the delivery benchmark's server child (server.ts) prints for run.ts.

/** Printed once when the server listens, with its channel and an admin account. */
export interface DeliveryReady extends ServerChildReady {
  channelId: string;
  lineChannelId: string;
  accessToken: string;
  channelSecret: string;
  loginId: string;
  password: string;
}

/** Answer to "seed": friends with registration answers, linked to the simulator's users. */
export interface Seeded {
  friends: number;
  registered: number;
  /** The AND / OR / NOT segment of the benchmark (segments' sampleSegmentTree). */
  tree: unknown;
  /** generate_series seeding of friends and answers (ms). */
  seedMs: number;
  /** Registering the same users in the LINE simulator and giving the friends their user IDs (ms). */
  linkMs: number;
}

/** Answer to "delivery <id>": the row and its batches, with the database's own timestamps. */
export interface DeliveryRow {
  status: string;
  recipients: number | null;
  sent: number;
  failed: number;
  batches: number;
  batchesSent: number;
  maxBatchSize: number;
  /** Batches whose request was answered 409 (retry key already accepted) or retried. */
  batchesRetried: number;
  createdAt: string;
  startedAt: string | null;
  resolvedAt: string | null;
  finishedAt: string | null;
}

export type DeliveryServerStats = ServerProcessStats;

/** Answer to "line-events": webhook events stored by the server (all rows of line_events are the benchmark's). */
export interface LineEventsCheck {
  /** Rows in line_events, those not dispatched yet, and those whose dispatch failed at least once. */
  total: number;
  pending: number;
  dispatchFailed: number;
  /** Rows (and distinct webhookEventIds) among the IDs of events sent in requests answered 200. */
  storedOk: number;
  distinctOk: number;
  /** The same among the IDs of events sent in requests not answered 200 (they may or may not be stored). */
  storedFailed: number;
  distinctFailed: number;
}
