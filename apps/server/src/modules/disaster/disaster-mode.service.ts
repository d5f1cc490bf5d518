import type { DisasterModeView } from '@madoguchi/contracts/disaster.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { accountDisplayNames } from '../accounts/accounts.service.ts';
import { disasterModeInBatch, disasterModeOf } from '../richmenus/richmenus.service.ts';
import { listAuditRows } from '../security/audit-log.service.ts';

// Whether disaster mode is on for a channel, read through the rich menu module's service
// (`disasterModeOf`: the channel's live `disaster` publication and its group, one query on the
// executor given — a LINE event handler passes its dispatch transaction). Who switched it on comes
// from the audit log (the switch is audited as richmenu.disaster-switch with the publication).

/** Whether disaster mode is on, read in the caller's transaction once per batch (LINE event handlers). */
export const disasterModeOn = async (trx: Transaction<Database>, channelId: string): Promise<boolean> =>
  (await disasterModeInBatch(trx, channelId)) !== null;

/** Disaster mode as the dashboard banner and the disaster page show it. */
export async function disasterModeView(db: Db, channelId: string): Promise<DisasterModeView<Date>> {
  const mode = await disasterModeOf(db, channelId);
  if (!mode) return { active: false };
  const { groupId, groupName, publicationId, status, error, since, until } = mode;
  const live = { groupId, groupName, publicationId, status, error, since, until };
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
