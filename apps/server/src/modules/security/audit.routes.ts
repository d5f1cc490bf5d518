import {
  AUDIT_ACTION_LABELS,
  auditActionLabel,
  auditResultLabel,
  auditTargetLabel,
} from '@madoguchi/contracts/audit-labels.ts';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { listAuditRows, targetNames } from './audit-log.service.ts';

const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, '日付は YYYY-MM-DD で指定してください')
  .optional();

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

type Row = Awaited<ReturnType<typeof listAuditRows>>[number];

/** A log row as staff see it (the list and the CSV). */
const view = (r: Row, names: Map<string, string>) => ({
  id: String(r.id),
  at: r.at,
  accountId: r.account_id,
  loginId: r.login_id,
  ip: r.ip,
  action: r.action,
  actionLabel: auditActionLabel(r.action, 'ja'),
  targetType: r.target_type,
  targetId: r.target_id,
  targetName: r.target_type && r.target_id ? (names.get(`${r.target_type}:${r.target_id}`) ?? null) : null,
  result: r.result,
  count: r.count,
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
      const items = page.map((r) => view(r, names));
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
      const rows = await listAuditRows(db, { ...request.query, limit: 1_000_000 });
      request.auditTarget = { count: rows.length };
      const names = await targetNames(db, rows);
      const csv = toCsv(
        [
          '日時',
          'アカウント',
          'IPアドレス',
          '操作',
          '操作コード',
          '対象種別',
          '対象種別コード',
          '対象',
          '対象ID',
          '結果',
          '結果コード',
          '件数',
          'ハッシュ',
        ],
        rows.map((r) => {
          const v = view(r, names);
          return [
            tokyoDateTime(v.at),
            v.loginId,
            v.ip,
            v.actionLabel,
            v.action,
            auditTargetLabel(v.targetType, 'ja'),
            v.targetType,
            v.targetName,
            v.targetId,
            auditResultLabel(v.result, 'ja'),
            v.result,
            v.count,
            r.hash,
          ];
        }),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log.csv"`)
        .send(csv);
    },
  );
}
