import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { listAudit } from '../../platform/audit/audit.repository.ts';
import type { Api } from '../../platform/http/api.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';

const dateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, '日付は YYYY-MM-DD で指定してください')
  .optional();

const auditQuery = z.object({
  from: dateParam,
  to: dateParam,
  accountId: z.uuid().optional(),
  action: z.string().trim().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^\d+$/).optional(),
});

/** A date-only value is a day in Asia/Tokyo; "to" is inclusive of that day. */
function toDate(v: string | undefined, endOfDay: boolean): Date | undefined {
  if (!v) return undefined;
  if (v.length === 10) {
    const d = new Date(`${v}T00:00:00+09:00`);
    if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
    return d;
  }
  return new Date(v);
}

const view = (r: Awaited<ReturnType<typeof listAudit>>[number]) => ({
  id: String(r.id),
  at: r.at,
  accountId: r.account_id,
  loginId: r.login_id,
  ip: r.ip,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
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
      const rows = await listAudit(db, {
        from: toDate(q.from, false),
        to: toDate(q.to, true),
        accountId: q.accountId,
        action: q.action,
        beforeId: q.cursor,
        limit: q.limit + 1,
      });
      const items = rows.slice(0, q.limit).map(view);
      return { items, nextCursor: rows.length > q.limit ? items[items.length - 1]!.id : null };
    },
  );

  app.get(
    '/api/audit.csv',
    {
      schema: {
        tags: ['audit'],
        summary: '操作ログ CSV',
        querystring: auditQuery.omit({ limit: true, cursor: true }),
      },
      config: { permission: 'audit.view', audit: { action: 'audit.export', targetType: 'audit' } },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = await listAudit(db, {
        from: toDate(q.from, false),
        to: toDate(q.to, true),
        accountId: q.accountId,
        action: q.action,
        limit: 1_000_000,
      });
      request.auditTarget = { count: rows.length };
      const csv = toCsv(
        ['日時', 'アカウント', 'IPアドレス', '操作', '対象種別', '対象ID', '結果', '件数', 'ハッシュ'],
        rows.map((r) => [
          tokyoDateTime(r.at),
          r.login_id,
          r.ip,
          r.action,
          r.target_type,
          r.target_id,
          r.result === 'success' ? '成功' : '失敗',
          r.count,
          r.hash,
        ]),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log.csv"`)
        .send(csv);
    },
  );
}
