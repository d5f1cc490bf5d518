import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { LineWorld } from './line-world.ts';
import { insertTestChannel } from './test-server.ts';

// Test helpers for deliveries: channels registered in Madoguchi and in the LINE simulator, friends
// that exist on both sides (bulk users of the simulator), and polling.

export interface TestChannel {
  id: string;
  lineChannelId: string;
}

/** A new channel in Madoguchi and in the simulator (its own friends, so tests do not share audiences). */
export async function addChannel(
  w: LineWorld,
  opts: { environment?: 'production' | 'test'; name?: string } = {},
): Promise<TestChannel> {
  const lineChannelId = String(randomInt(1_000_000_000, 1_999_999_999));
  const secret = randomBytes(16).toString('hex');
  const token = randomBytes(24).toString('hex');
  const ch = await insertTestChannel(w.server, {
    name: opts.name ?? `チャネル ${lineChannelId}`,
    lineChannelId,
    channelSecret: secret,
    accessToken: token,
    environment: opts.environment ?? 'production',
  });
  await w.sim$('POST', '/_sim/channels', {
    channelId: lineChannelId,
    name: ch.name,
    channelSecret: secret,
    accessToken: token,
    webhookUrl: ch.webhookUrl,
  });
  return { id: ch.id, lineChannelId };
}

/** Inserts following friends with these LINE user IDs (one statement). */
export async function insertFriends(db: Db, channelId: string, userIds: string[], isTest = false) {
  await sql`
    insert into friends (channel_id, line_user_id, status, status_changed_at, is_test, first_followed_at, followed_at, follow_count)
    select ${channelId}::uuid, u, 'following', now(), ${isTest}, now(), now(), 1
    from unnest(${userIds}::text[]) as u
  `.execute(db);
}

/** `count` users who follow the channel in the simulator and are its friends in Madoguchi. */
export async function addFriends(
  w: LineWorld,
  channel: TestChannel,
  count: number,
  opts: { isTest?: boolean } = {},
): Promise<string[]> {
  const { userIds } = (await w.sim$('POST', '/_sim/users/bulk', {
    count,
    followChannelId: channel.lineChannelId,
  })) as { userIds: string[] };
  await insertFriends(w.server.db, channel.id, userIds, opts.isTest ?? false);
  return userIds;
}

/** Deliveries per user of the channel, from the simulator's records (0 for users who got none). */
export async function receivedBy(w: LineWorld, channel: TestChannel, userIds: string[]) {
  const stats = (await w.sim$('GET', `/_sim/stats?channelId=${channel.lineChannelId}`)) as {
    deliveriesPerUser: Record<string, number>;
  };
  return userIds.map((u) => stats.deliveriesPerUser[u] ?? 0);
}

export async function multicastRequests(w: LineWorld, channel: TestChannel) {
  return (await fetch(
    `${w.sim.url}/_sim/requests?channelId=${channel.lineChannelId}&path=/v2/bot/message/multicast`,
  ).then((r) => r.json())) as {
    headers: Record<string, string>;
    body: { to: string[]; messages: Record<string, unknown>[] };
    status: number;
  }[];
}

/** A stored image, as the media module would keep it (the sender only needs its ID). */
export async function insertMedia(db: Db): Promise<string> {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const row = await db
    .insertInto('media')
    .values({ content_type: 'image/png', width: 1040, height: 1040, bytes: png, preview: png })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
