import { auditActionLabel, auditResultLabel, auditTargetLabel } from '@madoguchi/contracts/audit-labels.ts';
import type { Db } from '../../db/database.ts';
import { listAudit } from '../../platform/audit/audit.repository.ts';
import { toCsv } from '../../platform/http/csv.ts';
import { periodBound } from '../../platform/http/period.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import { accountNames } from '../accounts/accounts.service.ts';
import { roleNames } from '../accounts/roles.service.ts';
import { channelNames } from '../channels/channels.service.ts';
import { deskNames } from '../consultation/desks.service.ts';
import { deliveryTitles } from '../deliveries/deliveries.service.ts';
import { formTitles } from '../forms/forms.service.ts';
import { mediaNames } from '../media/media.service.ts';
import { segmentNames } from '../segments/segments.service.ts';

// The audit log as staff read it (S-04): rows by filter, and the names of their targets.

export interface AuditFilter {
  /** YYYY-MM-DD (a day in Asia/Tokyo) or an ISO date-time. */
  from?: string | undefined;
  /** Inclusive of that day when a date. */
  to?: string | undefined;
  accountId?: string | undefined;
  loginId?: string | undefined;
  action?: string | undefined;
  result?: 'success' | 'failure' | undefined;
  /** Rows older than this ID (the next page). */
  cursor?: string | undefined;
  limit: number;
}

/** The log rows matching the filter, newest first. */
export const listAuditRows = (db: Db, q: AuditFilter) =>
  listAudit(db, {
    from: periodBound(q.from, false),
    to: periodBound(q.to, true),
    accountId: q.accountId,
    loginId: q.loginId,
    action: q.action,
    result: q.result,
    beforeId: q.cursor,
    limit: q.limit,
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Lookup = (db: Db, ids: string[]) => Promise<{ id: string; name: string }[]>;

/** Each nameable target type, read through its owner's repository. */
const LOOKUPS: Record<string, Lookup> = {
  account: async (db, ids) =>
    (await accountNames(db, ids)).map((a) => ({ id: a.id, name: `${a.display_name}（${a.login_id}）` })),
  role: roleNames,
  channel: channelNames,
  segment: segmentNames,
  desk: deskNames,
  delivery: deliveryTitles,
  form: formTitles,
  media: mediaNames,
};

/**
 * The names of the rows' targets that staff know by name (accounts, roles, channels, deliveries,
 * segments, desks, forms, images). Consultations and friends are not named: the log is read by
 * administrators who need not see who consulted. Keyed by `${type}:${id}`.
 */
export async function targetNames(
  db: Db,
  rows: { target_type: string | null; target_id: string | null }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.target_type || !r.target_id || !UUID.test(r.target_id) || !LOOKUPS[r.target_type]) continue;
    const set = ids.get(r.target_type) ?? new Set<string>();
    set.add(r.target_id);
    ids.set(r.target_type, set);
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...ids].map(async ([type, set]) => {
      for (const x of await LOOKUPS[type]!(db, [...set])) names.set(`${type}:${x.id}`, x.name);
    }),
  );
  return names;
}

type Row = Awaited<ReturnType<typeof listAuditRows>>[number];

/** A log row as staff see it (the list and the CSV). */
export const auditRowView = (r: Row, names: Map<string, string>) => ({
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

/** The rows matching the filter as CSV (codes and plain words): the console's download and `madoguchi logs export`. */
export async function auditLogCsv(db: Db, q: Omit<AuditFilter, 'limit' | 'cursor'>) {
  const rows = await listAuditRows(db, { ...q, limit: 1_000_000 });
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
      const v = auditRowView(r, names);
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
  return { csv, count: rows.length };
}
