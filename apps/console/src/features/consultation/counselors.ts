import type { Account, Role } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { useApi } from '../../lib/useApi.ts';

export type StaffAccount = {
  id: string;
  displayName: string;
  loginId: string;
  disabled: boolean;
  /** The role has consultation.handle; null = the role is unknown (roles not readable). */
  handles: boolean | null;
  /** The role has consultation.monitor (sees every desk); null = unknown. */
  monitors: boolean | null;
};

/** true = may handle consultations, or cannot tell (then every account is offered). */
export const isCounselor = (a: StaffAccount) => a.handles !== false && !a.disabled;

/**
 * The staff accounts for choosing counselors (転送先の相談員, 担当の相談員), read from `GET /api/accounts`
 * and `GET /api/roles` (both need accounts.view, an admin-area permission). `undefined` while loading and
 * when the accounts cannot be read (no permission, IP allow-list): the field is then hidden.
 */
export function useStaffAccounts(): StaffAccount[] | undefined {
  const can = useCan();
  const readable = can('accounts.view');
  const accounts = useApi<Account[]>(readable ? '/api/accounts' : null);
  const roles = useApi<Role[]>(readable ? '/api/roles' : null);
  if (!accounts.data) return undefined;
  // Wait for the roles unless they failed (then the roles are unknown and every account is offered).
  if (!roles.data && roles.error === null) return undefined;
  const byId = new Map((roles.data ?? []).map((r) => [r.id, r.permissions]));
  return accounts.data
    .map((a) => {
      const permissions = byId.get(a.roleId);
      return {
        id: a.id,
        displayName: a.displayName,
        loginId: a.loginId,
        disabled: a.disabled,
        handles: permissions ? permissions.includes('consultation.handle') : null,
        monitors: permissions ? permissions.includes('consultation.monitor') : null,
      };
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja'));
}
