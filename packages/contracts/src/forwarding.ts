// Webhook forwarding (W-01): the shapes of /api/forwarding/* shared by the server and the console.
// Zod-free (the console imports values from here); the request schemas are in forwarding.schema.ts.

/** LINE webhook event types a target can choose (webhook.yml, packages/line-openapi). */
export const FORWARDING_EVENT_TYPES = [
  'message',
  'postback',
  'follow',
  'unfollow',
  'join',
  'leave',
  'memberJoined',
  'memberLeft',
  'unsend',
  'videoPlayComplete',
  'beacon',
  'accountLink',
  'membership',
  'module',
  'activated',
  'deactivated',
  'botSuspended',
  'botResumed',
  'delivery',
] as const;
export type ForwardingEventType = (typeof FORWARDING_EVENT_TYPES)[number];

/** Message and postback events: only those nothing here handled (no scenario answered), or always. */
export const FORWARDING_MESSAGE_MODES = ['unhandled', 'always'] as const;
export type ForwardingMessageMode = (typeof FORWARDING_MESSAGE_MODES)[number];

export const FORWARDING_ITEM_STATES = ['pending', 'sent', 'dead'] as const;
export type ForwardingItemState = (typeof FORWARDING_ITEM_STATES)[number];

export const FORWARDING_LIMITS = {
  name: 50,
  url: 2000,
  secretMin: 16,
  secretMax: 200,
  targetsPerChannel: 10,
};

export interface ForwardingTargetStats {
  /** Delivered (kept 7 days). */
  sent: number;
  /** Failed attempts of the items kept (each retry that failed counts). */
  failed: number;
  /** Waiting to be sent (including retries). */
  queued: number;
  /** Dead-lettered: not delivered within the retry window; resend from the console. */
  dead: number;
  /** Seconds the oldest waiting item has waited; null when none waits. */
  oldestWaitingSeconds: number | null;
}

export interface ForwardingTargetView {
  id: string;
  channelId: string;
  name: string;
  url: string;
  enabled: boolean;
  /** null: every event type. */
  eventTypes: ForwardingEventType[] | null;
  messageMode: ForwardingMessageMode;
  createdAt: string;
  updatedAt: string;
  stats: ForwardingTargetStats;
}

/** The answer of a create: the secret appears only here, and only when the server generated it. */
export interface ForwardingTargetCreated extends ForwardingTargetView {
  generatedSecret: string | null;
}

export interface ForwardingItemView {
  id: string;
  webhookEventId: string;
  eventType: string;
  state: ForwardingItemState;
  attempts: number;
  failures: number;
  queuedAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  deadAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** At most 1 KB of the target's last answer. */
  responseExcerpt: string | null;
}

export interface ForwardingItemPage {
  items: ForwardingItemView[];
  /** Pass as `before` for the next page; null at the end. */
  next: string | null;
}

export interface ForwardingResendResult {
  resent: number;
}
