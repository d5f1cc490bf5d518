// Per-feature permissions. Roles hold a list of these keys; admins build custom roles from them.

export const PERMISSIONS = [
  { key: 'dashboard.view', group: 'ダッシュボード', label: 'ダッシュボードを見る' },
  { key: 'friends.view', group: '友だち', label: '友だち一覧を見る' },
  { key: 'channels.view', group: 'LINE チャネル', label: 'チャネルを見る' },
  { key: 'channels.manage', group: 'LINE チャネル', label: 'チャネルを登録・変更する' },
  { key: 'accounts.view', group: 'アカウント', label: 'アカウント一覧を見る' },
  { key: 'accounts.manage', group: 'アカウント', label: 'アカウントを作成・変更・パスワード再設定する' },
  { key: 'roles.manage', group: 'アカウント', label: 'ロールと権限を管理する' },
  { key: 'security.manage', group: 'セキュリティ', label: 'IP アクセス制限を変更する' },
  { key: 'audit.view', group: 'セキュリティ', label: '操作ログを見る・出力する' },
  { key: 'consultation.handle', group: 'SNS相談', label: '相談に対応する' },
  { key: 'consultation.monitor', group: 'SNS相談', label: '相談をモニタリング・閲覧する' },
  { key: 'consultation.manage', group: 'SNS相談', label: '相談窓口を設定する' },
  { key: 'consultation.export', group: 'SNS相談', label: '相談の統計を見る・出力する' },
] as const;

export type Permission = (typeof PERMISSIONS)[number]['key'];

export const ALL_PERMISSIONS: Permission[] = PERMISSIONS.map((p) => p.key);

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as string[]).includes(value);
}

/** Built-in roles created by the first migration run; they cannot be deleted. */
export const BUILTIN_ROLES: { key: string; name: string; permissions: Permission[] }[] = [
  { key: 'admin', name: '管理者', permissions: ALL_PERMISSIONS },
  {
    key: 'general',
    name: '一般',
    permissions: ['dashboard.view', 'friends.view', 'channels.view'],
  },
  { key: 'counselor', name: '相談員', permissions: ['consultation.handle'] },
  {
    key: 'supervisor',
    name: 'スーパーバイザー',
    permissions: ['consultation.handle', 'consultation.monitor', 'consultation.export', 'dashboard.view'],
  },
];

/** Features in the counselor area are reachable only from the counselor IP allow-list (C-03). */
export function areaOfPermission(permission: Permission): 'admin' | 'counselor' {
  return permission.startsWith('consultation.') ? 'counselor' : 'admin';
}

export function hasPermission(granted: readonly string[], needed: Permission): boolean {
  return granted.includes(needed);
}
