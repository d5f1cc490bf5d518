import type { Db } from '../../db/database.ts';
import { listAudit } from '../../platform/audit/audit.repository.ts';
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

/** The log rows matching the filter, newest first. */
export const listAuditRows = (db: Db, q: AuditFilter) =>
  listAudit(db, {
    from: toDate(q.from, false),
    to: toDate(q.to, true),
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
