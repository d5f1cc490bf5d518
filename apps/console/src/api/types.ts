/** Shapes of the REST API responses (see the API contract in apps/console/README.md). */

export type PermissionKey =
  | 'dashboard.view'
  | 'friends.view'
  | 'channels.view'
  | 'channels.manage'
  | 'accounts.view'
  | 'accounts.manage'
  | 'roles.manage'
  | 'security.manage'
  | 'audit.view';

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
  targetType: string | null;
  targetId: string | null;
  result: 'success' | 'failure';
  count: number | null;
};

export type AuditPage = { items: AuditEntry[]; nextCursor: string | null };
