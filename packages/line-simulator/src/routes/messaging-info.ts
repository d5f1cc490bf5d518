import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { errors, invalidBody, LineHttpError } from '../line-errors.ts';
import { channelOf, enforceRateLimit } from './messaging-hooks.ts';

// Profiles, followers, bot info, quota, content of user messages, loading animation.

const FOLLOWERS_DEFAULT_LIMIT = 300;
const FOLLOWERS_MAX_LIMIT = 1000;

export function registerInfoRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/bot/profile/:userId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    const user = ctx.state.users.get(userId);
    if (!user || !channel.isFollowing(userId)) throw new LineHttpError(errors.notFound());
    const profile: Record<string, string> = { displayName: user.displayName, userId: user.userId };
    if (user.pictureUrl) profile.pictureUrl = user.pictureUrl;
    if (user.statusMessage) profile.statusMessage = user.statusMessage;
    if (user.language) profile.language = user.language;
    return reply.send(profile);
  });

  app.get('/v2/bot/followers/ids', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const query = req.query as { limit?: string; start?: string };
    let limit = FOLLOWERS_DEFAULT_LIMIT;
    if (query.limit !== undefined) {
      limit = Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > FOLLOWERS_MAX_LIMIT) {
        throw new LineHttpError(invalidBody([{ message: 'Must be between 1 and 1000', property: 'limit' }]));
      }
    }
    let offset = 0;
    if (query.start !== undefined) {
      const decoded = Number(Buffer.from(query.start, 'base64url').toString('utf8'));
      if (!Number.isInteger(decoded) || decoded < 0) {
        throw new LineHttpError(invalidBody([{ message: 'Invalid continuation token', property: 'start' }]));
      }
      offset = decoded;
    }
    const ids = channel.followerIds();
    const page = ids.slice(offset, offset + limit);
    const answer: { userIds: string[]; next?: string } = { userIds: page };
    if (offset + limit < ids.length) answer.next = Buffer.from(String(offset + limit)).toString('base64url');
    return reply.send(answer);
  });

  app.get('/v2/bot/info', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { config } = channelOf(req);
    return reply.send({
      userId: config.botUserId,
      basicId: config.basicId,
      displayName: config.name,
      ...(config.pictureUrl ? { pictureUrl: config.pictureUrl } : {}),
      chatMode: 'bot',
      markAsReadMode: 'auto',
    });
  });

  app.get('/v2/bot/message/quota', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    return reply.send({ type: 'none' });
  });

  app.get('/v2/bot/message/quota/consumption', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    return reply.send({ totalUsage: channelOf(req).usageThisMonth(ctx.now()) });
  });

  // api-data.line.me
  app.get('/v2/bot/message/:messageId/content', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { messageId } = req.params as { messageId: string };
    const content = ctx.state.contents.get(messageId);
    if (!content || content.channelId !== channelOf(req).channelId)
      throw new LineHttpError(errors.notFound());
    return reply.type(content.contentType).send(content.data);
  });

  app.post('/v2/bot/chat/loading/start', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const details = ctx.validator.validate('POST', '/v2/bot/chat/loading/start', req.body);
    const body = req.body as { chatId: string; loadingSeconds?: number };
    if (details.length === 0 && body.loadingSeconds !== undefined && body.loadingSeconds % 5 !== 0) {
      details.push({ message: 'Must be a multiple of 5', property: 'loadingSeconds' });
    }
    if (details.length > 0) throw new LineHttpError(invalidBody(details));
    if (!channel.isFollowing(body.chatId)) throw new LineHttpError(errors.failedToSend());
    ctx.events.emit({
      type: 'loading',
      channelId: channel.channelId,
      userId: body.chatId,
      seconds: body.loadingSeconds ?? 20,
    });
    return reply.code(202).send({});
  });
}
