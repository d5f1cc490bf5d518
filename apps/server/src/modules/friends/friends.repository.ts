import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

type Tx = Transaction<Database> | Db;

export const findFriendForUpdate = (trx: Transaction<Database>, channelId: string, lineUserId: string) =>
  trx
    .selectFrom('friends')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('line_user_id', '=', lineUserId)
    .forUpdate()
    .executeTakeFirst();

export const insertFriend = (
  trx: Tx,
  f: { channelId: string; lineUserId: string; status: 'following' | 'blocked'; at: Date },
) =>
  trx
    .insertInto('friends')
    .values({
      channel_id: f.channelId,
      line_user_id: f.lineUserId,
      status: f.status,
      status_changed_at: f.at,
      first_followed_at: f.status === 'following' ? f.at : null,
      followed_at: f.status === 'following' ? f.at : null,
      unfollowed_at: f.status === 'blocked' ? f.at : null,
      follow_count: f.status === 'following' ? 1 : 0,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();

export async function applyFollowState(
  trx: Tx,
  id: string,
  change: { status: 'following' | 'blocked'; at: Date; firstFollow: boolean },
) {
  await trx
    .updateTable('friends')
    .set(
      change.status === 'following'
        ? {
            status: 'following',
            status_changed_at: change.at,
            followed_at: change.at,
            follow_count: sql`follow_count + 1`,
            ...(change.firstFollow ? { first_followed_at: change.at } : {}),
            updated_at: new Date(),
          }
        : {
            status: 'blocked',
            status_changed_at: change.at,
            unfollowed_at: change.at,
            updated_at: new Date(),
          },
    )
    .where('id', '=', id)
    .execute();
}

export async function insertFriendEvent(
  trx: Tx,
  e: {
    channelId: string;
    friendId: string;
    kind: 'follow' | 'refollow' | 'unfollow';
    at: Date;
    lineEventId: string;
  },
) {
  await trx
    .insertInto('friend_events')
    .values({
      channel_id: e.channelId,
      friend_id: e.friendId,
      kind: e.kind,
      occurred_at: e.at,
      line_event_id: e.lineEventId,
    })
    .onConflict((oc) => oc.column('line_event_id').doNothing())
    .execute();
}

export const friendsNeedingProfile = (db: Db, limit: number) =>
  db
    .selectFrom('friends')
    .select(['id', 'channel_id', 'line_user_id'])
    .where('profile_fetched_at', 'is', null)
    .where('status', '=', 'following')
    .orderBy('created_at')
    .limit(limit)
    .execute();

export async function saveProfile(
  db: Db,
  id: string,
  p: { displayName: string | null; pictureUrl: string | null; language: string | null },
) {
  await db
    .updateTable('friends')
    .set({
      display_name: p.displayName,
      picture_url: p.pictureUrl,
      language: p.language,
      profile_fetched_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export interface FriendQuery {
  channelId: string;
  q?: string | undefined;
  status?: 'following' | 'blocked' | undefined;
  test?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listFriends(db: Db, query: FriendQuery) {
  let base = db.selectFrom('friends').where('channel_id', '=', query.channelId);
  if (query.status) base = base.where('status', '=', query.status);
  if (query.test !== undefined) base = base.where('is_test', '=', query.test);
  if (query.q) {
    const like = `%${query.q.replace(/[%_\\]/g, '\\$&')}%`;
    base = base.where((eb) =>
      eb.or([eb('display_name', 'ilike', like), eb('line_user_id', '=', query.q ?? '')]),
    );
  }
  const [items, total] = await Promise.all([
    base.selectAll().orderBy('followed_at', 'desc').limit(query.limit).offset(query.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Marks a friend as a test device (G-09); returns whether the friend exists. */
export async function setFriendTest(db: Db, id: string, isTest: boolean): Promise<boolean> {
  const r = await db
    .updateTable('friends')
    .set({ is_test: isTest, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function friendTotals(db: Db, channelId: string) {
  const row = await db
    .selectFrom('friends')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('status', '=', 'following').as('following'),
      eb.fn.count<string>('id').filterWhere('status', '=', 'blocked').as('blocked'),
    ])
    .where('channel_id', '=', channelId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), following: Number(row.following), blocked: Number(row.blocked) };
}

/** Follows, re-follows and blocks (unfollows) per day (Asia/Tokyo) from `from` on (to now). */
export async function dailyFriendEvents(db: Db, channelId: string, from: Date) {
  const rows = await sql<{ day: string; follows: string; refollows: string; blocks: string }>`
    select to_char(occurred_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day,
           count(*) filter (where kind = 'follow') as follows,
           count(*) filter (where kind = 'refollow') as refollows,
           count(*) filter (where kind = 'unfollow') as blocks
    from friend_events
    where channel_id = ${channelId} and occurred_at >= ${from}
    group by 1
    order by 1`.execute(db);
  return rows.rows.map((r) => ({
    day: r.day,
    follows: Number(r.follows),
    refollows: Number(r.refollows),
    blocks: Number(r.blocks),
  }));
}

// Public read API of friends (other modules read friends only through these).

/** The channel's friend of a LINE user: its ID and status. */
export const findFriendByLineUser = (db: Tx, channelId: string, lineUserId: string) =>
  db
    .selectFrom('friends')
    .select(['id', 'status'])
    .where('channel_id', '=', channelId)
    .where('line_user_id', '=', lineUserId)
    .executeTakeFirst();

/** A friend by ID: channel, LINE user, status, test flag and display name. */
export const findFriendById = (db: Tx, id: string) =>
  db
    .selectFrom('friends')
    .select(['id', 'channel_id', 'line_user_id', 'status', 'is_test', 'display_name'])
    .where('id', '=', id)
    .executeTakeFirst();

/** The number of the channel's friends (every status). */
export const countChannelFriends = async (db: Db, channelId: string) =>
  Number(
    (
      await db
        .selectFrom('friends')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('channel_id', '=', channelId)
        .executeTakeFirstOrThrow()
    ).n,
  );
