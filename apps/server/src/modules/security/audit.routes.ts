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
type AuditQuery = z.infer<typeof auditQuery>;

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

const escapeLike = (v: string) => v.replace(/[%_\\]/g, '\\$&');

function listRows(db: Db, q: Omit<AuditQuery, 'limit'> & { limit: number }) {
  const from = toDate(q.from, false);
  const to = toDate(q.to, true);
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (from) query = query.where('at', '>=', from);
  if (to) query = query.where('at', '<', to);
  if (q.accountId) query = query.where('account_id', '=', q.accountId);
  if (q.loginId) query = query.where('login_id', '=', q.loginId);
  // A code from the select matches itself; a typed prefix ("form.") still matches its family.
  if (q.action) query = query.where('action', 'like', `${escapeLike(q.action)}%`);
  if (q.result) query = query.where('result', '=', q.result);
  if (q.cursor) query = query.where('id', '<', q.cursor);
  return query.execute();
}
type Row = Awaited<ReturnType<typeof listRows>>[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The names of the rows' targets that staff know by name (accounts, roles, channels, deliveries,
 * segments, desks, forms, images). Consultations and friends are not named: the log is read by
 * administrators who need not see who consulted. Keyed by `${type}:${id}`.
 */
async function targetNames(db: Db, rows: Row[]): Promise<Map<string, string>> {
  const ids = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.target_type || !r.target_id || !UUID.test(r.target_id)) continue;
    const set = ids.get(r.target_type) ?? new Set<string>();
    set.add(r.target_id);
    ids.set(r.target_type, set);
  }
  const names = new Map<string, string>();
  const put = (type: string, list: { id: string; name: string }[]) => {
    for (const x of list) names.set(`${type}:${x.id}`, x.name);
  };
  const of = (type: string) => [...(ids.get(type) ?? [])];
  const jobs: Promise<void>[] = [];
  const load = (type: string, run: (list: string[]) => Promise<{ id: string; name: string }[]>) => {
    const list = of(type);
    if (list.length) jobs.push(run(list).then((found) => put(type, found)));
  };
  load('account', (list) =>
    db
      .selectFrom('staff_accounts')
      .select(['id', 'display_name', 'login_id'])
      .where('id', 'in', list)
      .execute()
      .then((r) => r.map((a) => ({ id: a.id, name: `${a.display_name}（${a.login_id}）` }))),
  );
  load('role', (list) => db.selectFrom('roles').select(['id', 'name']).where('id', 'in', list).execute());
  load('channel', (list) =>
    db.selectFrom('channels').select(['id', 'name']).where('id', 'in', list).execute(),
  );
  load('segment', (list) =>
    db.selectFrom('segments').select(['id', 'name']).where('id', 'in', list).execute(),
  );
  load('desk', (list) => db.selectFrom('desks').select(['id', 'name']).where('id', 'in', list).execute());
  load('delivery', (list) =>
    db.selectFrom('deliveries').select(['id', 'title as name']).where('id', 'in', list).execute(),
  );
  load('form', (list) =>
    db.selectFrom('forms').select(['id', 'title as name']).where('id', 'in', list).execute(),
  );
  load('media', (list) =>
    db.selectFrom('media').select(['id', 'original_name as name']).where('id', 'in', list).execute(),
  );
  await Promise.all(jobs);
  return names;
}

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
      const rows = await listRows(db, { ...q, limit: q.limit + 1 });
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
      const rows = await listRows(db, { ...request.query, limit: 1_000_000 });
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
