import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SegmentCatalog, SegmentRefs } from './segment.compiler.ts';

// Saved segments, and the registration-form facts a segment is compiled against.

export const findRegistrationFormId = async (db: Db, channelId: string) =>
  (
    await db
      .selectFrom('forms')
      .select('id')
      .where('channel_id', '=', channelId)
      .where('purpose', '=', 'registration')
      .executeTakeFirst()
  )?.id ?? null;

/** The form, items and choices a tree refers to: at most three small queries per compile. */
export async function loadSegmentCatalog(
  db: Db,
  channelId: string,
  refs: SegmentRefs,
): Promise<SegmentCatalog> {
  const catalog: SegmentCatalog = { formId: null, items: new Map(), choices: new Map() };
  if (!refs.usesResponse) return catalog;
  catalog.formId = await findRegistrationFormId(db, channelId);
  if (!catalog.formId || refs.itemIds.length === 0) return catalog;
  const items = await db
    .selectFrom('form_items')
    .select(['id', 'key', 'type'])
    .where('form_id', '=', catalog.formId)
    .where('id', '=', sql<string>`any(${refs.itemIds}::uuid[])`)
    .execute();
  for (const i of items) catalog.items.set(i.id, { key: i.key, type: i.type });
  const choiceItems = refs.choiceItemIds.filter((id) => catalog.items.has(id));
  if (choiceItems.length === 0) return catalog;
  const choices = await db
    .selectFrom('form_choices')
    .select(['id', 'item_id', 'parent_id'])
    .where('item_id', '=', sql<string>`any(${choiceItems}::uuid[])`)
    .execute();
  for (const c of choices) catalog.choices.set(String(c.id), { itemId: c.item_id, parentId: c.parent_id });
  return catalog;
}

/**
 * Following friends of the channel matching `condition` (compiled over `f` = friends and, when
 * `joinResponse`, `r` = the friend's registration response, or NULL columns without one).
 */
export const audienceSelect = (
  db: Db,
  channelId: string,
  response: { join: boolean; formId: string | null },
  condition: RawBuilder<SqlBool>,
) =>
  db
    .selectFrom('friends as f')
    .$if(response.join, (qb) =>
      qb.leftJoin('form_responses as r', (j) =>
        response.formId === null
          ? j.on(sql<SqlBool>`false`)
          : j.onRef('r.friend_id', '=', 'f.id').on('r.form_id', '=', response.formId),
      ),
    )
    .select(['f.id as friend_id', 'f.line_user_id'])
    .where('f.channel_id', '=', channelId)
    .where('f.status', '=', 'following')
    .where(condition);

/** Whether one friend is in the audience (by friend ID or LINE user ID). */
export const audienceHas = async (
  query: ReturnType<typeof audienceSelect>,
  who: { friendId: string } | { lineUserId: string },
) =>
  (await ('friendId' in who
    ? query.where('f.id', '=', who.friendId)
    : query.where('f.line_user_id', '=', who.lineUserId)
  ).executeTakeFirst()) !== undefined;

export const countRows = async (db: Db, query: ReturnType<typeof audienceSelect>) =>
  Number(
    (
      await db
        .selectFrom(query.as('a'))
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

export const channelExists = async (db: Db, channelId: string) =>
  (await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst()) !== undefined;

const columns = ['id', 'channel_id', 'name', 'tree', 'created_at', 'updated_at'] as const;

export const listSegmentRows = (db: Db, channelId: string) =>
  db
    .selectFrom('segments')
    .select(columns)
    .where('channel_id', '=', channelId)
    .orderBy('name')
    .orderBy('created_at')
    .execute();

export const findSegmentRow = (db: Db, id: string) =>
  db.selectFrom('segments').select(columns).where('id', '=', id).executeTakeFirst();

export const insertSegmentRow = (
  db: Db,
  s: { channelId: string; name: string; tree: unknown; createdBy: string | null },
) =>
  db
    .insertInto('segments')
    .values({
      channel_id: s.channelId,
      name: s.name,
      tree: JSON.stringify(s.tree),
      created_by: s.createdBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();

export const updateSegmentRow = (db: Db, id: string, s: { name?: string | undefined; tree?: unknown }) =>
  db
    .updateTable('segments')
    .set({
      ...(s.name !== undefined ? { name: s.name } : {}),
      ...(s.tree !== undefined ? { tree: JSON.stringify(s.tree) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();

export const deleteSegmentRow = (db: Db, id: string) =>
  db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();

/** Deliveries not yet sent (drafts, scheduled, running, recurring series) whose audience is this segment. */
export const countPendingDeliveriesUsing = async (db: Db, segmentId: string) =>
  Number(
    (
      await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where(sql<boolean>`audience ->> 'segmentId' = ${segmentId}`)
        .where('status', 'in', ['draft', 'scheduled', 'sending'])
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Names of the segments among `ids` (public read API). */
export const segmentNames = (db: Db, ids: string[]) =>
  db.selectFrom('segments').select(['id', 'name']).where('id', 'in', ids).execute();
