import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DesksTable } from '../../db/schema.ts';

export type DeskRow = Selectable<DesksTable> & { counselor_ids: string[] };

const withCounselors = (db: Db) =>
  db
    .selectFrom('desks as d')
    .selectAll('d')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom('desk_counselors as dc')
            .whereRef('dc.desk_id', '=', 'd.id')
            .select((e) => e.fn.agg<string[]>('array_agg', ['dc.account_id']).as('ids')),
          eb.val<string[]>([]),
        )
        .as('counselor_ids'),
    );

export const listDeskRows = (db: Db): Promise<DeskRow[]> =>
  withCounselors(db).orderBy('d.created_at').execute();

export const findDeskRow = (db: Db, id: string): Promise<DeskRow | undefined> =>
  withCounselors(db).where('d.id', '=', id).executeTakeFirst();

export const findDeskRowBySlug = (db: Db, slug: string): Promise<DeskRow | undefined> =>
  withCounselors(db).where('d.slug', '=', slug).executeTakeFirst();

export async function setDeskCounselors(db: Db, deskId: string, accountIds: string[]) {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('desk_counselors').where('desk_id', '=', deskId).execute();
    if (accountIds.length) {
      await trx
        .insertInto('desk_counselors')
        .values(accountIds.map((account_id) => ({ desk_id: deskId, account_id })))
        .execute();
    }
  });
}

export const insertDeskRow = async (db: Db, values: Insertable<DesksTable>) =>
  (await db.insertInto('desks').values(values).returning('id').executeTakeFirstOrThrow()).id;

export async function updateDeskRow(db: Db, id: string, patch: Updateable<DesksTable>) {
  await db.updateTable('desks').set(patch).where('id', '=', id).execute();
}

/** Names of the desks among `ids` (public read API). */
export const deskNames = (db: Db, ids: string[]) =>
  db.selectFrom('desks').select(['id', 'name']).where('id', 'in', ids).execute();
