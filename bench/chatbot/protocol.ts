import type { ServerChildReady } from '../webhook/protocol.ts';

// The JSON lines the chatbot benchmark's children print for run.ts.

/** The server child's ready line: its channel and an admin account (bench-admin.ts createBenchCity). */
export interface ChatbotReady extends ServerChildReady {
  channelId: string;
  lineChannelId: string;
  accessToken: string;
  channelSecret: string;
  loginId: string;
  password: string;
}

/** Answer to "progress": what the server still has to do. */
export interface Progress {
  undispatched: number;
  dispatchFailed: number;
  outboxPending: number;
  outboxSent: number;
  outboxFailed: number;
}

/** One stored webhook event and its reply, with the database's timestamps (epoch ms; null: none). */
export interface PipelineRow {
  webhookEventId: string;
  /** line_events.received_at: now() of the intake transaction (before the 200). */
  storedMs: number;
  /** line_events.dispatched_at: set by the dispatch transaction after its handlers ran. */
  dispatchedMs: number | null;
  /** line_outbox.created_at of the reply: now() of the dispatch transaction, i.e. when it began. */
  outboxMs: number | null;
  /** line_outbox.sent_at: after LINE (the simulator) answered the reply call. */
  sentMs: number | null;
  outboxStatus: string | null;
  httpStatus: number | null;
  /** Reply rows in the outbox for the event (at most 1: one reply token is used once). */
  replies: number;
}

/** One reply call as the simulator recorded it (line-sim.ts). */
export interface SimReply {
  seq: number;
  token: string;
  userId: string | null;
  atMs: number;
  calls: number;
  postbacks: string[];
  text: string | null;
}
