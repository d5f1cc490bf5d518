import type { FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { SimContext } from '../context.ts';
import { USER_ID_PATTERN } from '../ids.ts';
import { errors, invalidBody, LineHttpError, lineError } from '../line-errors.ts';
import type { RichMenu } from '../model.ts';
import { channelOf, enforceRateLimit, requestIdOf } from './messaging-hooks.ts';
import { requireRichMenu } from './rich-menu.ts';

// Which rich menu users see: the default menu, per-user links (single and bulk) and aliases.

const MAX_ALIASES = 1000;

function requireApplicable(channel: ChannelRuntime, richMenuId: string): RichMenu {
  const menu = requireRichMenu(channel, richMenuId);
  if (!menu.image)
    throw new LineHttpError(lineError(400, 'must upload richmenu image before applying it to user'));
  return menu;
}

function validate(ctx: SimContext, path: string, body: unknown): void {
  const details = ctx.validator.validate('POST', path, body);
  if (details.length > 0) throw new LineHttpError(invalidBody(details));
}

export function registerRichMenuLinkRoutes(app: FastifyInstance, ctx: SimContext): void {
  const changed = (channel: ChannelRuntime, userIds: string[] | 'all') => {
    ctx.state.changed();
    ctx.events.emit({ type: 'richmenu', channelId: channel.channelId, userIds });
  };

  // Default rich menu
  app.post('/v2/bot/user/all/richmenu/:richMenuId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { richMenuId } = req.params as { richMenuId: string };
    requireApplicable(channel, richMenuId);
    channel.defaultRichMenuId = richMenuId;
    changed(channel, 'all');
    return reply.send({});
  });

  app.get('/v2/bot/user/all/richmenu', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const id = channelOf(req).defaultRichMenuId;
    if (!id) throw new LineHttpError(lineError(404, 'no default richmenu'));
    return reply.send({ richMenuId: id });
  });

  app.delete('/v2/bot/user/all/richmenu', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    channel.defaultRichMenuId = undefined;
    changed(channel, 'all');
    return reply.send({});
  });

  // Per-user links
  app.post('/v2/bot/user/:userId/richmenu/:richMenuId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { userId, richMenuId } = req.params as { userId: string; richMenuId: string };
    if (!USER_ID_PATTERN.test(userId))
      throw new LineHttpError(lineError(400, 'The value of userId is invalid'));
    requireApplicable(channel, richMenuId);
    if (!ctx.state.users.has(userId)) throw new LineHttpError(errors.notFound());
    channel.friendship(userId, true).linkedRichMenuId = richMenuId;
    changed(channel, [userId]);
    return reply.send({});
  });

  app.get('/v2/bot/user/:userId/richmenu', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { userId } = req.params as { userId: string };
    const linked = channelOf(req).friendship(userId)?.linkedRichMenuId;
    if (!linked) throw new LineHttpError(lineError(404, 'the user has no richmenu'));
    return reply.send({ richMenuId: linked });
  });

  app.delete('/v2/bot/user/:userId/richmenu', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { userId } = req.params as { userId: string };
    if (!USER_ID_PATTERN.test(userId))
      throw new LineHttpError(lineError(400, 'The value of userId is invalid'));
    const f = channel.friendship(userId);
    if (f) f.linkedRichMenuId = undefined;
    changed(channel, [userId]);
    return reply.send({});
  });

  app.post('/v2/bot/richmenu/bulk/link', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    validate(ctx, '/v2/bot/richmenu/bulk/link', req.body);
    const body = req.body as { richMenuId: string; userIds: string[] };
    requireApplicable(channel, body.richMenuId);
    const linked: string[] = [];
    for (const userId of body.userIds) {
      if (!ctx.state.users.has(userId)) continue;
      channel.friendship(userId, true).linkedRichMenuId = body.richMenuId;
      linked.push(userId);
    }
    changed(channel, linked);
    return reply.code(202).send({});
  });

  app.post('/v2/bot/richmenu/bulk/unlink', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    validate(ctx, '/v2/bot/richmenu/bulk/unlink', req.body);
    const body = req.body as { userIds: string[] };
    for (const userId of body.userIds) {
      const f = channel.friendship(userId);
      if (f) f.linkedRichMenuId = undefined;
    }
    changed(channel, body.userIds);
    return reply.code(202).send({});
  });

  // Batch control of linked menus (POST /v2/bot/richmenu/batch): for every user linked to `from`,
  // link `to` instead (link), unlink it (unlink), or unlink every per-user menu (unlinkAll). LINE
  // runs it asynchronously (202, then GET /v2/bot/richmenu/progress/batch?requestId=); the
  // simulator applies it at once and reports `succeeded`.
  const batches = new Map<string, { acceptedTime: string; completedTime: string }>();
  type BatchOperation =
    | { type: 'link'; from: string; to: string }
    | { type: 'unlink'; from: string }
    | { type: 'unlinkAll' };
  const applyBatch = (channel: ChannelRuntime, operations: BatchOperation[]) => {
    for (const op of operations) {
      if (op.type === 'link') requireApplicable(channel, op.to);
    }
    const touched: string[] = [];
    for (const f of channel.friends.values()) {
      if (!f.linkedRichMenuId) continue;
      for (const op of operations) {
        if (op.type === 'unlinkAll' || (op.type === 'unlink' && f.linkedRichMenuId === op.from)) {
          f.linkedRichMenuId = undefined;
          touched.push(f.userId);
          break;
        }
        if (op.type === 'link' && f.linkedRichMenuId === op.from) {
          f.linkedRichMenuId = op.to;
          touched.push(f.userId);
          break;
        }
      }
    }
    return touched;
  };

  app.post('/v2/bot/richmenu/validate/batch', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    validate(ctx, '/v2/bot/richmenu/validate/batch', req.body);
    return reply.send({});
  });

  app.post('/v2/bot/richmenu/batch', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    validate(ctx, '/v2/bot/richmenu/batch', req.body);
    const body = req.body as { operations?: BatchOperation[] };
    const operations = body.operations ?? [];
    if (operations.length === 0 || operations.length > 1000) {
      throw new LineHttpError(
        invalidBody([{ message: 'Size must be between 1 and 1000', property: 'operations' }]),
      );
    }
    const accepted = new Date(ctx.now()).toISOString();
    changed(channel, applyBatch(channel, operations));
    batches.set(requestIdOf(req), {
      acceptedTime: accepted,
      completedTime: new Date(ctx.now()).toISOString(),
    });
    return reply.code(202).send({});
  });

  app.get('/v2/bot/richmenu/progress/batch', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    channelOf(req);
    const { requestId } = req.query as { requestId?: string };
    const found = requestId ? batches.get(requestId) : undefined;
    if (!found) throw new LineHttpError(lineError(404, 'Not found'));
    return reply.send({ phase: 'succeeded', ...found });
  });

  // Aliases
  app.post('/v2/bot/richmenu/alias', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    validate(ctx, '/v2/bot/richmenu/alias', req.body);
    const body = req.body as { richMenuAliasId: string; richMenuId: string };
    requireRichMenu(channel, body.richMenuId);
    if (channel.aliases.has(body.richMenuAliasId)) {
      throw new LineHttpError(lineError(400, 'conflict richmenu alias id'));
    }
    if (channel.aliases.size >= MAX_ALIASES) {
      throw new LineHttpError(
        lineError(400, 'The maximum number of rich menu aliases (1000) has been reached'),
      );
    }
    channel.aliases.set(body.richMenuAliasId, body.richMenuId);
    ctx.state.changed();
    return reply.send({});
  });

  app.get('/v2/bot/richmenu/alias/list', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const aliases = [...channelOf(req).aliases].map(([richMenuAliasId, richMenuId]) => ({
      richMenuAliasId,
      richMenuId,
    }));
    return reply.send({ aliases });
  });

  app.get('/v2/bot/richmenu/alias/:richMenuAliasId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    const richMenuId = channelOf(req).aliases.get(richMenuAliasId);
    if (!richMenuId) throw new LineHttpError(lineError(404, 'richmenu alias not found'));
    return reply.send({ richMenuAliasId, richMenuId });
  });

  app.post('/v2/bot/richmenu/alias/:richMenuAliasId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    validate(ctx, '/v2/bot/richmenu/alias/{richMenuAliasId}', req.body);
    if (!channel.aliases.has(richMenuAliasId))
      throw new LineHttpError(lineError(404, 'richmenu alias not found'));
    const { richMenuId } = req.body as { richMenuId: string };
    requireRichMenu(channel, richMenuId);
    channel.aliases.set(richMenuAliasId, richMenuId);
    ctx.state.changed();
    return reply.send({});
  });

  app.delete('/v2/bot/richmenu/alias/:richMenuAliasId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { richMenuAliasId } = req.params as { richMenuAliasId: string };
    if (!channel.aliases.delete(richMenuAliasId))
      throw new LineHttpError(lineError(404, 'richmenu alias not found'));
    ctx.state.changed();
    return reply.send({});
  });
}
