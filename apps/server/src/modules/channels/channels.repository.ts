import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChannelsTable } from '../../db/schema.ts';

export const listChannelRows = (db: Db) =>
  db.selectFrom('channels').selectAll().orderBy('created_at').execute();

export const findChannelRow = (db: Db, id: string) =>
  db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();

export const findChannelRowByLineId = (db: Db, lineChannelId: string) =>
  db.selectFrom('channels').selectAll().where('line_channel_id', '=', lineChannelId).executeTakeFirst();

export const insertChannelRow = (db: Db, row: Insertable<ChannelsTable>) =>
  db.insertInto('channels').values(row).returningAll().executeTakeFirstOrThrow();

export const updateChannelRow = (db: Db, id: string, patch: Updateable<ChannelsTable>) =>
  db
    .updateTable('channels')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

/** Names of the channels among `ids` (public read API). */
export const channelNames = (db: Db, ids: string[]) =>
  db.selectFrom('channels').select(['id', 'name']).where('id', 'in', ids).execute();
