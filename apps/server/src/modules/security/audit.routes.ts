import { AUDIT_ACTION_LABELS } from '@madoguchi/contracts/audit-labels.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { periodEnd } from '../../platform/http/period.ts';
import { auditLogCsv, auditRowView, listAuditRows, targetNames } from './audit-log.service.ts';

const dateParam = periodEnd.optional();

const auditQuery = z.object({
  from: dateParam,
  to: dateParam,
  accountId: z.uuid().optional(),
  loginId: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  result: z.enum(['success', 'failure']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^\d+$/).optional(),
});

export function registerAuditRoutes(app: Api, db: Db): void {
  app.get(
    '/api/audit',
    {
      schema: { tags: ['audit'], summary: '操作ログ', querystring: auditQuery },
      config: { permission: 'audit.view' },
    },
    async (request) => {
      const q = request.query;
      const rows = await listAuditRows(db, { ...q, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const names = await targetNames(db, page);
      const items = page.map((r) => auditRowView(r, names));
      return { items, nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get(
    '/api/audit/actions',
    {
      schema: { tags: ['audit'], summary: '操作ログの操作の一覧（絞り込み用、日本語名つき）' },
      config: { permission: 'audit.view' },
    },
    async () => ({
      items: Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => ({ code, ...label })),
    }),
  );

  app.get(
    '/api/audit.csv',
    {
      schema: {
        tags: ['audit'],
        summary: '操作ログ CSV（コードと日本語の両方）',
        querystring: auditQuery.omit({ limit: true, cursor: true }),
      },
      config: { permission: 'audit.view', audit: { action: 'audit.export', targetType: 'audit' } },
    },
    async (request, reply) => {
      const { csv, count } = await auditLogCsv(db, request.query);
      request.auditTarget = { count };
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log.csv"`)
        .send(csv);
    },
  );
}
