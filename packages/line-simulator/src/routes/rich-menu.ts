import type { FastifyInstance } from 'fastify';
import type { ChannelRuntime } from '../channel-runtime.ts';
import type { SimContext } from '../context.ts';
import { newRichMenuId } from '../ids.ts';
import { readImageSize } from '../image-size.ts';
import { errors, invalidBody, LineHttpError, lineError } from '../line-errors.ts';
import type { JsonObject, RichMenu } from '../model.ts';
import { validateRichMenu } from '../rich-menu-rules.ts';
import { channelOf, enforceRateLimit } from './messaging-hooks.ts';

// Rich menu objects and their images.

const MAX_RICH_MENUS = 1000;
const MAX_IMAGE_BYTES = 1024 * 1024;

export function richMenuResponse(menu: RichMenu): JsonObject {
  return {
    richMenuId: menu.richMenuId,
    size: menu.size,
    selected: menu.selected,
    name: menu.name,
    chatBarText: menu.chatBarText,
    areas: menu.areas,
  };
}

export function requireRichMenu(channel: ChannelRuntime, richMenuId: string): RichMenu {
  const menu = channel.richMenus.get(richMenuId);
  if (!menu) throw new LineHttpError(errors.richMenuNotFound());
  return menu;
}

export function registerRichMenuRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v2/bot/richmenu', async (req, reply) => {
    enforceRateLimit(ctx, req, 'richMenuCreate');
    const channel = channelOf(req);
    const details = validateRichMenu(ctx.validator, req.body);
    if (details.length > 0) throw new LineHttpError(invalidBody(details));
    if (channel.richMenus.size >= MAX_RICH_MENUS) {
      throw new LineHttpError(lineError(400, 'The maximum number of rich menus (1000) has been reached'));
    }
    const body = req.body as Omit<RichMenu, 'richMenuId'>;
    const menu: RichMenu = {
      richMenuId: newRichMenuId(),
      size: body.size,
      selected: body.selected,
      name: body.name,
      chatBarText: body.chatBarText,
      areas: body.areas,
    };
    channel.richMenus.set(menu.richMenuId, menu);
    ctx.state.changed();
    return reply.send({ richMenuId: menu.richMenuId });
  });

  app.post('/v2/bot/richmenu/validate', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const details = validateRichMenu(ctx.validator, req.body);
    if (details.length > 0) throw new LineHttpError(invalidBody(details));
    return reply.send({});
  });

  app.get('/v2/bot/richmenu/list', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    return reply.send({ richmenus: [...channelOf(req).richMenus.values()].map(richMenuResponse) });
  });

  app.get('/v2/bot/richmenu/:richMenuId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { richMenuId } = req.params as { richMenuId: string };
    return reply.send(richMenuResponse(requireRichMenu(channelOf(req), richMenuId)));
  });

  app.delete('/v2/bot/richmenu/:richMenuId', async (req, reply) => {
    enforceRateLimit(ctx, req, 'richMenuDelete');
    const channel = channelOf(req);
    const { richMenuId } = req.params as { richMenuId: string };
    requireRichMenu(channel, richMenuId);
    channel.richMenus.delete(richMenuId);
    if (channel.defaultRichMenuId === richMenuId) channel.defaultRichMenuId = undefined;
    for (const f of channel.friends.values()) {
      if (f.linkedRichMenuId === richMenuId) f.linkedRichMenuId = undefined;
    }
    ctx.events.emit({ type: 'richmenu', channelId: channel.channelId, userIds: 'all' });
    ctx.state.changed();
    return reply.send({});
  });

  // api-data.line.me: upload and download the image.
  app.post('/v2/bot/richmenu/:richMenuId/content', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const { richMenuId } = req.params as { richMenuId: string };
    const menu = requireRichMenu(channel, richMenuId);
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (contentType !== 'image/png' && contentType !== 'image/jpeg') {
      throw new LineHttpError(
        lineError(415, 'Unsupported Media Type: the image must be image/png or image/jpeg'),
      );
    }
    const data = req.body;
    if (!Buffer.isBuffer(data) || data.length === 0)
      throw new LineHttpError(lineError(400, 'The image is empty'));
    if (data.length > MAX_IMAGE_BYTES)
      throw new LineHttpError(lineError(400, 'The image must be 1 MB or smaller'));
    const info = readImageSize(data);
    if (!info || (info.type === 'png' ? 'image/png' : 'image/jpeg') !== contentType) {
      throw new LineHttpError(lineError(400, `The body is not a valid ${contentType} image`));
    }
    if (info.width !== menu.size.width || info.height !== menu.size.height) {
      throw new LineHttpError(
        lineError(
          400,
          `Image size (${info.width}x${info.height}) does not match the rich menu size (${menu.size.width}x${menu.size.height})`,
        ),
      );
    }
    if (menu.image)
      throw new LineHttpError(lineError(400, 'An image has already been uploaded to the richmenu'));
    menu.image = { contentType, data };
    ctx.state.changed();
    return reply.send({});
  });

  app.get('/v2/bot/richmenu/:richMenuId/content', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { richMenuId } = req.params as { richMenuId: string };
    const menu = requireRichMenu(channelOf(req), richMenuId);
    if (!menu.image) throw new LineHttpError(errors.notFound());
    return reply.type(menu.image.contentType).send(menu.image.data);
  });
}
