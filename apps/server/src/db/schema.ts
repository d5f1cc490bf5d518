import type { FormItemType } from '@madoguchi/contracts/forms.ts';
import type { ColumnType, Generated } from 'kysely';

// Table types for Kysely. The SQL that creates them is in migrations/.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ChannelsTable {
  id: Generated<string>;
  name: string;
  line_channel_id: string;
  environment: 'production' | 'test';
  channel_secret_enc: string;
  access_token_enc: string;
  login_channel_id: string | null;
  login_channel_secret_enc: string | null;
  liff_id: string | null;
  bot_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LineEventsTable {
  id: Generated<string>;
  channel_id: string;
  webhook_event_id: string;
  type: string;
  source_user_id: string | null;
  occurred_at: Timestamp;
  is_redelivery: boolean;
  payload_enc: Buffer;
  received_at: CreatedAt;
  dispatched_at: Timestamp | null;
  dispatch_attempts: Generated<number>;
  dispatch_error: string | null;
  /** The envelope's destination and LINE's x-line-signature of the body (forwarding, W-01). */
  destination: string | null;
  signature: string | null;
}

export interface LineEventsRejectedTable {
  id: Generated<string>;
  channel_id: string;
  event_key: string;
  type: string | null;
  reason: string;
  detail: string;
  payload_enc: Buffer;
  received_at: CreatedAt;
}

