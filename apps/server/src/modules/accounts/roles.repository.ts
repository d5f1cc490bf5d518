import type { Db } from '../../db/database.ts';

export const listRoleRows = (db: Db) =>
  db
    .selectFrom('roles as r')
    .select((eb) => [
      'r.id',
      'r.name',
      'r.builtin_key',
      'r.permissions',
      eb
        .selectFrom('staff_accounts as a')
        .whereRef('a.role_id', '=', 'r.id')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('account_count'),
    ])
    .orderBy('r.created_at')
    .execute();

export const findRole = (db: Db, id: string) =>
  db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();

export const findRoleByName = (db: Db, name: string) =>
  db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();

export const findRoleByKey = (db: Db, key: string) =>
  db.selectFrom('roles').selectAll().where('builtin_key', '=', key).executeTakeFirst();

export const insertRole = (db: Db, r: { name: string; permissions: string[]; builtinKey?: string }) =>
  db
    .insertInto('roles')
    .values({ name: r.name, permissions: r.permissions, builtin_key: r.builtinKey ?? null })
    .onConflict((oc) => oc.column('builtin_key').doNothing())
    .returning(['id'])
    .executeTakeFirst();

export const updateRole = (db: Db, id: string, patch: { name?: string; permissions?: string[] }) =>
  db
    .updateTable('roles')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();

export const deleteRole = (db: Db, id: string) =>
  db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();

export async function roleInUse(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_accounts')
    .select('id')
    .where('role_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** Names of the roles among `ids` (public read API). */
export const roleNames = (db: Db, ids: string[]) =>
  db.selectFrom('roles').select(['id', 'name']).where('id', 'in', ids).execute();
