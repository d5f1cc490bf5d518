import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import { findFriends, friendsOverTime, markTestFriend } from './friends.service.ts';

const friendsQuery = z.object({
  channelId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  status: z.enum(['following', 'blocked']).optional(),
  /** Only test friends (true) or only the others (false), e.g. the chatbot test panel's list. */
  test: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const dashboardQuery = z.object({
  channelId: z.uuid().optional(),
  days: z.coerce.number().int().min(1).max(366).default(30),
});

/** The requested channel, or by default the first production channel. */
async function pickChannel(channels: ChannelsService, id: string | undefined) {
  if (id) return channels.get(id);
  const all = await channels.list();
  return all.find((c) => c.environment === 'production') ?? all[0];
}

export function registerFriendRoutes(app: Api, deps: { db: Db; channels: ChannelsService }): void {
  app.get(
    '/api/friends',
    {
      schema: { tags: ['friends'], summary: '友だち一覧', querystring: friendsQuery },
      config: { permission: 'friends.view', audit: { action: 'friend.list', targetType: 'channel' } },
    },
    async (request) => {
      const channel = await pickChannel(deps.channels, request.query.channelId);
      if (!channel) return { total: 0, items: [] };
      const { items, total } = await findFriends(deps.db, { ...request.query, channelId: channel.id });
      request.auditTarget = { id: channel.id, count: items.length };
      return {
        total,
        items: items.map((f) => ({
          id: f.id,
          lineUserId: f.line_user_id,
          displayName: f.display_name,
          pictureUrl: f.picture_url,
          status: f.status,
          followedAt: f.followed_at,
          unfollowedAt: f.unfollowed_at,
          isTest: f.is_test,
        })),
      };
    },
  );

  // Test devices (G-09): test deliveries reach only friends marked here.
  app.patch(
    '/api/friends/:id',
    {
      schema: {
        tags: ['friends'],
        summary: 'テスト用の友だちにする・やめる（G-09）',
        params: idParams,
        body: z.object({ isTest: z.boolean() }),
      },
      config: { permission: 'deliveries.send', audit: { action: 'friend.test-flag', targetType: 'friend' } },
    },
    async (request) => {
      if (!(await markTestFriend(deps.db, request.params.id, request.body.isTest))) throw notFound('友だち');
      request.auditTarget = { detail: { isTest: request.body.isTest } };
      return { id: request.params.id, isTest: request.body.isTest };
    },
  );

  // Friends, follows and blocks over time (O-08).
  app.get(
    '/api/dashboard',
    {
      schema: { tags: ['dashboard'], summary: 'ダッシュボード', querystring: dashboardQuery },
      config: { permission: 'dashboard.view' },
    },
    async (request) => {
      const channel = await pickChannel(deps.channels, request.query.channelId);
      if (!channel) return { channel: null, totals: { following: 0, blocked: 0, total: 0 }, series: [] };
      const days = request.query.days;
      const today = tokyoDay(new Date());
      const dates = Array.from({ length: days }, (_, i) => {
        const d = new Date(`${today}T00:00:00Z`);
        d.setUTCDate(d.getUTCDate() - (days - 1 - i));
        return d.toISOString().slice(0, 10);
      });
      const { totals, series } = await friendsOverTime(deps.db, channel.id, dates);
      return {
        channel: { id: channel.id, name: channel.name, environment: channel.environment },
        totals,
        series: series.map((d) => ({
          date: d.date,
          follows: d.follows + d.refollows,
          unfollows: d.blocks,
          following: d.friends,
        })),
      };
    },
  );
}
