import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Api } from '../../platform/http/api.ts';
import type { LineEventsService } from './line-events.service.ts';

// POST /webhooks/line/:channelId — LINE's webhook endpoint. The body is read raw (as bytes) because
// the signature covers the exact bytes LINE sent.
export function registerWebhookRoutes(app: Api, service: LineEventsService, bodyLimit: number): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/webhooks/line/:channelId',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'LINE Messaging API webhook',
          params: z.object({ channelId: z.string().max(64) }),
        },
        config: { staff: false },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-line-signature'];
        await service.intake(
          request.params.channelId,
          raw,
          typeof signature === 'string' ? signature : undefined,
        );
        return reply.status(200).send({});
      },
    );
  });
}
