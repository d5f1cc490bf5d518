import type { FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { SimContext } from '../context.ts';
import { newUserId, USER_ID_PATTERN } from '../ids.ts';
import type { FollowState, LiffApp, VirtualUser } from '../model.ts';
import { badInput } from '../sim-errors.ts';
import { httpUrl, objectBody, optionalString, requireChannel, requiredString } from '../sim-input.ts';
import type { ChannelInput } from '../state.ts';

// /_sim: register channels (official accounts) and virtual users.

export function publicChannel(channel: ChannelRuntime) {
  const c = channel.config;
  return {
    channelId: c.channelId,
    name: c.name,
    webhookUrl: c.webhookUrl,
    botUserId: c.botUserId,
    basicId: c.basicId,
    ...(c.pictureUrl ? { pictureUrl: c.pictureUrl } : {}),
    ...(c.loginChannelId ? { loginChannelId: c.loginChannelId } : {}),
    liffApps: c.liffApps,
  };
}

function publicUser(user: VirtualUser) {
  return {
    userId: user.userId,
    displayName: user.displayName,
    ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
    ...(user.language ? { language: user.language } : {}),
  };
}

function liffApps(value: unknown): LiffApp[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badInput('liffApps must be an array of {liffId, endpointUrl}');
  return value.map((v, i) => {
    const o = objectBody(v);
    const liffId = requiredString(o, 'liffId');
    if (!/^[A-Za-z0-9_-]+$/.test(liffId)) throw badInput(`liffApps[${i}].liffId has invalid characters`);
    return { liffId, endpointUrl: httpUrl(requiredString(o, 'endpointUrl'), `liffApps[${i}].endpointUrl`) };
  });
}

function userInput(body: unknown, existing: (id: string) => boolean): VirtualUser {
  const o = objectBody(body);
  const displayName = requiredString(o, 'displayName');
  if (displayName.length > 100) throw badInput('displayName is longer than 100 characters');
  const userId = optionalString(o, 'userId') ?? newUserId();
  if (!USER_ID_PATTERN.test(userId)) throw badInput('userId must be U followed by 32 lowercase hex digits');
  if (existing(userId)) throw badInput(`User ${userId} already exists`);
  const user: VirtualUser = { userId, displayName };
  const pictureUrl = optionalString(o, 'pictureUrl');
  if (pictureUrl) user.pictureUrl = httpUrl(pictureUrl, 'pictureUrl');
  const language = optionalString(o, 'language');
  if (language) user.language = language;
  const statusMessage = optionalString(o, 'statusMessage');
  if (statusMessage) user.statusMessage = statusMessage;
  return user;
}

export function registerSimSetupRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/_sim/channels', async (req, reply) => {
    const o = objectBody(req.body);
    const input: ChannelInput = {
      channelId: requiredString(o, 'channelId'),
      channelSecret: requiredString(o, 'channelSecret'),
      accessToken: requiredString(o, 'accessToken'),
    };
    const name = optionalString(o, 'name');
    if (name) input.name = name;
    const webhookUrl = optionalString(o, 'webhookUrl');
    if (webhookUrl !== undefined)
      input.webhookUrl = webhookUrl === '' ? '' : httpUrl(webhookUrl, 'webhookUrl');
    const botUserId = optionalString(o, 'botUserId');
    if (botUserId) {
      if (!USER_ID_PATTERN.test(botUserId))
        throw badInput('botUserId must be U followed by 32 lowercase hex digits');
      input.botUserId = botUserId;
    }
    const pictureUrl = optionalString(o, 'pictureUrl');
    if (pictureUrl) input.pictureUrl = httpUrl(pictureUrl, 'pictureUrl');
    const loginChannelId = optionalString(o, 'loginChannelId');
    const loginChannelSecret = optionalString(o, 'loginChannelSecret');
    if (loginChannelId) input.loginChannelId = loginChannelId;
    if (loginChannelSecret) input.loginChannelSecret = loginChannelSecret;
    const apps = liffApps(o.liffApps);
    if (apps) input.liffApps = apps;
    for (const other of ctx.state.channels.values()) {
      if (other.channelId !== input.channelId && other.config.accessToken === input.accessToken) {
        throw badInput('Another channel already uses this access token');
      }
    }
    return reply.send(publicChannel(ctx.state.upsertChannel(input)));
  });

  app.get('/_sim/channels', async (_req, reply) => {
    return reply.send([...ctx.state.channels.values()].map(publicChannel));
  });

  app.post('/_sim/users', async (req, reply) => {
    const user = userInput(req.body, (id) => ctx.state.users.has(id));
    ctx.state.addUser(user);
    return reply.code(201).send(publicUser(user));
  });

  // Many users at once, optionally already friends of a channel (no follow webhooks): for benchmarks.
  app.post('/_sim/users/bulk', async (req, reply) => {
    const o = objectBody(req.body);
    const count = o.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
      throw badInput('count must be an integer between 1 and 1,000,000');
    }
    const prefix = optionalString(o, 'displayNamePrefix') ?? 'User';
    const follow = o.followChannelId !== undefined ? requireChannel(ctx, o.followChannelId) : undefined;
    const userIds: string[] = new Array(count);
    const now = ctx.now();
    for (let i = 0; i < count; i++) {
      const userId = newUserId();
      ctx.state.users.set(userId, { userId, displayName: `${prefix} ${i + 1}`, bulk: true });
      if (follow) {
        const f = follow.friendship(userId, true);
        f.state = 'following';
        f.followedAt = now;
      }
      userIds[i] = userId;
    }
    follow?.followersChanged();
    ctx.state.changed();
    return reply.code(201).send({ userIds });
  });

  app.get('/_sim/users', async (req, reply) => {
    const q = req.query as { limit?: string; offset?: string; includeBulk?: string };
    const includeBulk = q.includeBulk === 'true';
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const limit = q.limit === undefined ? Number.POSITIVE_INFINITY : Number(q.limit);
    if (!(offset >= 0) || !(limit >= 0)) throw badInput('limit and offset must be non-negative numbers');
    const channels = [...ctx.state.channels.values()];
    const out = [];
    let i = 0;
    for (const user of ctx.state.users.values()) {
      if (user.bulk && !includeBulk) continue;
      if (i++ < offset) continue;
      if (out.length >= limit) break;
      const follows: Record<string, FollowState> = {};
      for (const c of channels) follows[c.channelId] = c.friendship(user.userId)?.state ?? 'none';
      out.push({ ...publicUser(user), follows });
    }
    return reply.send(out);
  });

  app.get('/_sim/users/:userId', async (req, reply) => {
    const { userId } = req.params as { userId: string };
    const user = ctx.state.users.get(userId);
    if (!user) return reply.code(404).send({ message: `Unknown user: ${userId}` });
    const follows: Record<string, FollowState> = {};
    for (const c of ctx.state.channels.values()) follows[c.channelId] = c.friendship(userId)?.state ?? 'none';
    return reply.send({ ...publicUser(user), follows });
  });
}
