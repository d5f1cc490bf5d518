import type { Db } from '../../db/database.ts';

export async function insertCitizenSession(
  db: Db,
  s: {
    idHash: string;
    channelId: string;
    lineUserId: string;
    displayName: string | null;
    pictureUrl: string | null;
    expiresAt: Date;
  },
) {
  await db
    .insertInto('citizen_sessions')
    .values({
      id_hash: s.idHash,
      channel_id: s.channelId,
      line_user_id: s.lineUserId,
      display_name: s.displayName,
      picture_url: s.pictureUrl,
      expires_at: s.expiresAt,
    })
    .execute();
}

export const findCitizenSession = (db: Db, idHash: string) =>
  db
    .selectFrom('citizen_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
