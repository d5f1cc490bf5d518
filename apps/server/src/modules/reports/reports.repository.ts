import { type Insertable, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, ReportCategoriesTable, ReportPhotosTable, ReportsTable } from '../../db/schema.ts';

// All SQL of fault reports (R-01 … R-03): categories, reports, their photos and history (their
// notification mails are the mail module's). Reads the assignee's and reporter's display names and
// whether a report has a failed mail (READ_JOINS).

type Tx = Db | Transaction<Database>;

export type CategoryRow = Selectable<ReportCategoriesTable>;
export type ReportRow = Selectable<ReportsTable>;

// ---------------------------------------------------------------------------------------------
// Categories

export const listCategoryRows = (db: Tx, channelId: string, opts: { activeOnly?: boolean } = {}) => {
  let q = db.selectFrom('report_categories').selectAll().where('channel_id', '=', channelId);
  if (opts.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('created_at').execute();
};

export const findCategoryRow = (db: Tx, id: string) =>
  db.selectFrom('report_categories').selectAll().where('id', '=', id).executeTakeFirst();

export const findCategoryByName = (db: Tx, channelId: string, name: string) =>
  db
    .selectFrom('report_categories')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('name', '=', name)
    .executeTakeFirst();

export const insertCategoryRow = async (db: Tx, values: Insertable<ReportCategoriesTable>) =>
  (await db.insertInto('report_categories').values(values).returning('id').executeTakeFirstOrThrow()).id;

export const updateCategoryRow = (db: Tx, id: string, change: Updateable<ReportCategoriesTable>) =>
  db
    .updateTable('report_categories')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();

export const categoryInUse = async (db: Tx, id: string) =>
  (await db.selectFrom('reports').select('id').where('category_id', '=', id).limit(1).executeTakeFirst()) !==
  undefined;

export const deleteCategoryRow = (db: Tx, id: string) =>
  db.deleteFrom('report_categories').where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------------------------------------
// Photos

export const insertPhotoRow = async (db: Tx, values: Insertable<ReportPhotosTable>) =>
  (await db.insertInto('report_photos').values(values).returning('id').executeTakeFirstOrThrow()).id;

/** Photos the friend uploaded since `since` and not yet attached (a bound on stray uploads). */
export const countUnattachedPhotos = async (db: Tx, friendId: string, since: Date) =>
  (
    await db
      .selectFrom('report_photos')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('friend_id', '=', friendId)
      .where('report_id', 'is', null)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow()
  ).n;

/** The friend's unattached photos among `ids`, locked (a report takes them). */
export const lockUnattachedPhotos = (trx: Transaction<Database>, friendId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : trx
        .selectFrom('report_photos')
        .select('id')
        .where('id', 'in', ids)
        .where('friend_id', '=', friendId)
        .where('report_id', 'is', null)
        .forUpdate()
        .execute();

export async function attachPhotos(trx: Transaction<Database>, reportId: string, ids: string[]) {
  for (const [position, id] of ids.entries())
    await trx
      .updateTable('report_photos')
      .set({ report_id: reportId, position })
      .where('id', '=', id)
      .execute();
}

export const photoIdsOf = async (db: Tx, reportId: string) =>
  (
    await db
      .selectFrom('report_photos')
      .select('id')
      .where('report_id', '=', reportId)
      .orderBy('position')
      .execute()
  ).map((r) => r.id);

export const findPhotoRow = (db: Tx, reportId: string, photoId: string) =>
  db
    .selectFrom('report_photos')
    .select(['content_type', 'bytes', 'sealed'])
    .where('report_id', '=', reportId)
    .where('id', '=', photoId)
    .executeTakeFirst();

/** Up to `limit` photos stored before they were sealed, locked (the photo job seals them). */
export const lockPlainPhotos = (trx: Transaction<Database>, limit: number) =>
  trx
    .selectFrom('report_photos')
    .select(['id', 'bytes'])
    .where('sealed', '=', false)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

export const sealPhotoRow = (trx: Transaction<Database>, id: string, sealedBytes: Buffer) =>
  trx.updateTable('report_photos').set({ bytes: sealedBytes, sealed: true }).where('id', '=', id).execute();

/** Uploads never attached to a report within a day are deleted. */
export const pruneUnattachedPhotos = async (db: Tx, before: Date) =>
  Number(
    (
      await db
        .deleteFrom('report_photos')
        .where('report_id', 'is', null)
        .where('created_at', '<', before)
        .executeTakeFirst()
    ).numDeletedRows,
  );

// ---------------------------------------------------------------------------------------------
// Reports

export const findReportByRequest = (db: Tx, friendId: string, requestKey: string) =>
  db
    .selectFrom('reports')
    .select(['id', 'created_at'])
    .where('friend_id', '=', friendId)
    .where('request_key', '=', requestKey)
    .executeTakeFirst();

export const insertReportRow = (db: Tx, values: Insertable<ReportsTable>) =>
  db.insertInto('reports').values(values).returning(['id', 'created_at']).executeTakeFirstOrThrow();

export interface ReportFilter {
  channelId?: string;
  friendId?: string;
  reportId?: string;
  status?: string;
  categoryId?: string;
  from?: Date;
  to?: Date;
  before?: { at: string; id: string };
}

/** Reports with their category, assignee, reporter, photo count and failed mails; newest first. */
export function reportRows(db: Tx, f: ReportFilter) {
  let q = db
    .selectFrom('reports as r')
    .innerJoin('report_categories as c', 'c.id', 'r.category_id')
    .leftJoin('staff_accounts as a', 'a.id', 'r.assignee_id')
    .leftJoin('friends as fr', 'fr.id', 'r.friend_id')
    .select([
      'r.id',
      'r.channel_id',
      'r.category_id',
      'c.name as category',
      'r.status',
      'r.text_enc',
      'r.occurred_at',
      'r.lat',
      'r.lng',
      'r.assignee_id',
      'a.display_name as assignee',
      'fr.display_name as reporter',
      'r.created_at',
      'r.updated_at',
      sql<string>`r.created_at::text`.as('page_at'),
      (eb) =>
        eb
          .selectFrom('report_photos as p')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('p.report_id', '=', 'r.id')
          .as('photos'),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('mail_outbox as m')
              .select('m.id')
              .whereRef('m.report_id', '=', 'r.id')
              .where('m.status', '=', 'failed'),
          )
          .as('mail_failed'),
    ]);
  if (f.channelId) q = q.where('r.channel_id', '=', f.channelId);
  if (f.friendId) q = q.where('r.friend_id', '=', f.friendId);
  if (f.reportId) q = q.where('r.id', '=', f.reportId);
  if (f.status) q = q.where('r.status', '=', f.status as ReportRow['status']);
  if (f.categoryId) q = q.where('r.category_id', '=', f.categoryId);
  if (f.from) q = q.where('r.created_at', '>=', f.from);
  if (f.to) q = q.where('r.created_at', '<', f.to);
  if (f.before) {
    const { at, id } = f.before;
    q = q.where(sql<boolean>`(r.created_at, r.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc');
}

export type ListedReportRow = Awaited<ReturnType<ReturnType<typeof reportRows>['execute']>>[number];

export const countReports = async (db: Tx, f: Omit<ReportFilter, 'before'>) => {
  let q = db.selectFrom('reports as r').select(sql<number>`count(*)::int`.as('n'));
  if (f.channelId) q = q.where('r.channel_id', '=', f.channelId);
  if (f.status) q = q.where('r.status', '=', f.status as ReportRow['status']);
  if (f.categoryId) q = q.where('r.category_id', '=', f.categoryId);
  if (f.from) q = q.where('r.created_at', '>=', f.from);
  if (f.to) q = q.where('r.created_at', '<', f.to);
  return (await q.executeTakeFirstOrThrow()).n;
};

export const lockReportRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const updateReportRow = (db: Tx, id: string, change: Updateable<ReportsTable>) =>
  db
    .updateTable('reports')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

export const insertChangeRow = (
  db: Tx,
  c: {
    reportId: string;
    staffId: string | null;
    field: 'status' | 'assignee' | 'note';
    from: string;
    to: string;
  },
) =>
  db
    .insertInto('report_changes')
    .values({
      report_id: c.reportId,
      staff_id: c.staffId,
      field: c.field,
      from_value: c.from,
      to_value: c.to,
    })
    .execute();

export const listChangeRows = (db: Tx, reportId: string) =>
  db
    .selectFrom('report_changes as c')
    .leftJoin('staff_accounts as a', 'a.id', 'c.staff_id')
    .select(['c.at', 'a.display_name as staff', 'c.field', 'c.from_value', 'c.to_value'])
    .where('c.report_id', '=', reportId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();
