import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  areaOfPermission,
  BUILTIN_ROLES,
  hasPermission,
  isPermission,
} from './permissions.ts';

describe('roles and permissions (S-08)', () => {
  it('S-08: the admin role has every permission; the others only theirs', () => {
    const byKey = Object.fromEntries(BUILTIN_ROLES.map((r) => [r.key, r.permissions]));
    expect(byKey.admin).toEqual(ALL_PERMISSIONS);
    expect(hasPermission(byKey.general!, 'accounts.manage')).toBe(false);
    expect(hasPermission(byKey.general!, 'dashboard.view')).toBe(true);
    expect(hasPermission(byKey.counselor!, 'consultation.handle')).toBe(true);
    expect(hasPermission(byKey.counselor!, 'audit.view')).toBe(false);
    expect(hasPermission(byKey.supervisor!, 'consultation.monitor')).toBe(true);
  });

  it('C-03: consultation permissions belong to the counselor area, the rest to the admin area', () => {
    expect(areaOfPermission('consultation.handle')).toBe('counselor');
    expect(areaOfPermission('accounts.manage')).toBe('admin');
  });

  it('S-08: unknown permission keys are recognised as such', () => {
    expect(isPermission('accounts.manage')).toBe(true);
    expect(isPermission('accounts.destroy')).toBe(false);
  });
});
