import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { invalidBody, LineHttpError } from '../line-errors.ts';
import { channelOf, enforceRateLimit } from './messaging-hooks.ts';

// The channel's webhook URL through the Messaging API (get, set, test), as the product may manage it.

export function registerWebhookEndpointRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v2/bot/channel/webhook/endpoint', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const { webhookUrl } = channelOf(req).config;
    return reply.send({ endpoint: webhookUrl, active: webhookUrl !== '' });
  });

  app.put('/v2/bot/channel/webhook/endpoint', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const details = ctx.validator.validate('PUT', '/v2/bot/channel/webhook/endpoint', req.body);
    const endpoint = (req.body as { endpoint?: string } | undefined)?.endpoint ?? '';
    if (details.length === 0 && !/^https?:\/\//.test(endpoint)) {
      details.push({ message: 'Must be a valid URL', property: 'endpoint' });
    }
    if (details.length > 0) throw new LineHttpError(invalidBody(details));
    const channel = channelOf(req);
    channel.config = { ...channel.config, webhookUrl: endpoint };
    ctx.state.changed();
    return reply.send({});
  });

  app.post('/v2/bot/channel/webhook/test', async (req, reply) => {
    enforceRateLimit(ctx, req, 'other');
    const channel = channelOf(req);
    const endpoint = (req.body as { endpoint?: string } | undefined)?.endpoint;
    const attempt = await ctx.webhooks.send(channel, [], endpoint ? { url: endpoint } : {});
    const success = attempt.status >= 200 && attempt.status < 300;
    return reply.send({
      success,
      timestamp: attempt.at,
      statusCode: attempt.status,
      reason: success ? 'OK' : attempt.error ? 'COULD_NOT_CONNECT' : 'ERROR_STATUS_CODE',
      detail: attempt.error ?? String(attempt.status),
    });
  });
}
