// Disaster e-mail → LINE bridge (issue 14, E-01 … E-07, X-01): the HTTP contract's types and limits.
// The zod schemas of the requests are in mail-bridge.schema.ts (the console's bundle needs no zod).

export const MAIL_LIMITS = {
  allowedSenders: 50,
  rulesPerAddress: 50,
  conditions: 10,
  keywords: 20,
  keyword: 200,
  replacements: 20,
  appendText: 1000,
  choices: 50,
  /** What a rule author pastes into the test panel. */
  testRaw: 1024 * 1024,
  /** Per-address size limit: default and maximum (bytes). */
  defaultMaxBytes: 10 * 1024 * 1024,
  maxBytes: 50 * 1024 * 1024,
} as const;

/** LINE's text limit and messages per delivery. */
export const LINE_TEXT_MAX = 5000;
export const LINE_MESSAGES_MAX = 5;
/** Put at the end when a text had to be cut (split over 5 messages was not enough, or mode "cut"). */
export const CUT_MARKER = '…（以下省略）';

export const MAIL_STATUSES = [
  'received',
  'delivered',
  'unmatched',
  'refused',
  'parse_failed',
  'duplicate',
  'failed',
] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export type MailField = 'from' | 'subject' | 'body';
export type MatchOp = 'contains' | 'regex';

export interface MailCondition {
  field: MailField;
  op: MatchOp;
  value: string;
}

export interface MailReplacement {
  find: string;
  replace: string;
  regex: boolean;
}

export type MailRuleAudience =
  | { kind: 'all' }
  /**
   * E-01: the choices of a registration item (e.g. 区) whose label the mail names → the friends who
   * chose one of them. `whenNone`: no label named → everyone, or nothing delivered (unmatched).
   */
  | { kind: 'fromMail'; itemId: string; choiceIds: string[]; whenNone: 'all' | 'none' };

export interface MailRuleDefinition {
  /** All must hold (AND); none = every mail from an allowed sender (E-05). */
  conditions: MailCondition[];
  /** E-03: the body is cut from the first of these onwards. */
  cutFrom: string[];
  /** E-06: lines matching one of these are removed. */
  removeLines: { op: MatchOp; value: string }[];
  /** E-06: text replaced. */
  replacements: MailReplacement[];
  /** E-04: appended to the message. */
  appendText: string;
  /** The subject as the message's first line. */
  includeSubject: boolean;
  audience: MailRuleAudience;
  /** E-02, E-07: a mail naming one of these (subject or body) goes to every friend instead. */
  urgentKeywords: string[];
  /** switch the channel to this disaster rich menu group (always, or only for an urgent mail). */
  disaster: { groupId: string; when: 'urgent' | 'always' } | null;
  /** Over 5,000 characters: split into up to 5 messages, or cut (CUT_MARKER at the end). */
  longText: 'split' | 'cut';
}

export interface MailAddressView<Time = string> {
  id: string;
  channelId: string;
  address: string;
  allowedSenders: string[];
  maxBytes: number;
  enabled: boolean;
  /** Refuse a mail whose SPF and DKIM both did not pass (550 5.7.1). */
  requireAuth: boolean;
  /** IMAP polling instead of (or besides) SMTP; the password is never answered. */
  imap: MailImapView<Time> | null;
  createdAt: Time;
  updatedAt: Time;
}

export interface MailImapView<Time = string> {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  passwordSet: boolean;
  mailbox: string;
  intervalSeconds: number;
  polledAt: Time | null;
  error: string | null;
}

export interface MailRuleView<Time = string> {
  id: string;
  addressId: string;
  position: number;
  name: string;
  enabled: boolean;
  definition: MailRuleDefinition;
  createdAt: Time;
  updatedAt: Time;
}

export interface MailMessageView<Time = string> {
  id: string;
  addressId: string | null;
  recipient: string;
  from: string;
  messageId: string | null;
  subject: string;
  sizeBytes: number;
  spf: string;
  dkim: string;
  dmarc: string;
  authDetail: string | null;
  /** Failed processing attempts so far; the next one not before nextAttemptAt. */
  attempts: number;
  nextAttemptAt: Time | null;
  /** A refused row: how many refusals of this sender this hour. */
  refusedCount: number;
  status: MailStatus;
  statusReason: string | null;
  duplicateOf: string | null;
  ruleId: string | null;
  deliveryId: string | null;
  disasterResult: string | null;
  receivedAt: Time;
  processedAt: Time | null;
}

/** The test panel's answer: what would be sent, to how many, without sending. */
export interface MailPreview {
  status: 'matched' | 'unmatched' | 'parse_failed' | 'failed';
  reason: string | null;
  ruleId: string | null;
  ruleName: string | null;
  subject: string;
  messages: string[];
  audience: { kind: 'all' } | { kind: 'segment'; labels: string[] } | null;
  recipients: number | null;
  urgent: boolean;
  disaster: boolean;
}
