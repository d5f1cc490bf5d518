// Per-feature permissions (keys and labels in @madoguchi/contracts). Roles hold a list of these keys;
// admins build custom roles from them.

import { PERMISSIONS, type Permission } from '@madoguchi/contracts';

export { PERMISSIONS, type Permission };

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
    permissions: ['dashboard.view', 'friends.view', 'channels.view', 'shelters.status'],
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
