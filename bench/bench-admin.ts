import { randomBytes } from 'node:crypto';
import type { Db } from '../apps/server/src/db/database.ts';
import { createAccount } from '../apps/server/src/modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../apps/server/src/modules/accounts/roles.repository.ts';

/** The administrator a benchmark signs in as, with a fresh random password. */
export async function createBenchAdmin(db: Db): Promise<{ loginId: string; password: string }> {
  const role = await findRoleByKey(db, 'admin');
  if (!role) throw new Error('no built-in admin role');
  const loginId = 'bench-admin';
  const password = `Bench-${randomBytes(9).toString('base64url')}-9`;
  await createAccount(db, {
    loginId,
    displayName: 'ベンチ 管理者',
    roleId: role.id,
    password,
    mustChangePassword: false,
  });
  return { loginId, password };
}
