import type { DeliveryReady } from '../delivery/protocol.ts';

// The JSON lines the chatbot benchmark's children print for run.ts.

/** The server child's ready line: its channel and an admin account, as the delivery benchmark's. */
export type ChatbotReady = DeliveryReady;

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

/** The reply calls with one reply token, as the simulator recorded them (line-sim.ts). */
export interface SimReply {
  seq: number;
  token: string;
  userId: string | null;
  /** When the first call arrived, epoch ms (performance.timeOrigin + performance.now()). */
  atMs: number;
  /** Calls with this token (more than 1: a duplicate). */
  calls: number;
  /** Postback data of the reply's buttons (template actions, quick replies, flex buttons). */
  postbacks: string[];
  /** The reply's first text. */
  text: string | null;
}
