import type { DisasterModeView } from '@madoguchi/contracts/disaster.ts';
import type { Db } from '../../db/database.ts';
import { accountDisplayNames } from '../accounts/accounts.service.ts';
import type { RichMenusService } from '../richmenus/richmenus.service.ts';
import { listAuditRows } from '../security/audit-log.service.ts';

// Whether disaster mode is on for a channel, read through the rich menu module's service:
// the channel's `kind=disaster` tab group with a live `disaster` publication. Who switched it on
// comes from the audit log (the switch is audited as richmenu.disaster-switch with the publication).

const LIVE = ['linking', 'active', 'ending'];

export interface LiveDisaster {
  groupId: string;
  groupName: string;
  publicationId: string;
  status: string;
  error: string | null;
  since: Date;
}

/** The channel's live disaster publication, or null (平常). */
export async function liveDisaster(menus: RichMenusService, channelId: string): Promise<LiveDisaster | null> {
  const groups = (await menus.list(channelId)).filter((g) => g.kind === 'disaster' && g.published);
  for (const g of groups) {
    const view = await menus.view(g.id);
    const p = view.publications.find((x) => x.target === 'disaster' && LIVE.includes(x.status));
    if (p) {
      return {
        groupId: g.id,
        groupName: g.name,
        publicationId: p.id,
        status: p.status,
        error: p.error,
        since: p.createdAt,
      };
    }
  }
  return null;
}

/** Disaster mode as the dashboard banner and the disaster page show it. */
export async function disasterModeView(
  db: Db,
  menus: RichMenusService,
  channelId: string,
): Promise<DisasterModeView<Date>> {
  const live = await liveDisaster(menus, channelId);
  if (!live) return { active: false };
  // The switch's audit row names the publication it made (richmenus.routes.ts: detail.publicationId).
  const rows = await listAuditRows(db, {
    action: 'richmenu.disaster-switch',
    result: 'success',
    from: new Date(live.since.getTime() - 60_000).toISOString(),
    limit: 100,
  });
  const row = rows.find((r) => r.detail?.publicationId === live.publicationId && r.account_id);
  const names = row?.account_id ? await accountDisplayNames(db, [row.account_id]) : new Map();
  return {
    active: true,
    ...live,
    byName: (row?.account_id && names.get(row.account_id)) || null,
  };
}
