import type { Api } from '../../platform/http/api.ts';
import {
  applicationChannelQuery,
  applicationListQuery,
  applicationParams,
  applicationStatusSchema,
  applicationUpdateSchema,
  procedureCreateSchema,
  procedureListQuery,
  procedureParams,
  procedureUpdateSchema,
} from './applications.schema.ts';
import {
  type ApplicationDeps,
  assignees,
  changeStatus,
  createProcedure,
  getApplication,
  getProcedure,
  listApplications,
  listProcedures,
  updateApplication,
  updateProcedure,
} from './applications.service.ts';

// Procedures (procedures.manage) and the staff queue of applications (applications.read / .manage).
// Every change is in the audit log, and so is every view of an application (it shows the verified
// identity: personal data). An application of another channel is 404 (the channel is named).

const procedures = (action: string) =>
  ({ permission: 'procedures.manage', audit: { action, targetType: 'procedure' } }) as const;
const manage = (action: string) =>
  ({ permission: 'applications.manage', audit: { action, targetType: 'application' } }) as const;

export function registerApplicationRoutes(app: Api, deps: ApplicationDeps): void {
  app.get(
    '/api/procedures',
    {
      schema: { tags: ['applications'], summary: 'チャネルの手続一覧', querystring: procedureListQuery },
      config: { permission: ['procedures.manage', 'applications.read'] },
    },
    async (request) => listProcedures(deps, request.query.channelId),
  );

  app.post(
    '/api/procedures',
    {
      schema: {
        tags: ['applications'],
        summary: '手続を作成（フォームも作成）',
        body: procedureCreateSchema,
      },
      config: procedures('procedure.create'),
    },
    async (request, reply) => {
      const view = await createProcedure(deps, request.body);
      request.auditTarget = { id: view.id, detail: { slug: view.slug, name: view.nameJa } };
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/procedures/:procedureId',
    {
      schema: { tags: ['applications'], summary: '手続の設定とフォーム', params: procedureParams },
      config: { permission: 'procedures.manage' },
    },
    async (request) => getProcedure(deps, request.params.procedureId),
  );

  app.patch(
    '/api/procedures/:procedureId',
    {
      schema: {
        tags: ['applications'],
        summary: '手続の設定（本人確認・手数料・受付）を変更',
        params: procedureParams,
        body: procedureUpdateSchema,
      },
      config: procedures('procedure.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.procedureId, detail: request.body };
      return updateProcedure(deps, request.params.procedureId, request.body);
    },
  );

  app.get(
    '/api/applications',
    {
      schema: {
        tags: ['applications'],
        summary: '申請の一覧（新しい順、絞り込み）',
        querystring: applicationListQuery,
      },
      config: {
        permission: 'applications.read',
        audit: { action: 'application.list.view', targetType: 'application' },
      },
    },
    async (request) => {
      const page = await listApplications(deps, request.query);
      request.auditTarget = { count: page.items.length };
      return page;
    },
  );

  app.get(
    '/api/applications/assignees',
    {
      schema: { tags: ['applications'], summary: '申請の担当者にできるアカウント' },
      config: { permission: 'applications.read' },
    },
    async () => assignees(deps),
  );

  app.get(
    '/api/applications/:applicationId',
    {
      schema: {
        tags: ['applications'],
        summary: '申請（本人確認の情報・入力内容・支払い・履歴）',
        params: applicationParams,
        querystring: applicationChannelQuery,
      },
      config: {
        permission: 'applications.read',
        audit: { action: 'application.view', targetType: 'application' },
      },
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.applicationId };
      reply.header('cache-control', 'private, no-store');
      return getApplication(deps, request.query.channelId, request.params.applicationId);
    },
  );

  app.patch(
    '/api/applications/:applicationId',
    {
      schema: {
        tags: ['applications'],
        summary: '申請の担当者を変更・メモを追加',
        params: applicationParams,
        querystring: applicationChannelQuery,
        body: applicationUpdateSchema,
      },
      config: manage('application.update'),
    },
    async (request) => {
      const { assigneeId, note } = request.body;
      request.auditTarget = {
        id: request.params.applicationId,
        detail: {
          ...(assigneeId !== undefined ? { assigneeId } : {}),
          ...(note !== undefined ? { note: true } : {}),
        },
      };
      return updateApplication(
        deps,
        request.query.channelId,
        request.params.applicationId,
        request.body,
        request.staff?.accountId ?? null,
      );
    },
  );

  app.post(
    '/api/applications/:applicationId/status',
    {
      schema: {
        tags: ['applications'],
        summary: '申請の状況を変更（審査中・発送済・差戻し・却下＝返金）',
        params: applicationParams,
        querystring: applicationChannelQuery,
        body: applicationStatusSchema,
      },
      config: manage('application.status'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.applicationId, detail: { status: request.body.status } };
      return changeStatus(
        deps,
        request.query.channelId,
        request.params.applicationId,
        request.body,
        request.staff!.accountId,
      );
    },
  );
}
