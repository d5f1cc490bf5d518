/**
 * Shapes of the REST API responses under the console's names. The channel, account, role, session
 * and consultation shapes are the HTTP contract (packages/contracts/src/); the rest are written here.
 */

/** The permission keys are the server's (packages/contracts/src/permissions.ts). */
export type { Permission as PermissionKey } from '@madoguchi/contracts';
export type {
  AccountView as Account,
  PermissionView as Permission,
  RoleView as Role,
  SessionView as Session,
} from '@madoguchi/contracts/accounts.ts';
export type { ChannelUpdate, ChannelView as Channel, Environment } from '@madoguchi/contracts/channels.ts';
export type {
  CannedResponse,
  ConsoleEvent,
  ConsultationDetail,
  ConsultationMessage,
  ConsultationRecord,
  ConsultationStats,
  ConsultationStatus,
  ConsultationSummary,
  DeskUpdate,
  DeskView as Desk,
  Hours,
  MessageKind,
  Origin,
  PastConsultation,
  Presence,
  RecordField,
  RecordFieldType,
} from '@madoguchi/contracts/consultation.ts';

import type { Environment } from '@madoguchi/contracts/channels.ts';

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
