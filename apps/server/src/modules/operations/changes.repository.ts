import { type Insertable, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChangeRecordsTable } from '../../db/schema.ts';

// change_records (O-05).

export type ChangeInsert = Insertable<ChangeRecordsTable>;

export const insertChange = (db: Db, row: ChangeInsert) =>
  db.insertInto('change_records').values(row).returningAll().executeTakeFirstOrThrow();

export const lastStart = (db: Db) =>
  db
    .selectFrom('change_records')
    .selectAll()
    .where('kind', '=', 'start')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listChanges = (db: Db, limit: number) =>
  db.selectFrom('change_records').selectAll().orderBy('id', 'desc').limit(limit).execute();

export async function postgresVersion(db: Db): Promise<string> {
  const r = await sql<{ server_version: string }>`show server_version`.execute(db);
  return r.rows[0]!.server_version;
}

/** Runs `fn` holding the change record's lock, so nodes starting together write one row, not two. */
export const withChangeLock = <T>(db: Db, fn: (trx: Db) => Promise<T>) =>
  db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('madoguchi.change_records'))`.execute(trx);
    return fn(trx);
  });
