import type { RoleView } from '@madoguchi/contracts/accounts.ts';
import type { Db } from '../../db/database.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { validPermissions } from './accounts.service.ts';
import {
  deleteRole,
  findRole,
  findRoleByName,
  insertRole,
  listRoleRows,
  roleInUse,
  updateRole,
} from './roles.repository.ts';

// Read by other modules through this service (they never import this module's repository).
export { roleNames } from './roles.repository.ts';

// Roles (S-08): named sets of permissions. The built-in roles cannot be deleted, and the
// administrator role keeps every permission.

const nameTaken = () => conflict('ROLE_NAME_TAKEN', 'この名前のロールは既にあります');

export async function listRoles(db: Db): Promise<RoleView[]> {
  return (await listRoleRows(db)).map((r) => ({
    id: r.id,
    name: r.name,
    builtin: r.builtin_key !== null,
    permissions: r.permissions,
    accountCount: Number(r.account_count ?? 0),
  }));
}

/** Creates a role; returns its ID. */
export async function createRole(db: Db, input: { name: string; permissions: string[] }) {
  if (await findRoleByName(db, input.name)) throw nameTaken();
  const row = await insertRole(db, { name: input.name, permissions: validPermissions(input.permissions) });
  return row?.id;
}

export async function changeRole(db: Db, id: string, input: { name?: string; permissions?: string[] }) {
  const role = await findRole(db, id);
  if (!role) throw notFound('ロール');
  if (role.builtin_key === 'admin' && input.permissions) {
    throw conflict('ROLE_BUILTIN', '管理者ロールの権限は変更できません');
  }
  if (input.name && input.name !== role.name && (await findRoleByName(db, input.name))) throw nameTaken();
  await updateRole(db, role.id, {
    ...(input.name ? { name: input.name } : {}),
    ...(input.permissions ? { permissions: validPermissions(input.permissions) } : {}),
  });
}

export async function removeRole(db: Db, id: string) {
  const role = await findRole(db, id);
  if (!role) throw notFound('ロール');
  if (role.builtin_key) throw conflict('ROLE_BUILTIN', '標準のロールは削除できません');
  if (await roleInUse(db, role.id))
    throw conflict('ROLE_IN_USE', 'このロールを使っているアカウントがあります');
  await deleteRole(db, role.id);
}
