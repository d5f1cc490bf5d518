import { type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, ReportLocationRequestsTable } from '../../db/schema.ts';

// All SQL of a report's place asked for as a LINE location message: one row per friend.

type Tx = Db | Transaction<Database>;

export type LocationRequestRow = Selectable<ReportLocationRequestsTable>;

/** Opens (or opens again) the friend's request: a place received before is dropped. */
export const openLocationRequest = (
  db: Tx,
  r: { friendId: string; channelId: string; at: Date; expiresAt: Date },
) =>
  db
    .insertInto('report_location_requests')
    .values({ friend_id: r.friendId, channel_id: r.channelId, requested_at: r.at, expires_at: r.expiresAt })
    .onConflict((oc) =>
      oc.column('friend_id').doUpdateSet({
        channel_id: r.channelId,
        requested_at: r.at,
        expires_at: r.expiresAt,
        received_at: null,
        lat: null,
        lng: null,
        address_enc: null,
      }),
    )
    .returning(['expires_at'])
    .executeTakeFirstOrThrow();

export const findLocationRequest = (db: Tx, friendId: string) =>
  db.selectFrom('report_location_requests').selectAll().where('friend_id', '=', friendId).executeTakeFirst();

/** The friend's request while it waits for the place (not received, not expired), locked. */
export const lockOpenLocationRequest = (trx: Transaction<Database>, friendId: string, now: Date) =>
  trx
    .selectFrom('report_location_requests')
    .select(['friend_id', 'expires_at'])
    .where('friend_id', '=', friendId)
    .where('received_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();

export const storeLocationPoint = (
  trx: Transaction<Database>,
  friendId: string,
  p: { lat: number; lng: number; addressEnc: Buffer | null; at: Date },
) =>
  trx
    .updateTable('report_location_requests')
    .set({ lat: p.lat, lng: p.lng, address_enc: p.addressEnc, received_at: p.at })
    .where('friend_id', '=', friendId)
    .execute();

export const deleteLocationRequest = (db: Tx, friendId: string) =>
  db.deleteFrom('report_location_requests').where('friend_id', '=', friendId).execute();

/** Requests expired, or places received, before `before` are deleted. */
export const pruneLocationRequests = async (db: Tx, before: Date) =>
  Number(
    (
      await db
        .deleteFrom('report_location_requests')
        .where(sql<boolean>`coalesce(received_at, expires_at) < ${before}`)
        .executeTakeFirst()
    ).numDeletedRows,
  );