export interface FriendsTable {
  id: Generated<string>;
  channel_id: string;
  line_user_id: string;
  status: 'following' | 'blocked';
  status_changed_at: Timestamp;
  display_name: string | null;
  picture_url: string | null;
  language: string | null;
  is_test: Generated<boolean>;
  first_followed_at: Timestamp | null;
  followed_at: Timestamp | null;
  unfollowed_at: Timestamp | null;
  follow_count: Generated<number>;
  profile_fetched_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface FriendEventsTable {
  id: Generated<string>;
  channel_id: string;
  friend_id: string;
  kind: 'follow' | 'refollow' | 'unfollow';
  occurred_at: Timestamp;
  line_event_id: string | null;
}

export interface RolesTable {
  id: Generated<string>;
  name: string;
  builtin_key: string | null;
  permissions: string[];
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StaffAccountsTable {
  id: Generated<string>;
  login_id: string;
  display_name: string;
  role_id: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  totp_secret_enc: string | null;
  totp_pending_secret_enc: string | null;
  disabled: Generated<boolean>;
  last_login_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Sign-in backoff per (login ID as typed, source address) (S-08); see login-throttle.rules.ts. */
export interface LoginThrottlesTable {
  login_id: string;
  ip: string;
  failures: Generated<number>;
  last_failure_at: Timestamp | null;
  blocked_until: Timestamp | null;
  last_success_at: Timestamp | null;
  forget_at: Timestamp;
}

/** Failed sign-ins per login ID or per address in a fixed window (S-08, S-04). */
export interface LoginFailureWindowsTable {
  scope: 'account' | 'ip';
  key: string;
  window_start: Timestamp;
  failures: number;
  locked_until: Timestamp | null;
}

export interface StaffSessionsTable {
  id_hash: string;
  account_id: string;
  csrf_token: string;
  ip: string;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface IpAllowlistEntriesTable {
  id: Generated<string>;
  area: 'admin' | 'counselor';
  cidr: string;
  note: string;
  position: number;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  account_id: string | null;
  login_id: string | null;
  ip: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: 'success' | 'failure';
  count: number | null;
  detail: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  prev_hash: string;
  hash: string;
  chain_version: number;
}

export interface CitizenSessionsTable {
  id_hash: string;
  channel_id: string;
  line_user_id: string;
  display_name: string | null;
  picture_url: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface DesksTable {
  id: Generated<string>;
  channel_id: string | null;
  name: string;
  slug: string;
  description: string;
  hours: ColumnType<Record<string, { start: string; end: string }[]>, string, string>;
  closed_on_holidays: boolean;
  closed_year_end: boolean;
  closed_dates: ColumnType<string[], string[], string[]>;
  greeting: string;
  out_of_hours_reply: string;
  emergency_contacts: ColumnType<{ name: string; phone: string; hours: string }[], string, string>;
  record_fields: ColumnType<
    {
      key: string;
      label: string;
      type: 'select' | 'text' | 'textarea';
      options?: string[];
      required: boolean;
    }[],
    string,
    string
  >;
  allow_incomplete_records: boolean;
  canned_responses: ColumnType<{ title: string; text: string }[], string, string>;
  web_enabled: boolean;
  access_code_hash: string | null;
  max_concurrent: number;
  risk_words: string[];
  keywords: string[];
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeskCounselorsTable {
  desk_id: string;
  account_id: string;
}

export interface ConsulteesTable {
  id: Generated<string>;
  channel_id: string | null;
  line_user_id: string | null;
  web_token_hash: string | null;
  label: string;
  created_at: CreatedAt;
}

export interface ConsultationsTable {
  id: Generated<string>;
  desk_id: string;
  consultee_id: string;
  origin: 'line' | 'web';
  data_key_enc: Buffer;
  status: 'waiting' | 'active' | 'closed';
  counselor_id: string | null;
  opened_at: CreatedAt;
  first_reply_at: Timestamp | null;
  last_message_at: Timestamp | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  risk_flagged_at: Timestamp | null;
  history_confirmed_at: Timestamp | null;
  history_confirmed_by: string | null;
  out_of_hours_replied_at: Timestamp | null;
  line_notified_at: Timestamp | null;
}

export interface ConsultationMessagesTable {
  id: Generated<string>;
  consultation_id: string;
  sender: 'consultee' | 'counselor' | 'system';
  kind: 'text' | 'note';
  account_id: string | null;
  client_id: string | null;
  body_enc: Buffer;
  created_at: CreatedAt;
}

export interface ConsultationRecordsTable {
  consultation_id: string;
  values_enc: Buffer;
  missing_reason: string | null;
  updated_at: UpdatedAt;
  updated_by: string | null;
}

export interface FormsTable {
  id: Generated<string>;
  channel_id: string | null;
  purpose: 'registration' | 'survey' | 'booking' | 'report' | 'application';
  title: string;
  description: Generated<string>;
  status: Generated<'draft' | 'published' | 'closed'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type { FormItemType };

export interface FormItemsTable {
  id: Generated<string>;
  form_id: string;
  key: string;
  label: string;
  type: FormItemType;
  required: Generated<boolean>;
  position: number;
  help: Generated<string>;
  config: ColumnType<Record<string, unknown>, string | undefined, string>;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SurveysTable {
  id: Generated<string>;
  channel_id: string;
  form_id: string;
  kind: 'survey' | 'public_comment';
  status: Generated<'draft' | 'open' | 'closed'>;
  mode: 'overwrite' | 'append';
  anonymous: Generated<boolean>;
  opens_at: Timestamp | null;
  closes_at: Timestamp | null;
  audience_segment_id: string | null;
  results_published: Generated<boolean>;
  results_summary: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SurveyDocumentsTable {
  survey_id: string;
  file_name: string;
  content_type: string;
  bytes: Buffer;
  uploaded_at: UpdatedAt;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  /** HMAC of channel, LINE user and survey: one person, never their ID. */
  respondent_key: Buffer;
  /** 'only' (overwrite mode) or the row's own ID (append mode). */
  slot: string;
  /** Named surveys only. */
  friend_id: string | null;
  request_key: string | null;
  choice_ids: ColumnType<string[], string[] | undefined, string[]>;
  numbers: ColumnType<Record<string, number>, string | undefined, string>;
  texts_enc: Buffer | null;
  text_keys: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<'new' | 'in_progress' | 'done'>;
  status_changed_at: Timestamp | null;
  status_changed_by: string | null;
  submitted_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A file or photo of a survey answer: uploaded first, then taken by the answer naming it. */
export interface SurveyFilesTable {
  id: Generated<string>;
  survey_id: string;
  /** The survey answers' respondent key (HMAC of channel, LINE user and survey). */
  respondent_key: Buffer;
  /** null until an answer takes it (then also its item's key and place). */
  response_id: string | null;
  item_key: string | null;
  position: Generated<number>;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  byte_size: number;
  /** The original file name (sanitised), sealed with the cipher. */
  name_enc: Buffer;
  /** The bytes (images re-encoded without metadata, PDF files as sent), sealed with the cipher. */
  bytes_enc: Buffer;
  created_at: CreatedAt;
}

export interface SurveyResponseChangesTable {
  id: Generated<string>;
  response_id: string;
  staff_id: string | null;
  field: 'status' | 'staff_answers';
  from_value: string;
  to_value: string;
  at: CreatedAt;
}

export interface BookingCalendarsTable {
  id: Generated<string>;
  channel_id: string;
  form_id: string;
  category: string;
  name: string;
  description: Generated<string>;
  status: Generated<'draft' | 'open' | 'closed'>;
  templates: ColumnType<unknown, string | undefined, string>;
  open_on_holidays: Generated<boolean>;
  closed_dates: ColumnType<string[], string[] | undefined, string[]>;
  opened_dates: ColumnType<string[], string[] | undefined, string[]>;
  booking_cutoff_minutes: Generated<number>;
  cancel_cutoff_minutes: Generated<number>;
  per_person_limit: number | null;
  max_seats_per_booking: Generated<number>;
  reminder_hour: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BookingSlotsTable {
  id: Generated<string>;
  calendar_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  cancelled_at: Timestamp | null;
}

export interface BookingsTable {
  id: Generated<string>;
  calendar_id: string;
  slot_id: string;
  friend_id: string;
  seats: number;
  status: Generated<'booked' | 'attended' | 'no_show' | 'cancelled'>;
  request_key: string;
  choice_ids: ColumnType<string[], string[] | undefined, string[]>;
  numbers: ColumnType<Record<string, number>, string | undefined, string>;
  texts_enc: Buffer | null;
  text_keys: ColumnType<string[], string[] | undefined, string[]>;
  reminder_sent_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BookingWaitlistTable {
  id: Generated<string>;
  slot_id: string;
  friend_id: string;
  seats: number;
  status: Generated<'waiting' | 'booked' | 'left'>;
  booking_id: string | null;
  /** The booking form's answers given when joining (carried onto the booking), texts sealed. */
  choice_ids: ColumnType<string[], string[] | undefined, string[]>;
  numbers: ColumnType<Record<string, number>, string | undefined, string>;
  texts_enc: Buffer | null;
  text_keys: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface BookingChangesTable {
  id: Generated<string>;
  booking_id: string;
  staff_id: string | null;
  field: 'status' | 'slot' | 'staff_answers';
  from_value: string;
  to_value: string;
  at: CreatedAt;
}

export interface ReportCategoriesTable {
  id: Generated<string>;
  channel_id: string;
  name: string;
  emails: string[];
  active: Generated<boolean>;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReportsTable {
  id: Generated<string>;
  channel_id: string;
  friend_id: string;
  category_id: string;
  /** The citizen's text, sealed with the cipher. */
  text_enc: Buffer;
  occurred_at: Timestamp;
  /** numeric(9, 6): read as a string. */
  lat: ColumnType<string, number | string, number | string>;
  lng: ColumnType<string, number | string, number | string>;
  status: Generated<'received' | 'in_progress' | 'done' | 'rejected'>;
  assignee_id: string | null;
  request_key: string | null;
  done_notified_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReportPhotosTable {
  id: Generated<string>;
  channel_id: string;
  friend_id: string;
  report_id: string | null;
  position: Generated<number>;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  width: number;
  height: number;
  /** Sealed with the cipher when `sealed` (every row once the hourly photo job has run). */
  bytes: Buffer;
  sealed: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ReportChangesTable {
  id: Generated<string>;
  report_id: string;
  staff_id: string | null;
  field: 'status' | 'assignee' | 'note';
  from_value: string;
  to_value: string;
  at: CreatedAt;
}

/** A fault report's place asked for as a LINE location message (one per friend, R-01). */
export interface ReportLocationRequestsTable {
  friend_id: string;
  channel_id: string;
  requested_at: Timestamp;
  expires_at: Timestamp;
  received_at: Date | null;
  /** numeric(9, 6): read as a string; null until the place arrived. */
  lat: ColumnType<string | null, number | string | null, number | string | null>;
  lng: ColumnType<string | null, number | string | null, number | string | null>;
  /** The address LINE sent with the place, sealed with the cipher. */
  address_enc: Buffer | null;
}

/** One mail to send (modules/mail): about one report or one booking. */
export interface MailOutboxTable {
  id: Generated<string>;
  report_id: string | null;
  booking_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  sent_at: Date | null;
  created_at: CreatedAt;
}

export interface MailAddressesTable {
  id: Generated<string>;
  channel_id: string;
  address: string;
  allowed_senders: string[];
  max_bytes: number;
  enabled: Generated<boolean>;
  /** Refuse (550 5.7.1 after DATA) a mail whose SPF and DKIM both did not pass. */
  require_auth: Generated<boolean>;
  /** IMAP polling (for a city that cannot point MX here); null host: off. */
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: Generated<boolean>;
  imap_user: string | null;
  /** Sealed with deps.cipher; never answered by the API. */
  imap_password_enc: string | null;
  imap_mailbox: Generated<string>;
  imap_interval_s: Generated<number>;
  imap_polled_at: Timestamp | null;
  imap_error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MailRulesTable {
  id: Generated<string>;
  address_id: string;
  position: number;
  name: string;
  enabled: Generated<boolean>;
  definition: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A server a channel's webhook events are forwarded to (modules/forwarding, W-01). */
export interface ForwardingTargetsTable {
  id: Generated<string>;
  channel_id: string;
  name: string;
  url: string;
  secret_enc: string;
  enabled: Generated<boolean>;
  /** null: every event type. */
  event_types: string[] | null;
  message_mode: Generated<'unhandled' | 'always'>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type IdentityVerificationStatus = 'pending' | 'exchanging' | 'verified' | 'failed' | 'canceled';

/** One identity verification with the My Number card (modules/identity, A-01); secrets sealed. */
export interface IdentityVerificationsTable {
  id: Generated<string>;
  purpose: string;
  ref: string;
  level: 'basic' | 'sign';
  provider: string;
  citizen_ref_hash: string;
  state_hash: string;
  nonce_enc: string | null;
  verifier_enc: string | null;
  sign_text_enc: string | null;
  sign_transaction_enc: string | null;
  return_path: string;
  status: Generated<IdentityVerificationStatus>;
  failure_code: string | null;
  attributes_enc: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  completed_at: Date | null;
  purge_after: Date | null;
  purged_at: Date | null;
}

export type MailMessageStatus =
  | 'received'
  | 'delivered'
  | 'unmatched'
  | 'refused'
  | 'parse_failed'
  | 'duplicate'
  | 'failed';

export interface MailMessagesTable {
  id: Generated<string>;
  address_id: string | null;
  recipient: string;
  from_address: string;
  message_id: string | null;
  subject_enc: string | null;
  raw_enc: Buffer | null;
  size_bytes: Generated<number>;
  spf: Generated<string>;
  dkim: Generated<string>;
  dmarc: Generated<string>;
  /** mailauth's Authentication-Results lines (which domain, which selector, why). */
  auth_detail: string | null;
  remote_ip: string | null;
  status: MailMessageStatus;
  status_reason: string | null;
  duplicate_of: string | null;
  rule_id: string | null;
  delivery_id: string | null;
  disaster_result: string | null;
  attempts: Generated<number>;
  /** After a failed processing attempt: not before this (backoff). */
  next_attempt_at: Timestamp | null;
  /** A refused row counts the refusals of (address, sender) in this hour. */
  refused_hour: Timestamp | null;
  refused_count: Generated<number>;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
}

/** One event to forward to one target (modules/forwarding): pending → sent, or dead after 24 h. */
export interface ForwardingItemsTable {
  id: Generated<string>;
  target_id: string;
  line_event_id: string;
  webhook_event_id: string;
  event_type: string;
  user_key: Generated<string>;
  state: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  failures: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  leased_until: Date | null;
  queued_at: ColumnType<Date, Date | string | undefined, Date | string>;
  sent_at: Date | null;
  dead_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  response_excerpt: string | null;
}

export interface FormChoicesTable {
  id: Generated<string>;
  item_id: string;
  parent_id: string | null;
  label: string;
  position: number;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface FormResponsesTable {
  id: Generated<string>;
  form_id: string;
  friend_id: string | null;
  choice_ids: ColumnType<string[], string[] | undefined, string[]>;
  numbers: ColumnType<Record<string, number>, string | undefined, string>;
  texts_enc: Buffer | null;
  submitted_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SegmentsTable {
  id: Generated<string>;
  channel_id: string;
  name: string;
  tree: ColumnType<unknown, string, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MediaTable {
  id: Generated<string>;
  content_type: string;
  width: number;
  height: number;
  bytes: Buffer;
  preview: Buffer;
  original_name: Generated<string>;
  created_by: string | null;
  created_at: CreatedAt;
}

export type DeliveryStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface DeliveriesTable {
  id: Generated<string>;
  channel_id: string;
  title: string;
  messages: ColumnType<unknown[], string, string>;
  /** The LINE messages as sent (links rewritten), prepared when the delivery starts. */
  line_messages: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  audience: ColumnType<unknown, string, string>;
  is_test: Generated<boolean>;
  status: DeliveryStatus;
  scheduled_at: Timestamp | null;
  recurrence: ColumnType<unknown | null, string | null, string | null>;
  series_id: string | null;
  recipients: number | null;
  sent: Generated<number>;
  failed: Generated<number>;
  resolved_at: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  error: string | null;
  created_by: string | null;
  /** Where it came from: the console (staff) or a received mail (mail-bridge, issue 14). */
  source: Generated<'console' | 'mail'>;
  mail_message_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeliveryBatchesTable {
  delivery_id: string;
  batch_no: number;
  retry_key: string;
  friend_ids: string[];
  user_ids: string[];
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  http_status: number | null;
  error: string | null;
  request_id: string | null;
  sent_at: Timestamp | null;
}

export interface DeliveryLinksTable {
  id: Generated<string>;
  delivery_id: string;
  token: string;
  url: string;
  position: number;
}

export interface DeliveryClicksTable {
  id: Generated<string>;
  link_id: string;
  clicked_at: CreatedAt;
}

/** Replies and pushes recorded by webhook event handlers, sent after commit (issue 8 §6). */
export interface LineOutboxTable {
  id: Generated<string>;
  channel_id: string;
  line_event_id: string | null;
  kind: 'reply' | 'push';
  reply_token: string | null;
  to_id: string | null;
  retry_key: string | null;
  messages_enc: Buffer;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: UpdatedAt;
  http_status: number | null;
  error: string | null;
  request_id: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** One key's current fixed window of a request rate limit (platform/http/rate-limit.ts). */
export interface RateLimitsTable {
  key: string;
  hits: number;
  expires_at: Timestamp;
}

/** A 指定避難所 or 指定緊急避難場所 of the city (modules/shelters, X-03 … X-05). */
export interface SheltersTable {
  id: Generated<string>;
  external_id: string;
  name: string;
  name_kana: Generated<string>;
  address: string;
  latitude: number;
  longitude: number;
  /** point(longitude, latitude), generated from the two columns. */
  location: ColumnType<{ x: number; y: number }, never, never>;
  capacity: number | null;
  disaster_types: string[];
  kind: 'shelter' | 'emergency_site' | 'both';
  phone: Generated<string>;
  note: Generated<string>;
  source_layout: string;
  status: ColumnType<
    'open' | 'closed_not_opened' | 'full' | 'shut',
    'open' | 'closed_not_opened' | 'full' | 'shut' | undefined,
    'open' | 'closed_not_opened' | 'full' | 'shut'
  >;
  status_changed_at: Timestamp | null;
  status_changed_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

// ---- Rich menus (M-01 … M-05, O-08, X-01; migration 2026120202) ----

export interface RichMenuGroupsTable {
  id: Generated<string>;
  channel_id: string;
  name: string;
  kind: 'normal' | 'disaster';
  status: Generated<'draft' | 'ready' | 'failed'>;
  error: string | null;
  /** Claimed while its LINE objects are made or removed (migration 2026120206). */
  busy_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RichMenuTabsTable {
  id: Generated<string>;
  group_id: string;
  position: number;
  label: string;
  chat_bar_text: string;
  width: number;
  height: number;
  image: ColumnType<unknown, string, string>;
  line_rich_menu_id: string | null;
  image_uploaded: Generated<boolean>;
  line_alias_id: string;
  alias_created: Generated<boolean>;
}

export interface RichMenuAreasTable {
  id: Generated<string>;
  tab_id: string;
  position: number;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string | null;
  action: ColumnType<unknown, string, string>;
}

export interface RichMenuPublicationsTable {
  id: Generated<string>;
  group_id: string;
  channel_id: string;
  target: 'default' | 'segment' | 'disaster';
  segment_id: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  status: 'scheduled' | 'linking' | 'active' | 'ending' | 'ended' | 'failed' | 'cancelled';
  activated_at: Date | null;
  previous_default: string | null;
  linked_count: Generated<number>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RichMenuUserLinksTable {
  publication_id: string;
  line_user_id: string;
  state: 'pending' | 'linked' | 'superseded' | 'restored';
  previous_publication_id: string | null;
  /** Disaster switch: the friend's per-user menu before it (null: none, they saw the default). */
  previous_rich_menu_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The per-user menu a friend has on LINE as far as we know: who linked it, and when. */
export interface RichMenuUserMenusTable {
  channel_id: string;
  line_user_id: string;
  rich_menu_id: string;
  source: 'segment' | 'switch' | 'disaster' | 'restored';
  updated_at: Generated<Timestamp>;
}

export interface RichMenuTapsTable {
  /** Null once the area was replaced by an edit (the row keeps its group, positions and label). */
  area_id: string | null;
  group_id: string;
  tab_position: number;
  area_position: number;
  area_label: string | null;
  day: string;
  taps: Generated<number>;
}

/** A chatbot scenario (modules/chatbot, B-01 … B-03): its draft, and which version is published. */
export interface ChatbotScenariosTable {
  id: Generated<string>;
  channel_id: string;
  key: string;
  name: string;
  /** ScenarioDraft without the name: {triggers, timeoutMinutes, graph}. */
  draft: unknown;
  revision: Generated<number>;
  published_version: number | null;
  deleted_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A published version of a scenario (immutable; restorable into the draft). */
export interface ChatbotVersionsTable {
  scenario_id: string;
  version: number;
  /** {triggers, timeoutMinutes, graph} as published. */
  content: unknown;
  published_at: UpdatedAt;
  published_by: string | null;
}

/** The keyword triggers of the published versions, normalised (normalizeForMatch) for lookup. */
export interface ChatbotKeywordsTable {
  channel_id: string;
  scenario_id: string;
  match: 'exact' | 'contains';
  word: string;
  only_in_disaster: Generated<boolean>;
}

/** A friend's place in a scenario (one per channel and friend); vars (answers) sealed. */
export interface ChatbotSessionsTable {
  channel_id: string;
  line_user_id: string;
  /** null: the built-in evacuation guidance (no scenario row). */
  scenario_id: string | null;
  scenario_key: string;
  /** 0: a draft snapshot (send-to-phone) or the built-in template. */
  version: number;
  /** null: not waiting (the scenario ended). */
  node_id: string | null;
  vars_enc: Buffer | null;
  expires_at: Timestamp;
  last_event_id: string | null;
  updated_at: UpdatedAt;
}

/** Analytics of scenarios: a start, a node reached, a completion or a drop. */
export interface ChatbotStepsTable {
  id: Generated<string>;
  channel_id: string;
  scenario_id: string | null;
  scenario_key: string;
  version: number;
  node_id: string;
  kind: 'started' | 'reached' | 'completed' | 'dropped';
  at: CreatedAt;
}

/** A friend handed over to staff by a scenario: the bot stays quiet until closed. */
export interface ChatbotHandoversTable {
  id: Generated<string>;
  channel_id: string;
  line_user_id: string;
  scenario_id: string | null;
  scenario_name: string;
  text: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
  closed_by: string | null;
}

/** A channel's FAQ as a whole (modules/chatbot, B-04): the revision the search indexes follow. */
export interface FaqChannelsTable {
  channel_id: string;
  revision: Generated<string>;
  /** The next FAQ No. (only grows: a removed row's number is never reused). */
  next_row_no: Generated<number>;
  updated_at: UpdatedAt;
}

/** One FAQ row: question, answer and what the search reads; its counts are rows of faq_uses (B-04). */
export interface FaqEntriesTable {
  id: Generated<string>;
  channel_id: string;
  /** The FAQ No. staff see and the sheet's ID column carries. */
  row_no: number;
  question: string;
  answer: string;
  category: Generated<string>;
  keywords: Generated<string[]>;
  link: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One use of an FAQ row (B-04): shown as the answer, or a helpful / not helpful tap. Insert only. */
export interface FaqUsesTable {
  channel_id: string;
  entry_id: string;
  kind: 'answered' | 'helpful' | 'not_helpful';
  at: Generated<Timestamp>;
}

/** One ask the FAQ did not answer: normalised text (≤ 200 chars, masked, no LINE user ID). Insert only. */
export interface FaqUnansweredAsksTable {
  channel_id: string;
  text: string;
  at: Generated<Timestamp>;
}

/** When staff last dismissed an unanswered question; asks after it count again from one. */
export interface FaqUnansweredDismissalsTable {
  channel_id: string;
  text: string;
  dismissed_at: Generated<Timestamp>;
}

/** One checkout of a fee for (purpose, ref) (modules/payments, A-02). Amounts in yen. */
export interface PaymentsTable {
  id: Generated<string>;
  purpose: string;
  ref: string;
  description: string;
  lines: ColumnType<{ label: string; unitAmount: number; quantity: number }[], string, string>;
  amount: number;
  currency: Generated<'jpy'>;
  provider: string;
  /** Stored before the provider is called: a retry reuses the provider's checkout. */
  idempotency_key: string;
  /** The provider's checkout (Stripe: Checkout Session ID; PAY.JP: charge ID). */
  provider_ref: string | null;
  /** What a refund names (Stripe: PaymentIntent ID; PAY.JP: charge ID). */
  provider_payment_ref: string | null;
  checkout_url: string | null;
  return_path: string;
  status: Generated<'pending' | 'paid' | 'failed' | 'canceled' | 'refunded'>;
  /** The amount the provider reported as paid (differs from `amount` only when flagged). */
  provider_amount: number | null;
  /** Needs staff: the provider charged another amount, or a payment closed here was paid. */
  flag: 'amount_mismatch' | 'paid_after_close' | null;
  flagged_at: Date | null;
  last_error: string | null;
  checked_at: Date | null;
  paid_at: Date | null;
  closed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The full refund of a payment (modules/payments). */
export interface PaymentRefundsTable {
  id: Generated<string>;
  payment_id: string;
  amount: number;
  reason: string;
  actor_id: string | null;
  idempotency_key: string;
  provider_ref: string | null;
  status: Generated<'requested' | 'pending' | 'succeeded' | 'failed'>;
  last_error: string | null;
  attempts: Generated<number>;
  succeeded_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A payment provider's webhook event, accepted (signature checked) and kept sealed (modules/payments). */
export interface PaymentWebhookEventsTable {
  id: Generated<string>;
  provider: string;
  event_id: string;
  type: string;
  payment_id: string | null;
  payload_enc: Buffer;
  state: Generated<'received' | 'processed' | 'unknown_payment' | 'ignored' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  received_at: CreatedAt;
  processed_at: Date | null;
}

/** A procedure citizens apply for: configured by staff, not code. */
export interface ProceduresTable {
  id: Generated<string>;
  channel_id: string;
  slug: string;
  name_ja: string;
  name_en: Generated<string>;
  description: Generated<string>;
  form_id: string;
  identity_level: 'none' | 'basic' | 'sign';
  unit_fee: Generated<number>;
  copies_item_key: string | null;
  delivery_item_key: string | null;
  /** [{ choiceId, amount }] */
  postage: ColumnType<{ choiceId: string; amount: number }[], string | undefined, string>;
  retention_days: Generated<number>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ApplicationStatusColumn =
  | 'draft'
  | 'identity'
  | 'payment'
  | 'received'
  | 'reviewing'
  | 'shipped'
  | 'returned'
  | 'rejected';

export interface ApplicationsTable {
  id: Generated<string>;
  channel_id: string;
  procedure_id: string;
  friend_id: string;
  /** 令和 year of the application (R8 = 2026). */
  era_year: number;
  /** bigint: read as a string. */
  serial: ColumnType<string, never, never>;
  status: Generated<ApplicationStatusColumn>;
  choice_ids: ColumnType<string[], string[] | undefined, string[]>;
  numbers: ColumnType<Record<string, number>, string | undefined, string>;
  texts_enc: Buffer | null;
  text_keys: ColumnType<string[], string[] | undefined, string[]>;
  identity_verification_id: string | null;
  payment_id: string | null;
  amount: number | null;
  /** [{ label, unitAmount, quantity }] fixed when the answers were sent. */
  fee_lines: ColumnType<
    { label: string; unitAmount: number; quantity: number }[] | null,
    string | null | undefined,
    string | null
  >;
  /** The reason of 差戻し / 却下 (sealed: it may name the person). */
  reason_enc: Buffer | null;
  assignee_id: string | null;
  request_key: string | null;
  submitted_at: Date | null;
  closed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApplicationChangesTable {
  id: Generated<string>;
  application_id: string;
  staff_id: string | null;
  actor: 'citizen' | 'staff' | 'system';
  field: 'status' | 'assignee' | 'note';
  from_value: string;
  to_value: string;
  at: CreatedAt;
}

export interface Database {
  channels: ChannelsTable;
  line_events: LineEventsTable;
  line_events_rejected: LineEventsRejectedTable;
  friends: FriendsTable;
  friend_events: FriendEventsTable;
  roles: RolesTable;
  staff_accounts: StaffAccountsTable;
  staff_sessions: StaffSessionsTable;
  login_throttles: LoginThrottlesTable;
  login_failure_windows: LoginFailureWindowsTable;
  rate_limits: RateLimitsTable;
  ip_allowlist_entries: IpAllowlistEntriesTable;
  audit_log: AuditLogTable;
  citizen_sessions: CitizenSessionsTable;
  desks: DesksTable;
  desk_counselors: DeskCounselorsTable;
  consultees: ConsulteesTable;
  consultations: ConsultationsTable;
  consultation_messages: ConsultationMessagesTable;
  consultation_records: ConsultationRecordsTable;
  forms: FormsTable;
  form_items: FormItemsTable;
  form_choices: FormChoicesTable;
  form_responses: FormResponsesTable;
  segments: SegmentsTable;
  media: MediaTable;
  deliveries: DeliveriesTable;
  delivery_batches: DeliveryBatchesTable;
  delivery_links: DeliveryLinksTable;
  delivery_clicks: DeliveryClicksTable;
  line_outbox: LineOutboxTable;
  shelters: SheltersTable;
  rich_menu_groups: RichMenuGroupsTable;
  rich_menu_tabs: RichMenuTabsTable;
  rich_menu_areas: RichMenuAreasTable;
  rich_menu_publications: RichMenuPublicationsTable;
  rich_menu_user_links: RichMenuUserLinksTable;
  rich_menu_taps: RichMenuTapsTable;
  rich_menu_user_menus: RichMenuUserMenusTable;
  chatbot_scenarios: ChatbotScenariosTable;
  chatbot_versions: ChatbotVersionsTable;
  chatbot_keywords: ChatbotKeywordsTable;
  chatbot_sessions: ChatbotSessionsTable;
  chatbot_steps: ChatbotStepsTable;
  chatbot_handovers: ChatbotHandoversTable;
  faq_channels: FaqChannelsTable;
  faq_entries: FaqEntriesTable;
  faq_uses: FaqUsesTable;
  surveys: SurveysTable;
  booking_calendars: BookingCalendarsTable;
  booking_slots: BookingSlotsTable;
  bookings: BookingsTable;
  booking_waitlist: BookingWaitlistTable;
  booking_changes: BookingChangesTable;
  report_categories: ReportCategoriesTable;
  reports: ReportsTable;
  report_photos: ReportPhotosTable;
  report_changes: ReportChangesTable;
  report_location_requests: ReportLocationRequestsTable;
  mail_outbox: MailOutboxTable;
  mail_addresses: MailAddressesTable;
  mail_rules: MailRulesTable;
  mail_messages: MailMessagesTable;
  forwarding_targets: ForwardingTargetsTable;
  forwarding_items: ForwardingItemsTable;
  identity_verifications: IdentityVerificationsTable;
  survey_documents: SurveyDocumentsTable;
  survey_responses: SurveyResponsesTable;
  survey_response_changes: SurveyResponseChangesTable;
  survey_files: SurveyFilesTable;
  faq_unanswered_asks: FaqUnansweredAsksTable;
  faq_unanswered_dismissals: FaqUnansweredDismissalsTable;
  payments: PaymentsTable;
  payment_refunds: PaymentRefundsTable;
  payment_webhook_events: PaymentWebhookEventsTable;
  procedures: ProceduresTable;
  applications: ApplicationsTable;
  application_changes: ApplicationChangesTable;
  maintenance_windows: MaintenanceWindowsTable;
  change_records: ChangeRecordsTable;
  access_log: AccessLogTable;
  incident_reports: IncidentReportsTable;
}

/** A maintenance window (O-04, C-15): active while it covers now; ends_at null = until switched off. */
export interface MaintenanceWindowsTable {
  id: Generated<string>;
  starts_at: Date;
  ends_at: Date | null;
  message_ja: string;
  message_en: string | null;
  created_by: string;
  created_at: CreatedAt;
  canceled_at: Date | null;
  canceled_by: string | null;
}

/** A record of a change to the running system (O-05): a start that ran something new, or an operator's entry. */
export interface ChangeRecordsTable {
  id: Generated<string>;
  at: CreatedAt;
  kind: 'start' | 'patch' | 'update' | 'config';
  summary: string;
  version: string | null;
  revision: string | null;
  node_version: string | null;
  postgres_version: string | null;
  migrations: ColumnType<string[] | null, string | null, never>;
  config_hash: string | null;
  /** Every configuration key and a hash of its value (secret keys: only whether set). */
  config_keys: ColumnType<Record<string, string> | null, string | null, never>;
  changed_keys: ColumnType<string[] | null, string | null, never>;
  created_by: string;
}

/** One HTTP request (S-05), kept ACCESS_LOG_RETENTION_DAYS. */
export interface AccessLogTable {
  id: Generated<string>;
  at: Date;
  method: string;
  route: string | null;
  path: string;
  status: number;
  duration_ms: number;
  ip: string | null;
  account_id: string | null;
  user_agent: string | null;
}

/** A failure and what was done about it (O-03: cause, action, prevention), kept by the system staff. */
export interface IncidentReportsTable {
  id: Generated<string>;
  title: string;
  status: 'open' | 'resolved';
  started_at: Timestamp;
  ended_at: Timestamp | null;
  impact: string;
  cause: string;
  action: string;
  prevention: string;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}
