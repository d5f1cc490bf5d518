import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import {
  segmentCountSchema,
  segmentInputSchema,
  segmentListQuery,
  segmentTreeHook,
  segmentUpdateSchema,
} from './segment.schema.ts';
import {
  countAudience,
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  requireChannel,
  updateSegment,
} from './segments.service.ts';

// Segments (G-04): the live audience count of the builder and saved segments.

export function registerSegmentRoutes(app: Api, deps: { db: Db }): void {
  const { db } = deps;

  // The builder's live count: whoever builds deliveries or segments.
  app.post(
    '/api/segments/count',
    {
      schema: { tags: ['segments'], summary: 'セグメントの対象人数', body: segmentCountSchema },
      config: { permission: ['deliveries.create', 'segments.manage'], audit: { action: 'segments.count' } },
      preValidation: segmentTreeHook('tree'),
    },
    async (request) => {
      const started = performance.now();
      await requireChannel(db, request.body.channelId);
      const count = await countAudience(db, request.body.channelId, request.body.tree);
      return { count, ms: Math.round(performance.now() - started) };
    },
  );

  app.get(
    '/api/segments',
    {
      schema: { tags: ['segments'], summary: 'セグメントの一覧', querystring: segmentListQuery },
      config: { permission: ['segments.manage', 'deliveries.create'] },
    },
    async (request) => listSegments(db, request.query.channelId),
  );

  app.get(
    '/api/segments/:id',
    {
      schema: { tags: ['segments'], summary: 'セグメント', params: idParams },
      config: { permission: ['segments.manage', 'deliveries.create'] },
    },
    async (request) => getSegment(db, request.params.id),
  );

  app.post(
    '/api/segments',
    {
      schema: { tags: ['segments'], summary: 'セグメントを保存', body: segmentInputSchema },
      config: { permission: 'segments.manage', audit: { action: 'segment.create', targetType: 'segment' } },
      preValidation: segmentTreeHook('tree'),
    },
    async (request, reply) => {
      const segment = await createSegment(db, request.body, request.staff?.accountId ?? null);
      request.auditTarget = { id: segment.id, detail: { name: segment.name } };
      return reply.status(201).send(segment);
    },
  );

  app.patch(
    '/api/segments/:id',
    {
      schema: {
        tags: ['segments'],
        summary: 'セグメントを変更',
        params: idParams,
        body: segmentUpdateSchema,
      },
      config: { permission: 'segments.manage', audit: { action: 'segment.update', targetType: 'segment' } },
      preValidation: segmentTreeHook('tree', true),
    },
    async (request) => updateSegment(db, request.params.id, request.body),
  );

  app.delete(
    '/api/segments/:id',
    {
      schema: { tags: ['segments'], summary: 'セグメントを削除', params: idParams },
      config: { permission: 'segments.manage', audit: { action: 'segment.delete', targetType: 'segment' } },
    },
    async (request, reply) => {
      await deleteSegment(db, request.params.id);
      return reply.status(204).send();
    },
  );
}
