import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

export const findAccountByLoginId = (db: Db, loginId: string) =>
  db.selectFrom('staff_accounts').selectAll().where('login_id', '=', loginId).executeTakeFirst();

export const findAccount = (db: Db, id: string) =>
  db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst();

export const listAccountRows = (db: Db) =>
  db
    .selectFrom('staff_accounts as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .select([
      'a.id',
      'a.login_id',
      'a.display_name',
      'a.role_id',
      'r.name as role_name',
      'a.disabled',
      'a.totp_secret_enc',
      'a.last_login_at',
      'a.created_at',
    ])
    .orderBy('a.login_id')
    .execute();

export const insertAccount = (
  db: Db,
  a: {
    loginId: string;
    displayName: string;
    roleId: string;
    passwordHash: string;
    mustChangePassword: boolean;
  },
) =>
  db
    .insertInto('staff_accounts')
    .values({
      login_id: a.loginId,
      display_name: a.displayName,
      role_id: a.roleId,
      password_hash: a.passwordHash,
      must_change_password: a.mustChangePassword,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();

export async function updateAccount(
  db: Db,
  id: string,
  patch: Partial<{
    display_name: string;
    role_id: string;
    disabled: boolean;
    password_hash: string;
    must_change_password: boolean;
    totp_secret_enc: string | null;
    totp_pending_secret_enc: string | null;
    last_login_at: Date;
  }>,
) {
  const r = await db
    .updateTable('staff_accounts')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Enabled accounts holding the built-in admin role, other than `exceptId`. */
export async function countOtherEnabledAdmins(db: Db, exceptId: string): Promise<number> {
  const r = await db
    .selectFrom('staff_accounts as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('r.builtin_key', '=', 'admin')
    .where('a.disabled', '=', false)
    .where('a.id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// Public read API of accounts (other modules read staff_accounts and roles only through these).

/** The account with its role's permissions (whether it may be assigned consultations). */
export const findStaffForAssignment = (db: Db | Transaction<Database>, accountId: string) =>
  db
    .selectFrom('staff_accounts as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .select(['a.id', 'a.display_name', 'a.disabled', 'r.permissions'])
    .where('a.id', '=', accountId)
    .executeTakeFirst();

/** Enabled accounts whose role holds `permission` (e.g. who may be assigned a report). */
export const listStaffWithPermission = (db: Db, permission: string) =>
  db
    .selectFrom('staff_accounts as a')
    .innerJoin('roles as r', 'r.id', 'a.role_id')
    .select(['a.id', 'a.display_name'])
    .where('a.disabled', '=', false)
    .where(sql<boolean>`${permission} = any(r.permissions)`)
    .orderBy('a.display_name')
    .execute();

/** Display names of the accounts among `ids`. */
export const accountDisplayNames = async (db: Db, ids: string[]) => {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom('staff_accounts')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
};

/** Display and login names of the accounts among `ids` (audit log target names). */
export const accountNames = (db: Db, ids: string[]) =>
  db.selectFrom('staff_accounts').select(['id', 'display_name', 'login_id']).where('id', 'in', ids).execute();
