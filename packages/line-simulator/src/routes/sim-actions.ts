import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { parseLiffUrl } from '../liff.ts';
import { badInput } from '../sim-errors.ts';
import { objectBody, optionalBoolean, optionalString, requireChannel, requiredString } from '../sim-input.ts';
import {
  follow,
  openLiff,
  performAction,
  postback,
  sendMessage,
  tapRichMenu,
  unfollow,
} from '../user-actions.ts';

// /_sim: what the virtual user does on the phone. Each answers {webhookStatus, event} (and more).
// `redeliver: true` in any body sends the same event again with deliveryContext.isRedelivery = true.

function stringParams(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput('params must be an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

export function registerSimActionRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/_sim/users/:userId/follow', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    return follow(ctx, requireChannel(ctx, o.channelId), userId, optionalBoolean(o, 'redeliver'));
  });

  app.post('/_sim/users/:userId/unfollow', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    return unfollow(ctx, requireChannel(ctx, o.channelId), userId, optionalBoolean(o, 'redeliver'));
  });

  app.post('/_sim/users/:userId/messages', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    return sendMessage(
      ctx,
      requireChannel(ctx, o.channelId),
      userId,
      o.message,
      optionalBoolean(o, 'redeliver'),
    );
  });

  app.post('/_sim/users/:userId/postback', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    const channel = requireChannel(ctx, o.channelId);
    optionalString(o, 'displayText'); // shown in the chat by the phone; LINE does not send it in the event
    return postback(ctx, channel, userId, o.data, stringParams(o.params), optionalBoolean(o, 'redeliver'));
  });

  app.post('/_sim/users/:userId/richmenu-tap', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    return tapRichMenu(ctx, requireChannel(ctx, o.channelId), userId, o.areaIndex, {
      params: stringParams(o.params),
      redeliver: optionalBoolean(o, 'redeliver'),
    });
  });

  // Any action object: quick reply items, template and flex buttons, imagemap-like taps.
  app.post('/_sim/users/:userId/action', async (req) => {
    const o = objectBody(req.body);
    const { userId } = req.params as { userId: string };
    return performAction(ctx, requireChannel(ctx, o.channelId), userId, o.action, {
      params: stringParams(o.params),
      redeliver: optionalBoolean(o, 'redeliver'),
    });
  });

  app.post('/_sim/liff/open', async (req) => {
    const o = objectBody(req.body);
    const userId = requiredString(o, 'userId');
    const url = optionalString(o, 'url');
    if (url !== undefined) {
      const parsed = parseLiffUrl(url);
      if (!parsed) throw badInput('url must be a LIFF URL (https://liff.line.me/{liffId}/...)');
      return openLiff(ctx, userId, parsed.liffId, parsed.path);
    }
    return openLiff(ctx, userId, requiredString(o, 'liffId'), optionalString(o, 'path') ?? '');
  });
}
