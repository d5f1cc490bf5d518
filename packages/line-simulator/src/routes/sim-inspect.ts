import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { publicBaseUrl, type SimContext } from '../context.ts';
import { inboxMessages } from '../delivery.ts';
import { badInput, notFound } from '../sim-errors.ts';
import { requireChannel } from '../sim-input.ts';
import { richMenuResponse } from './rich-menu.ts';

// /_sim: what tests, the demo and the phone read back: inboxes, rich menus, logs, retry keys, stats.

export function registerSimInspectRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/_sim/users/:userId/inbox', async (req) => {
    const { userId } = req.params as { userId: string };
    const channel = requireChannel(ctx, (req.query as { channelId?: string }).channelId);
    if (!ctx.state.users.has(userId)) throw notFound(`Unknown user: ${userId}`);
    return { messages: inboxMessages(channel.friendship(userId)) };
  });

  app.get('/_sim/users/:userId/richmenu', async (req) => {
    const { userId } = req.params as { userId: string };
    const channel = requireChannel(ctx, (req.query as { channelId?: string }).channelId);
    if (!ctx.state.users.has(userId)) throw notFound(`Unknown user: ${userId}`);
    const menu = channel.currentRichMenu(userId);
    if (!menu) throw notFound('The user has no rich menu');
    const imageUrl = `${publicBaseUrl(ctx, req)}/_sim/richmenus/${encodeURIComponent(menu.richMenuId)}/image`;
    const linked = channel.friendship(userId)?.linkedRichMenuId === menu.richMenuId;
    return { richMenu: richMenuResponse(menu), imageUrl, source: linked ? 'user' : 'default' };
  });

  // Every following friend's effective rich menu at once (per-user link, else the default), counted
  // per menu and by where it comes from; `hash=true` adds the MD5 of each menu's sorted user IDs.
  // Read-only, for benchmarks (bench/disaster: 200,000 friends) where one GET per user is too slow.
  app.get('/_sim/richmenus/effective', async (req) => {
    const q = req.query as { channelId?: string; hash?: string };
    const channel = requireChannel(ctx, q.channelId);
    if (q.hash !== undefined && q.hash !== 'true' && q.hash !== 'false')
      throw badInput('hash must be true or false');
    const byMenu: Record<string, { user: number; default: number; md5?: string }> = {};
    const users = new Map<string, string[]>();
    let none = 0;
    const followers = channel.followerIds();
    for (const userId of followers) {
      const linked = channel.friendship(userId)?.linkedRichMenuId;
      const id = linked && channel.richMenus.has(linked) ? linked : channel.defaultRichMenuId;
      if (!id || !channel.richMenus.has(id)) {
        none += 1;
        continue;
      }
      byMenu[id] ??= { user: 0, default: 0 };
      const entry = byMenu[id];
      if (id === linked) entry.user += 1;
      else entry.default += 1;
      if (q.hash === 'true') {
        if (!users.has(id)) users.set(id, []);
        users.get(id)!.push(userId);
      }
    }
    for (const [id, ids] of users) {
      byMenu[id]!.md5 = createHash('md5').update(ids.sort().join(',')).digest('hex');
    }
    return { channelId: channel.channelId, followers: followers.length, none, byMenu };
  });

  // The rich menu image without a channel access token, for the phone's <img>.
  app.get('/_sim/richmenus/:richMenuId/image', async (req, reply) => {
    const { richMenuId } = req.params as { richMenuId: string };
    for (const channel of ctx.state.channels.values()) {
      const menu = channel.richMenus.get(richMenuId);
      if (menu?.image)
        return reply
          .type(menu.image.contentType)
          .header('cache-control', 'max-age=3600')
          .send(menu.image.data);
    }
    throw notFound('No such rich menu image');
  });

  app.get('/_sim/requests', async (req) => {
    const q = req.query as { channelId?: string; path?: string };
    return ctx.requestLog.list({ channelId: q.channelId, path: q.path });
  });

  app.delete('/_sim/requests', async () => {
    ctx.requestLog.clear();
    return {};
  });

  app.get('/_sim/webhooks', async (req) => {
    return ctx.webhooks.list((req.query as { channelId?: string }).channelId);
  });

  app.delete('/_sim/webhooks', async () => {
    ctx.webhooks.clear();
    return {};
  });

  // Sends a logged webhook body again with isRedelivery = true (as LINE's redelivery does).
  app.post('/_sim/webhooks/:id/redeliver', async (req) => {
    const id = Number((req.params as { id: string }).id);
    const attempt = ctx.webhooks.get(id);
    if (!attempt) throw notFound(`No webhook delivery ${id}`);
    const channel = requireChannel(ctx, attempt.channelId);
    const { events } = JSON.parse(attempt.body) as { events: Record<string, unknown>[] };
    const again = await ctx.webhooks.send(
      channel,
      events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })),
    );
    return {
      webhookStatus: again.status,
      ...(again.error ? { webhookError: again.error } : {}),
      id: again.id,
    };
  });

  app.get('/_sim/retry-keys/:key', async (req) => {
    const { key } = req.params as { key: string };
    const record = ctx.retryKeys.get(key);
    if (!record) throw notFound(`Retry key ${key} was never accepted`);
    return {
      key: record.key,
      channelId: record.channelId,
      path: record.path,
      acceptedAt: new Date(record.acceptedAt).toISOString(),
      acceptedRequestId: record.acceptedRequestId,
      recipients: record.recipients,
    };
  });

  // Deliveries per user of a channel, to prove that every recipient got a message exactly once.
  app.get('/_sim/stats', async (req) => {
    const q = req.query as { channelId?: string; perUser?: string };
    const channel = requireChannel(ctx, q.channelId);
    if (q.perUser !== undefined && q.perUser !== 'true' && q.perUser !== 'false') {
      throw badInput('perUser must be true or false');
    }
    const deliveriesPerUser: Record<string, number> = {};
    const messagesPerUser: Record<string, number> = {};
    const histogram: Record<string, number> = {};
    let totalDeliveries = 0;
    let totalMessages = 0;
    let users = 0;
    for (const f of channel.friends.values()) {
      if (f.deliveries === 0) continue;
      users += 1;
      totalDeliveries += f.deliveries;
      totalMessages += f.messages;
      histogram[f.deliveries] = (histogram[f.deliveries] ?? 0) + 1;
      if (q.perUser !== 'false') {
        deliveriesPerUser[f.userId] = f.deliveries;
        messagesPerUser[f.userId] = f.messages;
      }
    }
    return {
      channelId: channel.channelId,
      followers: channel.followerIds().length,
      usersWithDeliveries: users,
      totalDeliveries,
      totalMessages,
      /** number of deliveries → number of users who got that many */
      deliveriesHistogram: histogram,
      ...(q.perUser !== 'false' ? { deliveriesPerUser, messagesPerUser } : {}),
    };
  });

  // Server-sent events for the phone (delivery, richmenu, follow, webhook, loading); ?userId= filters.
  app.get('/_sim/events', (req, reply) => {
    const userId = (req.query as { userId?: string }).userId;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    ctx.events.add(res, userId || undefined);
    req.raw.on('close', () => res.end());
  });
}
