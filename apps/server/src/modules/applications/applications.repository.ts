import { type Insertable, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  ApplicationChangesTable,
  ApplicationStatusColumn,
  ApplicationsTable,
  Database,
  ProceduresTable,
} from '../../db/schema.ts';

// All SQL of procedures and applications. Reads the assignee's and the applicant's display
// names for the queue (READ_JOINS).

type Tx = Db | Transaction<Database>;

export type ProcedureRow = Selectable<ProceduresTable>;
export type ApplicationRow = Selectable<ApplicationsTable>;

// ---- procedures ----

export async function insertProcedureRow(db: Tx, row: Insertable<ProceduresTable>) {
  return (await db.insertInto('procedures').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export const updateProcedureRow = (db: Tx, id: string, change: Updateable<ProceduresTable>) =>
  db
    .updateTable('procedures')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

export const findProcedureRow = (db: Tx, id: string) =>
  db.selectFrom('procedures').selectAll().where('id', '=', id).executeTakeFirst();

export const lockProcedureRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('procedures').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findProcedureBySlug = (db: Tx, channelId: string, slug: string) =>
  db
    .selectFrom('procedures')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('slug', '=', slug)
    .executeTakeFirst();

export const listProcedureRows = (db: Tx, channelId: string, opts: { activeOnly?: boolean } = {}) => {
  let q = db
    .selectFrom('procedures as p')
    .selectAll('p')
    .select((eb) =>
      eb
        .selectFrom('applications as a')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('a.procedure_id', '=', 'p.id')
        .where('a.submitted_at', 'is not', null)
        .as('applications'),
    )
    .where('p.channel_id', '=', channelId);
  if (opts.activeOnly) q = q.where('p.active', '=', true);
  return q.orderBy('p.created_at').orderBy('p.id').execute();
};

export const countProcedureApplications = async (db: Tx, procedureId: string) =>
  (
    await db
      .selectFrom('applications')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('procedure_id', '=', procedureId)
      .where('submitted_at', 'is not', null)
      .executeTakeFirstOrThrow()
  ).n;

// ---- applications ----

export async function insertApplicationRow(db: Tx, row: Insertable<ApplicationsTable>) {
  return db
    .insertInto('applications')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['friend_id', 'request_key']).where('request_key', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}

export const findApplicationRow = (db: Tx, id: string) =>
  db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();

export const lockApplicationRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findApplicationByRequest = (db: Tx, friendId: string, requestKey: string) =>
  db
    .selectFrom('applications')
    .select('id')
    .where('friend_id', '=', friendId)
    .where('request_key', '=', requestKey)
    .executeTakeFirst();

export const updateApplicationRow = (db: Tx, id: string, change: Updateable<ApplicationsTable>) =>
  db
    .updateTable('applications')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();

export interface ApplicationFilter {
  channelId?: string;
  applicationId?: string;
  status?: ApplicationStatusColumn;
  procedureId?: string;
  assigneeId?: string;
  from?: Date;
  to?: Date;
  before?: { at: string; id: string };
}

/** The staff queue: sent applications (submitted_at set), newest first. */
export function applicationRows(db: Tx, f: ApplicationFilter) {
  let q = db
    .selectFrom('applications as ap')
    .innerJoin('procedures as p', 'p.id', 'ap.procedure_id')
    .leftJoin('staff_accounts as s', 's.id', 'ap.assignee_id')
    .leftJoin('friends as fr', 'fr.id', 'ap.friend_id')
    .selectAll('ap')
    .select([
      'p.name_ja as procedure',
      's.display_name as assignee',
      'fr.display_name as applicant',
      sql<string>`ap.submitted_at::text`.as('page_at'),
    ])
    .where('ap.submitted_at', 'is not', null);
  q = whereFilter(q, f);
  if (f.applicationId) q = q.where('ap.id', '=', f.applicationId);
  if (f.before) {
    const { at, id } = f.before;
    q = q.where(sql<boolean>`(ap.submitted_at, ap.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return q.orderBy('ap.submitted_at', 'desc').orderBy('ap.id', 'desc');
}

export type ListedApplicationRow = Awaited<ReturnType<ReturnType<typeof applicationRows>['execute']>>[number];

// biome-ignore lint/suspicious/noExplicitAny: the one filter for the list and its count
function whereFilter<Q extends { where: (...a: any[]) => Q }>(q: Q, f: ApplicationFilter): Q {
  if (f.channelId) q = q.where('ap.channel_id', '=', f.channelId);
  if (f.status) q = q.where('ap.status', '=', f.status);
  if (f.procedureId) q = q.where('ap.procedure_id', '=', f.procedureId);
  if (f.assigneeId) q = q.where('ap.assignee_id', '=', f.assigneeId);
  if (f.from) q = q.where('ap.submitted_at', '>=', f.from);
  if (f.to) q = q.where('ap.submitted_at', '<', f.to);
  return q;
}

export const countApplications = async (db: Tx, f: Omit<ApplicationFilter, 'before' | 'applicationId'>) => {
  const q = whereFilter(
    db
      .selectFrom('applications as ap')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('ap.submitted_at', 'is not', null),
    f,
  );
  return (await q.executeTakeFirstOrThrow()).n;
};

/** A friend's applications (every status), newest first. */
export const myApplicationRows = (db: Tx, friendId: string) =>
  db
    .selectFrom('applications as ap')
    .innerJoin('procedures as p', 'p.id', 'ap.procedure_id')
    .select([
      'ap.id',
      'ap.era_year',
      'ap.serial',
      'ap.status',
      'ap.submitted_at',
      'ap.updated_at',
      'p.name_ja as procedure',
    ])
    .where('ap.friend_id', '=', friendId)
    .orderBy('ap.created_at', 'desc')
    .orderBy('ap.id', 'desc')
    .limit(100)
    .execute();

export const insertChangeRow = (db: Tx, row: Insertable<ApplicationChangesTable>) =>
  db.insertInto('application_changes').values(row).execute();

export const listChangeRows = (db: Tx, applicationId: string) =>
  db
    .selectFrom('application_changes as c')
    .leftJoin('staff_accounts as s', 's.id', 'c.staff_id')
    .select(['c.at', 's.display_name as staff', 'c.actor', 'c.field', 'c.from_value', 'c.to_value'])
    .where('c.application_id', '=', applicationId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();

/** Closed applications whose procedure's retention has passed: to delete with their identity. */
export const expiredApplicationIds = (db: Tx, now: Date, limit = 500) =>
  db
    .selectFrom('applications as ap')
    .innerJoin('procedures as p', 'p.id', 'ap.procedure_id')
    .select('ap.id')
    .where('ap.closed_at', 'is not', null)
    .where(sql<boolean>`ap.closed_at + make_interval(days => p.retention_days) < ${now}`)
    .limit(limit)
    .execute();

/** Drafts nobody finished in 30 days are removed (they were never sent to staff). */
export const staleDraftIds = (db: Tx, now: Date, limit = 500) =>
  db
    .selectFrom('applications')
    .select('id')
    .where('submitted_at', 'is', null)
    .where('status', 'in', ['draft', 'identity'])
    .where('updated_at', '<', new Date(now.getTime() - 30 * 86_400_000))
    .limit(limit)
    .execute();

export const deleteApplicationRows = async (db: Tx, ids: string[]) => {
  if (ids.length === 0) return 0;
  const r = await db.deleteFrom('applications').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
};
