/** Shapes of the REST API responses (see the API contract in apps/console/README.md). */

/** The permission keys are the server's (packages/contracts/src/permissions.ts). */
export type { Permission as PermissionKey } from '@madoguchi/contracts';

export type SessionAccount = {
  id: string;
  loginId: string;
  displayName: string;
  role: { id: string; name: string };
  permissions: string[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
};

export type Session = { account: SessionAccount; csrfToken: string };

export type Environment = 'production' | 'test';

export type Channel = {
  id: string;
  name: string;
  lineChannelId: string;
  environment: Environment;
  webhookUrl: string;
  loginChannelId: string | null;
  liffId: string | null;
  botUserId: string | null;
  createdAt: string;
};

export type ChannelInput = {
  name: string;
  lineChannelId: string;
  channelSecret?: string;
  accessToken?: string;
  environment: Environment;
  loginChannelId?: string;
  loginChannelSecret?: string;
  liffId?: string;
};

export type DashboardDay = { date: string; follows: number; unfollows: number; following: number };

export type Dashboard = {
  channel: { id: string; name: string; environment: Environment };
  totals: { following: number; blocked: number; total: number };
  series: DashboardDay[];
};

export type FriendStatus = 'following' | 'blocked';

export type Friend = {
  id: string;
  lineUserId: string;
  displayName: string | null;
  pictureUrl: string | null;
  status: FriendStatus;
  followedAt: string | null;
  unfollowedAt: string | null;
  isTest: boolean;
};

export type FriendPage = { items: Friend[]; total: number };

export type Account = {
  id: string;
  loginId: string;
  displayName: string;
  roleId: string;
  roleName: string;
  disabled: boolean;
  locked: boolean;
  /** When sign-in is possible again from every address (without an admin's unlock). */
  lockedUntil: string | null;
  totpEnabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};

export type Permission = { key: string; group: string; label: string };

export type Role = {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
  accountCount: number;
};

export type IpEntry = { cidr: string; note: string };
export type IpArea = 'admin' | 'counselor';
export type IpAllowlists = { admin: IpEntry[]; counselor: IpEntry[]; clientIp: string };

export type AuditEntry = {
  id: string;
  at: string;
  accountId: string | null;
  loginId: string | null;
  ip: string | null;
  action: string;
  /** The action in Japanese (the console uses the shared label table for the chosen language). */
  actionLabel?: string;
  targetType: string | null;
  targetId: string | null;
  /** The target's name when the server could resolve it (accounts, roles, channels, deliveries…). */
  targetName?: string | null;
  result: 'success' | 'failure';
  count: number | null;
};

export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };

// ---- SNS consultation (docs/dev/consultation-api.md) ----

export type Origin = 'line' | 'web';
export type ConsultationStatus = 'waiting' | 'active' | 'closed';
/** "0" = Sunday … "6" = Saturday; times "HH:MM" Asia/Tokyo. */
export type Hours = { [weekday: string]: { start: string; end: string }[] };
export type RecordFieldType = 'select' | 'text' | 'textarea';
export type RecordField = {
  key: string;
  label: string;
  type: RecordFieldType;
  options?: string[];
  required: boolean;
};
export type EmergencyContact = { name: string; phone: string; hours: string };
export type CannedResponse = { title: string; text: string };

export type Desk = {
  id: string;
  channelId: string | null;
  name: string;
  slug: string;
  description: string;
  hours: Hours;
  closedOnHolidays: boolean;
  closedDates: string[];
  greeting: string;
  outOfHoursReply: string;
  emergencyContacts: EmergencyContact[];
  recordFields: RecordField[];
  allowIncompleteRecords: boolean;
  cannedResponses: CannedResponse[];
  webEnabled: boolean;
  hasAccessCode: boolean;
  maxConcurrent: number;
  riskWords: string[];
  keywords: string[];
  counselorIds: string[];
  openNow: boolean;
};

/** POST /api/desks body (PATCH sends the same, partial). `accessCode`: omitted = unchanged, null = remove. */
export type DeskInput = Omit<Desk, 'id' | 'openNow' | 'hasAccessCode'> & { accessCode?: string | null };

export type MessageSender = 'consultee' | 'counselor' | 'system';
export type MessageKind = 'text' | 'note';
export type ConsultationMessage = {
  id: string;
  sender: MessageSender;
  kind: MessageKind;
  text: string;
  createdAt: string;
  clientId: string | null;
  accountName: string | null;
};

export type Presence = { online: boolean; typing: boolean };

export type ConsultationSummary = {
  id: string;
  deskId: string;
  deskName: string;
  origin: Origin;
  status: ConsultationStatus;
  counselorId: string | null;
  counselorName: string | null;
  consulteeId: string;
  consulteeLabel: string;
  openedAt: string;
  lastMessageAt: string | null;
  firstReplyAt: string | null;
  closedAt: string | null;
  riskFlagged: boolean;
  presence: Presence;
};

export type ConsultationRecord = {
  values: Record<string, string>;
  completedAt: string | null;
  missingReason: string | null;
};

export type ConsultationDetail = {
  consultation: ConsultationSummary;
  messages: ConsultationMessage[];
  record: ConsultationRecord | null;
  historyConfirmedAt: string | null;
  pastCount: number;
};

export type PastConsultation = {
  id: string;
  deskName: string;
  openedAt: string;
  closedAt: string | null;
  counselorName: string | null;
  record: { values: Record<string, string> } | null;
  messages: ConsultationMessage[];
};

/** GET /api/consultation-stats?from=&to=[&deskId=] (C-05). Days are Tokyo days; byDay lists only days with consultations. */
export type ConsultationStats = {
  total: number;
  byDay: { date: string; count: number }[];
  /** 24 entries, hour 0 … 23 (Tokyo). */
  byHour: { hour: number; count: number }[];
  /** Every desk, also those without consultations in the period. */
  byDesk: { deskId: string; name: string; count: number }[];
  byOrigin: { line: number; web: number };
  /** Select record fields; an empty value is counted as 「未入力」. */
  byField: Record<string, { label: string; counts: Record<string, number> }>;
  avgDurationMinutes: number | null;
  avgFirstReplyMinutes: number | null;
};

/** Server → client events of WebSocket /ws/console. */
export type ConsoleEvent =
  | { type: 'consultation'; consultation: ConsultationSummary }
  | { type: 'message'; consultationId: string; message: ConsultationMessage }
  | { type: 'presence'; consultationId: string; online: boolean; typing: boolean }
  | { type: 'risk'; consultationId: string; word: string };
