import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { webhookIntakeDuration } from './line-events-metrics.ts';
import { warmUpWebhookSchema } from './webhook-event-validation.ts';
import { type IntakeDeps, intakeWebhook, listRejected } from './webhook-intake.ts';

const rejectedQuery = z.object({
  channelId: z.uuid('チャネル ID の形式が正しくありません').optional(),
  beforeId: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'beforeId の形式が正しくありません')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// POST /webhooks/line/:channelId — LINE's webhook endpoint. The body is read raw (as bytes) because
// the signature covers the exact bytes LINE sent.
// GET /api/line-events/rejected — the webhook events kept aside as malformed, for operators.
export function registerWebhookRoutes(app: Api, deps: IntakeDeps, bodyLimit: number): void {
  // LINE's webhook.yml is compiled at start, not on the first webhook.
  warmUpWebhookSchema();

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
          // Any spelling reaches the handler: an ID that is no channel of ours is 404, not 400.
          params: z.object({ channelId: z.string().max(2000) }),
        },
        config: { staff: false },
      },
      async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-line-signature'];
        const timer = webhookIntakeDuration.startTimer();
        const result = await intakeWebhook(
          deps,
          request.params.channelId,
          raw,
          typeof signature === 'string' ? signature : undefined,
        ).catch((err: unknown) => {
          timer({ outcome: err instanceof AppError ? err.code : 'error' });
          throw err;
        });
        timer({ outcome: 'accepted' });
        if (result.rejected.length > 0) {
          const reasons: Record<string, number> = {};
          for (const r of result.rejected) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
          request.log.warn(
            {
              channelId: request.params.channelId,
              received: result.received,
              stored: result.stored,
              rejected: result.rejected.length,
              reasons,
              first: result.rejected.slice(0, 3),
            },
            'LINE webhook events rejected as malformed (kept aside, see GET /api/line-events/rejected)',
          );
        }
        return reply.status(200).send({});
      },
    );
  });

  app.get(
    '/api/line-events/rejected',
    {
      schema: {
        tags: ['line-events'],
        summary: '受け付けなかった Webhook イベント（形式不正）の一覧',
        querystring: rejectedQuery,
      },
      config: { permission: 'channels.manage' },
    },
    async (request) => listRejected(deps, request.query),
  );
}
