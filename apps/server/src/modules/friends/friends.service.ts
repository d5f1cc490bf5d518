import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { LineClients } from '../../platform/line/line-clients.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import {
  applyFollowState,
  dailyFriendEvents,
  type FriendQuery,
  findFriendForUpdate,
  friendsNeedingProfile,
  friendTotals,
  insertFriend,
  insertFriendEvent,
  listFriends,
  saveProfile,
  setFriendTest,
} from './friends.repository.ts';

// Read by other modules through this service (they never import this module's repository).
export { countChannelFriends, findFriendById, findFriendByLineUser } from './friends.repository.ts';

// Friends (友だち): follow / block (unfollow) / re-follow with timestamps. Events can arrive out of
// order (redelivery); the state follows the event with the latest timestamp, and every event is
// kept once in friend_events for the counts over time.

export const PROFILE_JOB = 'friends.fetch-profiles';

export async function applyFollowEvent(trx: Transaction<Database>, e: StoredLineEvent): Promise<void> {
  if (!e.userId) return;
  const status = e.type === 'follow' ? 'following' : 'blocked';
  const existing = await findFriendForUpdate(trx, e.channelId, e.userId);
  if (!existing) {
    const { id } = await insertFriend(trx, {
      channelId: e.channelId,
      lineUserId: e.userId,
      status,
      at: e.occurredAt,
    });
    await insertFriendEvent(trx, {
      channelId: e.channelId,
      friendId: id,
      kind: status === 'following' ? 'follow' : 'unfollow',
      at: e.occurredAt,
      lineEventId: e.id,
    });
    return;
  }
  const kind = status === 'blocked' ? 'unfollow' : existing.follow_count > 0 ? 'refollow' : 'follow';
  await insertFriendEvent(trx, {
    channelId: e.channelId,
    friendId: existing.id,
    kind,
    at: e.occurredAt,
    lineEventId: e.id,
  });
  if (e.occurredAt.getTime() >= existing.status_changed_at.getTime() && existing.status !== status) {
    await applyFollowState(trx, existing.id, {
      status,
      at: e.occurredAt,
      firstFollow: existing.first_followed_at === null,
    });
  }
}

export function subscribeFriends(bus: LineEventBus, onFollow: () => void): void {
  bus.subscribe('follow', async (event, trx, effects) => {
    await applyFollowEvent(trx, event);
    // The profile job reads the friend row: queue it once that row is committed (issue 8 §6).
    effects.afterCommit(onFollow);
  });
  bus.subscribe('unfollow', (event, trx) => applyFollowEvent(trx, event));
}

/** Fetches LINE profiles of friends that have none yet (display name, picture, language). */
export async function fetchMissingProfiles(deps: {
  db: Db;
  channels: ChannelsService;
  line: LineClients;
  log: { warn(o: unknown, m?: string): void };
}): Promise<number> {
  let fetched = 0;
  for (;;) {
    const batch = await friendsNeedingProfile(deps.db, 100);
    if (batch.length === 0) return fetched;
    for (const f of batch) {
      const channel = await deps.channels.secrets(f.channel_id);
      if (!channel) continue;
      try {
        const p = await deps.line.messaging(channel).getProfile(f.line_user_id);
        await saveProfile(deps.db, f.id, {
          displayName: p.displayName ?? null,
          pictureUrl: p.pictureUrl ?? null,
          language: p.language ?? null,
        });
      } catch (err) {
        // 404: the user is no longer a friend (blocked before we asked) — remember we tried.
        // Anything else (429, 5xx, network) is retried by the job with backoff.
        if ((err as { status?: number }).status !== 404) throw err;
        deps.log.warn({ friend: f.id }, 'profile not available (not a friend any more)');
        await saveProfile(deps.db, f.id, { displayName: null, pictureUrl: null, language: null });
      }
      fetched++;
    }
  }
}

/**
 * Friends over time (O-08: the dashboard and the friends report): the channel's totals now, and
 * for each of `days` (consecutive Tokyo days, YYYY-MM-DD) its follows, re-follows, blocks and the
 * friends following at the end of the day.
 */
export async function friendsOverTime(db: Db, channelId: string, days: string[]) {
  const from = new Date(`${days[0]}T00:00:00+09:00`);
  const [totals, daily] = await Promise.all([
    friendTotals(db, channelId),
    dailyFriendEvents(db, channelId, from),
  ]);
  const events = new Map(daily.map((d) => [d.day, d]));
  // Friends at the end of a day = following now − the net change of every later day. This stays
  // right for friends who were added before events were recorded (imports, demo data).
  const netOf = (d: { follows: number; refollows: number; blocks: number }) =>
    d.follows + d.refollows - d.blocks;
  let after = daily.reduce((sum, d) => sum + netOf(d), 0);
  const series = days.map((date) => {
    const e = events.get(date) ?? { follows: 0, refollows: 0, blocks: 0 };
    after -= netOf(e);
    return {
      date,
      follows: e.follows,
      refollows: e.refollows,
      blocks: e.blocks,
      friends: totals.following - after,
    };
  });
  return { totals, series };
}

/** One page of the channel's friends matching the query, and how many match in all. */
export const findFriends = (db: Db, query: FriendQuery) => listFriends(db, query);

/** Marks a friend as a test friend or not (test deliveries go to test friends); false if unknown. */
export const markTestFriend = (db: Db, id: string, isTest: boolean) => setFriendTest(db, id, isTest);
