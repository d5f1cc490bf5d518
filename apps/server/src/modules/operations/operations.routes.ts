import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { type Api, idParams } from '../../platform/http/api.ts';
import { periodRange, periodSchema } from '../../platform/http/period.ts';
import { accessLogCsv } from './access-log.service.ts';
import { changes, changesCsv } from './changes.service.ts';
import {
  cancelWindow,
  listWindows,
  type MaintenanceState,
  noticeOf,
  scheduledWindowSchema,
  scheduleWindow,
} from './maintenance.service.ts';

const csvReply = (name: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${name}"`,
});

export function registerOperationsRoutes(app: Api, deps: { db: Db; state: MaintenanceState }): void {
  const { db, state } = deps;

  // The notice the console's login page and the citizen pages show (C-15, O-04): public, no personal data.
  app.get(
    '/api/public/maintenance',
    {
      schema: { tags: ['maintenance'], summary: 'メンテナンスのお知らせ（実施中と 7 日以内の予定）' },
      config: { staff: false },
    },
    async (_request, reply) => {
      const { active, upcoming } = await state.notice();
      const view = (w: NonNullable<typeof active>) => ({
        startsAt: w.starts_at.toISOString(),
        endsAt: w.ends_at?.toISOString() ?? null,
        messageJa: w.message_ja,
        messageEn: w.message_en,
        notice: noticeOf(w),
      });
      reply.header('cache-control', 'no-store');
      return { active: active ? view(active) : null, upcoming: upcoming.map(view) };
    },
  );

  app.get(
    '/api/maintenance',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'メンテナンスの予定（実施中・予定・30 日以内に終わったもの）',
      },
      config: { permission: 'operations.manage' },
    },
    async () => ({ items: await listWindows(db) }),
  );

  app.post(
    '/api/maintenance',
    {
      schema: { tags: ['maintenance'], summary: 'メンテナンスを予定する', body: scheduledWindowSchema },
      config: {
        permission: 'operations.manage',
        audit: { action: 'maintenance.schedule', targetType: 'maintenance-window' },
      },
    },
    async (request, reply) => {
      const w = await scheduleWindow(db, request.body, request.staff!.loginId);
      request.auditTarget = { id: w.id, detail: { startsAt: w.startsAt, endsAt: w.endsAt } };
      return reply.status(201).send(w);
    },
  );

  app.post(
    '/api/maintenance/:id/cancel',
    {
      schema: {
        tags: ['maintenance'],
        summary: 'メンテナンスの予定を取り消す（実施中なら今終える）',
        params: idParams,
      },
      config: {
        permission: 'operations.manage',
        audit: { action: 'maintenance.cancel', targetType: 'maintenance-window' },
      },
    },
    async (request) => cancelWindow(db, request.params.id, request.staff!.loginId),
  );

  app.get(
    '/api/changes',
    {
      schema: {
        tags: ['operations'],
        summary: '変更履歴（起動ごとの構成の変化と運用作業）',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      },
      config: { permission: 'operations.manage' },
    },
    async (request) => ({ items: await changes(db, request.query.limit) }),
  );

  app.get(
    '/api/changes.csv',
    {
      schema: { tags: ['operations'], summary: '変更履歴 CSV' },
      config: {
        permission: 'operations.manage',
        audit: { action: 'change.export', targetType: 'change-record' },
      },
    },
    async (request, reply) => {
      const { csv, count } = await changesCsv(db);
      request.auditTarget = { count };
      return reply.headers(csvReply('change-record.csv')).send(csv);
    },
  );

  app.get(
    '/api/access-log.csv',
    {
      schema: { tags: ['audit'], summary: 'アクセスログ CSV（期間を指定）', querystring: periodSchema },
      config: { permission: 'audit.view', audit: { action: 'access-log.export', targetType: 'access-log' } },
    },
    async (request, reply) => {
      const { from, to } = periodRange(request.query);
      const { csv, count } = await accessLogCsv(db, from, to);
      request.auditTarget = { count, detail: { from: request.query.from, to: request.query.to } };
      return reply.headers(csvReply('access-log.csv')).send(csv);
    },
  );
}
