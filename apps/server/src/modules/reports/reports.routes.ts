import type { Api } from '../../platform/http/api.ts';
import { sendTablePages } from '../../platform/http/table-export.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import { reportExport } from './report-export.ts';
import {
  categoryCreateSchema,
  categoryParams,
  categoryUpdateSchema,
  channelQuery,
  photoParams,
  reportListQuery,
  reportParams,
  reportUpdateSchema,
} from './reports.schema.ts';
import {
  assignees,
  createCategory,
  deleteCategory,
  getReport,
  listCategories,
  listReports,
  type ReportDeps,
  readPhoto,
  retryMails,
  updateCategory,
  updateReport,
} from './reports.service.ts';

// Fault reports for staff: categories and their notification addresses (reports.manage), the list,
// one report with its photos, triage and export (reports.handle). Photos are served only here, to
// reports.handle. Every change (and every read of reports) is in the audit log.

const manage = (action: string) =>
  ({ permission: 'reports.manage', audit: { action, targetType: 'report-category' } }) as const;
const handle = (action: string) =>
  ({ permission: 'reports.handle', audit: { action, targetType: 'report' } }) as const;

export function registerReportRoutes(app: Api, deps: ReportDeps): void {
  app.get(
    '/api/reports/categories',
    {
      schema: { tags: ['reports'], summary: '通報カテゴリと通知先', querystring: channelQuery },
      config: { permission: ['reports.manage', 'reports.handle'] },
    },
    async (request) => listCategories(deps, request.query.channelId),
  );

  app.post(
    '/api/reports/categories',
    {
      schema: { tags: ['reports'], summary: '通報カテゴリを作成', body: categoryCreateSchema },
      config: manage('report.category.create'),
    },
    async (request, reply) => {
      const view = await createCategory(deps, request.body);
      request.auditTarget = { id: view.id, detail: { name: view.name, emails: view.emails.length } };
      return reply.status(201).send(view);
    },
  );

  app.patch(
    '/api/reports/categories/:categoryId',
    {
      schema: {
        tags: ['reports'],
        summary: '通報カテゴリ（名前・通知先・受付）を変更',
        params: categoryParams,
        body: categoryUpdateSchema,
      },
      config: manage('report.category.update'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.categoryId, detail: request.body };
      return updateCategory(deps, request.params.categoryId, request.body);
    },
  );

  app.delete(
    '/api/reports/categories/:categoryId',
    {
      schema: { tags: ['reports'], summary: '通報のないカテゴリを削除', params: categoryParams },
      config: manage('report.category.delete'),
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.categoryId };
      await deleteCategory(deps, request.params.categoryId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/reports/assignees',
    {
      schema: { tags: ['reports'], summary: '担当者にできるアカウント（通報を扱える人）' },
      config: { permission: 'reports.handle' },
    },
    async () => assignees(deps),
  );

  app.get(
    '/api/reports/boundary',
    {
      schema: { tags: ['reports'], summary: '市の区域（地図に描く GeoJSON の MultiPolygon）' },
      config: { permission: 'reports.handle' },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'private, max-age=3600').send(deps.boundary.outline),
  );

  app.get(
    '/api/reports',
    {
      schema: { tags: ['reports'], summary: '通報一覧（新しい順、絞り込み）', querystring: reportListQuery },
      config: handle('report.list.view'),
    },
    async (request) => {
      const page = await listReports(deps, request.query);
      request.auditTarget = { count: page.items.length, detail: { ...request.query } };
      return page;
    },
  );

  app.get(
    '/api/reports/:reportId',
    {
      schema: { tags: ['reports'], summary: '通報（写真・履歴・通知メール）', params: reportParams },
      config: handle('report.view'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.reportId };
      return getReport(deps, request.params.reportId);
    },
  );

  app.patch(
    '/api/reports/:reportId',
    {
      schema: {
        tags: ['reports'],
        summary: '対応状況・担当者を変更、メモを追加',
        params: reportParams,
        body: reportUpdateSchema,
      },
      config: handle('report.update'),
    },
    async (request) => {
      const { note, ...rest } = request.body;
      request.auditTarget = { id: request.params.reportId, detail: { ...rest, note: note !== undefined } };
      return updateReport(deps, request.params.reportId, request.body, request.staff?.accountId ?? null);
    },
  );

  app.post(
    '/api/reports/:reportId/mails/retry',
    {
      schema: { tags: ['reports'], summary: '送信できなかった通知メールを再送', params: reportParams },
      config: handle('report.mails.retry'),
    },
    async (request) => {
      request.auditTarget = { id: request.params.reportId };
      return retryMails(deps, request.params.reportId);
    },
  );

  app.get(
    '/api/reports/:reportId/photos/:photoId',
    {
      schema: { tags: ['reports'], summary: '通報の写真', params: photoParams },
      config: handle('report.photo.view'),
    },
    async (request, reply) => {
      request.auditTarget = { id: request.params.reportId, detail: { photoId: request.params.photoId } };
      const photo = await readPhoto(deps, request.params.reportId, request.params.photoId);
      return reply
        .header('content-type', photo.content_type)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(photo.bytes);
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/reports.${format}`,
      {
        schema: {
          tags: ['reports'],
          summary: format === 'csv' ? '通報の CSV（UTF-8 BOM 付き）' : '通報の Excel ファイル',
          querystring: reportListQuery.omit({ before: true, limit: true }),
        },
        config: handle('report.export'),
      },
      async (request, reply) => {
        const { header, pages } = await reportExport(deps, request.query);
        request.auditTarget = { detail: { format, ...request.query } };
        return sendTablePages(
          reply,
          format,
          { name: `reports-${tokyoDay(new Date())}`, sheet: '通報' },
          { header, pages },
        );
      },
    );
  }
}
