import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { IncidentReportsTable } from '../../db/schema.ts';

// All SQL of the incident reports (O-03).

export type IncidentRow = Selectable<IncidentReportsTable>;

/** The newest first (by start); a city records a few a year, so the list is not paged. */
export function listIncidentRows(db: Db, limit: number): Promise<IncidentRow[]> {
  return db
    .selectFrom('incident_reports')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function findIncidentRow(db: Db, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incident_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertIncidentRow(db: Db, row: Insertable<IncidentReportsTable>): Promise<IncidentRow> {
  return db.insertInto('incident_reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateIncidentRow(
  db: Db,
  id: string,
  patch: Updateable<IncidentReportsTable>,
): Promise<IncidentRow | undefined> {
  return db
    .updateTable('incident_reports')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
