import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccessLogTable } from '../../db/schema.ts';

// access_log (S-05): one row per HTTP request, written in batches.

export type AccessLogInsert = Insertable<AccessLogTable>;

export async function insertAccessLogs(db: Db, rows: AccessLogInsert[]): Promise<void> {
  if (rows.length) await db.insertInto('access_log').values(rows).execute();
}

/** Rows in [from, to), oldest first. */
export const accessLogsBetween = (db: Db, from: Date, to: Date) =>
  db
    .selectFrom('access_log')
    .selectAll()
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('at')
    .orderBy('id')
    .execute();

export async function deleteAccessLogsBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('access_log').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
