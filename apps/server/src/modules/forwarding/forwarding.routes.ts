import type { Api } from '../../platform/http/api.ts';
import {
  channelQuery,
  itemListQuery,
  itemParams,
  targetCreateSchema,
  targetParams,
  targetUpdateSchema,
} from './forwarding.schema.ts';
import {
  createTarget,
  deleteTarget,
  type ForwardingDeps,
  listItems,
  listTargets,
  resendAll,
  resendItem,
  updateTarget,
} from './forwarding.service.ts';

// Webhook forwarding for staff (W-01): a channel's targets (channels.manage: they are channel
// settings), their failures and dead letters, and 再送. Every change is audited; a secret never
// appears in the audit detail (only that it was set).

const manage = (action: string) =>
  ({ permission: 'channels.manage', audit: { action, targetType: 'forwarding-target' } }) as const;

/** The audit detail of a create or change: what was set, the secret only as "set". */
const detailOf = (body: Record<string, unknown>) => {
  const { secret, ...rest } = body;
  return { ...rest, ...(secret !== undefined ? { secretSet: true } : {}) };
};

export function registerForwardingRoutes(app: Api, deps: ForwardingDeps): void {
  app.get(
    '/api/forwarding/targets',
    {
      schema: {
        tags: ['forwarding'],
        summary: 'Webhook 転送先の一覧（送信数・失敗・待ち）',
        querystring: channelQuery,
      },
      config: { permission: 'channels.manage' },
    },
    async (request) => listTargets(deps, request.query.channelId),
  );

  app.post(
    '/api/forwarding/targets',
    {
      schema: { tags: ['forwarding'], summary: 'Webhook 転送先を追加', body: targetCreateSchema },
      config: manage('forwarding.target.create'),
    },
    async (request, reply) => {
      const created = await createTarget(deps, request.body);
      request.auditTarget = { id: created.id, detail: detailOf(request.body) };
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/api/forwarding/targets/:targetId',
    {
      schema: {
        tags: ['forwarding'],
        summary: 'Webhook 転送先を変更（シークレットは書き込みのみ）',
        params: targetParams,
        body: targetUpdateSchema,
      },
      config: manage('forwarding.target.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.targetId, detail: detailOf(request.body) };
      return updateTarget(deps, request.params.targetId, request.body);
    },
  );

  app.delete(
    '/api/forwarding/targets/:targetId',
    {
      schema: {
        tags: ['forwarding'],
        summary: 'Webhook 転送先を削除（待っている転送も消えます）',
        params: targetParams,
      },
      config: manage('forwarding.target.delete'),
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.targetId };
      await deleteTarget(deps, request.params.targetId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/forwarding/targets/:targetId/items',
    {
      schema: {
        tags: ['forwarding'],
        summary: '転送の記録（失敗・停止したもの、応答の抜粋）',
        params: targetParams,
        querystring: itemListQuery,
      },
      config: { permission: 'channels.manage' },
    },
    async (request) => listItems(deps, request.params.targetId, request.query),
  );

  app.post(
    '/api/forwarding/targets/:targetId/items/:itemId/resend',
    {
      schema: { tags: ['forwarding'], summary: '停止した転送を再送', params: itemParams },
      config: manage('forwarding.item.resend'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.targetId, detail: { itemId: request.params.itemId } };
      return resendItem(deps, request.params.targetId, request.params.itemId);
    },
  );

  app.post(
    '/api/forwarding/targets/:targetId/resend',
    {
      schema: { tags: ['forwarding'], summary: 'この転送先の停止した転送をすべて再送', params: targetParams },
      config: manage('forwarding.target.resend'),
    },
    async (request) => {
      const result = await resendAll(deps, request.params.targetId);
      request.auditTarget = { id: request.params.targetId, count: result.resent };
      return result;
    },
  );
}
