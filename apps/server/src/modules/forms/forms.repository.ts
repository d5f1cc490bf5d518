import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, FormItemType } from '../../db/schema.ts';

// SQL of the form engine: forms, items, choices (retired, never deleted) and responses.

type Tx = Transaction<Database> | Db;

export const findRegistrationFormRow = (db: Tx, channelId: string) =>
  db
    .selectFrom('forms')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('purpose', '=', 'registration')
    .executeTakeFirst();

/** Creates the channel's registration form unless it has one (one per channel, unique index). */
export async function insertRegistrationFormRow(db: Tx, channelId: string, title: string) {
  await db
    .insertInto('forms')
    .values({ channel_id: channelId, purpose: 'registration', title })
    .onConflict((oc) => oc.column('channel_id').where('purpose', '=', 'registration').doNothing())
    .execute();
}

/** A new form of another purpose (a survey's): answers its ID. */
export async function insertFormRow(
  db: Tx,
  f: { channelId: string; purpose: 'survey' | 'booking' | 'application'; title: string; description: string },
) {
  const row = await db
    .insertInto('forms')
    .values({ channel_id: f.channelId, purpose: f.purpose, title: f.title, description: f.description })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Deletes a form nobody answered (a draft survey's), with its items and choices (cascade). */
export async function deleteFormRow(trx: Transaction<Database>, id: string) {
  await trx.deleteFrom('forms').where('id', '=', id).execute();
}

export const findFormRow = (db: Tx, id: string) =>
  db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();

/** Locks the form row: changes to one form's items and choices run one at a time. */
export const lockFormRow = (trx: Transaction<Database>, id: string) =>
  trx.selectFrom('forms').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function touchForm(db: Tx, id: string, change: { title?: string; description?: string } = {}) {
  await db
    .updateTable('forms')
    .set({ ...change, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export const listItemRows = (db: Tx, formId: string) =>
  db
    .selectFrom('form_items')
    .selectAll()
    .where('form_id', '=', formId)
    .orderBy('position')
    .orderBy('created_at')
    .execute();

export const listChoiceRows = (db: Tx, formId: string) =>
  db
    .selectFrom('form_choices as c')
    .innerJoin('form_items as i', 'i.id', 'c.item_id')
    .select(['c.id', 'c.item_id', 'c.parent_id', 'c.label', 'c.position', 'c.retired_at'])
    .where('i.form_id', '=', formId)
    .orderBy('c.position')
    .orderBy('c.id')
    .execute();

export async function insertItemRow(
  trx: Tx,
  item: {
    formId: string;
    key: string;
    label: string;
    type: FormItemType;
    required: boolean;
    help: string;
    config: Record<string, unknown>;
  },
) {
  return trx
    .insertInto('form_items')
    .values({
      form_id: item.formId,
      key: item.key,
      label: item.label,
      type: item.type,
      required: item.required,
      help: item.help,
      config: JSON.stringify(item.config),
      position: sql<number>`(select coalesce(max(position), 0) + 1 from form_items where form_id = ${item.formId})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateItemRow(
  trx: Tx,
  id: string,
  change: { label?: string; required?: boolean; help?: string; config?: Record<string, unknown> },
) {
  const { config, ...rest } = change;
  await trx
    .updateTable('form_items')
    .set({ ...rest, ...(config ? { config: JSON.stringify(config) } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function setItemRetired(trx: Tx, id: string, retired: boolean) {
  await trx
    .updateTable('form_items')
    .set({ retired_at: retired ? new Date() : null, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Positions 1..n in the given order, in one statement. */
export async function setItemPositions(trx: Tx, formId: string, ids: string[]) {
  await sql`
    update form_items set position = o.n, updated_at = now()
    from unnest(${ids}::uuid[]) with ordinality as o(id, n)
    where form_items.id = o.id and form_items.form_id = ${formId}`.execute(trx);
}

/** Appends choices after the last sibling (same item and parent); returns their IDs in order. */
export async function insertChoiceRows(trx: Tx, itemId: string, parentId: string | null, labels: string[]) {
  if (labels.length === 0) return [];
  const rows = await sql<{ id: string }>`
    insert into form_choices (item_id, parent_id, label, position)
    select ${itemId}::uuid, ${parentId}::bigint, l.label,
      (select coalesce(max(position), 0) from form_choices
        where item_id = ${itemId}::uuid and parent_id is not distinct from ${parentId}::bigint) + l.n
    from unnest(${labels}::text[]) with ordinality as l(label, n)
    order by l.n
    returning id`.execute(trx);
  return rows.rows.map((r) => String(r.id));
}

export async function updateChoiceLabel(trx: Tx, id: string, label: string) {
  await trx.updateTable('form_choices').set({ label }).where('id', '=', id).execute();
}

export async function setChoiceRetired(trx: Tx, id: string, retired: boolean) {
  await trx
    .updateTable('form_choices')
    .set({ retired_at: retired ? new Date() : null })
    .where('id', '=', id)
    .execute();
}

export async function setChoicePositions(trx: Tx, itemId: string, ids: string[]) {
  await sql`
    update form_choices set position = o.n
    from unnest(${ids}::bigint[]) with ordinality as o(id, n)
    where form_choices.id = o.id and form_choices.item_id = ${itemId}`.execute(trx);
}

export const findResponseRow = (db: Tx, formId: string, friendId: string) =>
  db
    .selectFrom('form_responses')
    .selectAll()
    .where('form_id', '=', formId)
    .where('friend_id', '=', friendId)
    .executeTakeFirst();

export const lockResponseRow = (trx: Transaction<Database>, formId: string, friendId: string) =>
  trx
    .selectFrom('form_responses')
    .selectAll()
    .where('form_id', '=', formId)
    .where('friend_id', '=', friendId)
    .forUpdate()
    .executeTakeFirst();

/** Writes a friend's answers: the first save registers them, later saves update the row. */
export async function upsertResponseRow(
  db: Tx,
  r: {
    formId: string;
    friendId: string;
    choiceIds: string[];
    numbers: Record<string, number>;
    textsEnc: Buffer | null;
  },
) {
  return db
    .insertInto('form_responses')
    .values({
      form_id: r.formId,
      friend_id: r.friendId,
      choice_ids: r.choiceIds,
      numbers: JSON.stringify(r.numbers),
      texts_enc: r.textsEnc,
    })
    .onConflict((oc) =>
      oc
        .columns(['form_id', 'friend_id'])
        .where('friend_id', 'is not', null)
        .doUpdateSet({
          choice_ids: r.choiceIds,
          numbers: JSON.stringify(r.numbers),
          texts_enc: r.textsEnc,
          updated_at: new Date(),
        }),
    )
    .returning(['submitted_at', 'updated_at'])
    .executeTakeFirstOrThrow();
}

/** Every friend of the channel with their answers to the form (null when not registered). */
/** Friends in follow order (never-followed last), then by ID: the key of one export page. */
export type FriendPageKey = { followedAt: Date | null; id: string };

/**
 * One page of the channel's friends with their registration answers, after `after` in export order
 * (first follow, then ID). Pages keep a 200,000-friend export from holding every row at once.
 */
export const friendsWithResponsesPage = (
  db: Db,
  channelId: string,
  formId: string,
  after: FriendPageKey | null,
  limit: number,
) => {
  const order = sql<Date>`coalesce(f.first_followed_at, 'infinity'::timestamptz)`;
  let q = db
    .selectFrom('friends as f')
    .leftJoin('form_responses as r', (j) => j.onRef('r.friend_id', '=', 'f.id').on('r.form_id', '=', formId))
    .select([
      'f.id',
      'f.status',
      'f.is_test',
      'f.first_followed_at',
      'f.followed_at',
      'f.unfollowed_at',
      'r.choice_ids',
      'r.numbers',
      'r.texts_enc',
      'r.submitted_at',
      'r.updated_at',
    ])
    .where('f.channel_id', '=', channelId);
  if (after) {
    const at = after.followedAt ? sql`${after.followedAt}::timestamptz` : sql`'infinity'::timestamptz`;
    q = q.where(sql<boolean>`(${order}, f.id) > (${at}, ${after.id}::uuid)`);
  }
  return q.orderBy(order).orderBy('f.id').limit(limit).execute();
};

/** Titles of the forms among `ids` (public read API). */
export const formTitles = (db: Db, ids: string[]) =>
  db.selectFrom('forms').select(['id', 'title as name']).where('id', 'in', ids).execute();
