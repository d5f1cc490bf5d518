import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import {
  checkDeliveryBody,
  deliveryCreateSchema,
  deliveryListQuery,
  deliveryTestSchema,
  deliveryUpdateSchema,
  occurrencesSchema,
} from './deliveries.schema.ts';
import { type DeliveriesService, type StaffRef, upcomingOccurrences } from './deliveries.service.ts';

// Delivery API (G-05, G-07 … G-09, G-12). Drafts and test deliveries need `deliveries.create`;
// sending, scheduling, changing a scheduled delivery and cancelling need `deliveries.send` too; either
// permission may list and read deliveries.

const who = (staff: { accountId: string; permissions: string[] } | undefined): StaffRef => ({
  accountId: staff!.accountId,
  permissions: staff!.permissions,
});

/** The delivery API's routes; deliveries.module.ts builds the service and the pipeline. */
export function registerDeliveryRoutes(app: Api, service: DeliveriesService): void {
  app.post(
    '/api/deliveries',
    {
      schema: {
        tags: ['deliveries'],
        summary: '配信を作成（下書き・即時・予約・繰り返し）',
        body: deliveryCreateSchema,
      },
      preValidation: checkDeliveryBody,
      config: {
        permission: 'deliveries.create',
        audit: { action: 'delivery.create', targetType: 'delivery' },
      },
    },
    async (request, reply) => {
      const d = await service.create(request.body, who(request.staff));
      request.auditTarget = { id: d.id, detail: { status: d.status, audience: d.audience.kind } };
      return reply.status(201).send(d);
    },
  );

  app.get(
    '/api/deliveries',
    {
      schema: { tags: ['deliveries'], summary: '配信の一覧', querystring: deliveryListQuery },
      config: { permission: ['deliveries.create', 'deliveries.send'] },
    },
    async (request) => {
      const q = request.query;
      return service.list({
        channelId: q.channelId,
        status: q.status,
        seriesId: q.seriesId,
        isTest: q.isTest === undefined ? undefined : q.isTest === 'true',
        limit: q.limit,
      });
    },
  );

  app.get(
    '/api/deliveries/:id',
    {
      schema: { tags: ['deliveries'], summary: '配信（送信中は進み具合つき）', params: idParams },
      config: { permission: ['deliveries.create', 'deliveries.send'] },
    },
    async (request) => service.get(request.params.id),
  );

  app.patch(
    '/api/deliveries/:id',
    {
      schema: {
        tags: ['deliveries'],
        summary: '配信を変更（送信開始前のみ）',
        params: idParams,
        body: deliveryUpdateSchema,
      },
      preValidation: checkDeliveryBody,
      config: {
        permission: 'deliveries.create',
        audit: { action: 'delivery.update', targetType: 'delivery' },
      },
    },
    async (request) => {
      const d = await service.update(request.params.id, request.body, who(request.staff));
      request.auditTarget = { id: d.id, detail: { status: d.status } };
      return d;
    },
  );

  app.post(
    '/api/deliveries/:id/cancel',
    {
      schema: { tags: ['deliveries'], summary: '配信を取り消す（送信開始前のみ）', params: idParams },
      config: { permission: 'deliveries.send', audit: { action: 'delivery.cancel', targetType: 'delivery' } },
    },
    async (request) => {
      const d = await service.cancel(request.params.id);
      request.auditTarget = { id: d.id };
      return d;
    },
  );

  app.post(
    '/api/deliveries/:id/test',
    {
      schema: {
        tags: ['deliveries'],
        summary: 'テスト配信（テスト用の友だち、またはテスト用チャネルへ）',
        params: idParams,
        body: deliveryTestSchema.nullish(),
      },
      config: { permission: 'deliveries.create', audit: { action: 'delivery.test', targetType: 'delivery' } },
    },
    async (request, reply) => {
      const d = await service.test(request.params.id, request.body ?? {}, who(request.staff));
      request.auditTarget = { id: d.id, detail: { source: request.params.id, channelId: d.channelId } };
      return reply.status(201).send(d);
    },
  );

  app.post(
    '/api/deliveries/occurrences',
    {
      schema: { tags: ['deliveries'], summary: '繰り返し配信の今後の配信日時', body: occurrencesSchema },
      config: { permission: 'deliveries.create', audit: { action: 'deliveries.occurrences' } },
    },
    async (request) => ({
      occurrences: upcomingOccurrences(request.body.recurrence, new Date(), request.body.count),
    }),
  );
}
