import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import { findTabRows, liveDisasterRow, menuShown, setUserMenus, tabOfAlias } from './richmenus.repository.ts';

// Tab switches as per-user menus. A richmenuswitch area makes LINE link the menu of the alias
// it names to the friend who tapped it — a per-user link, which outranks the default — and send a
// postback whose `params` are `{ newRichMenuAliasId, status }` (status `SUCCESS` when it linked;
// `RICHMENU_ALIAS_ID_NOTFOUND`, `RICHMENU_NOTFOUND` or `FAILED` when not). The postback handler
// (richmenu-taps.ts) calls this inside the dispatch transaction: one upsert, no LINE call. The
// disaster switch then knows who has which per-user menu without asking LINE per friend.

type Params = { newRichMenuAliasId?: string; status?: string } | undefined;

export async function recordTabSwitch(trx: Transaction<Database>, e: StoredLineEvent): Promise<void> {
  const params = (e.event.postback as { params?: Params } | undefined)?.params;
  const aliasId = params?.newRichMenuAliasId;
  if (!aliasId || params?.status !== 'SUCCESS' || !e.userId) return;
  const tab = await tabOfAlias(trx, e.channelId, aliasId);
  if (!tab?.line_rich_menu_id) return;
  let menu = tab.line_rich_menu_id;
  // While the disaster menu is shown the other groups' aliases point at its first menu.
  const live = await liveDisasterRow(trx, e.channelId);
  if (live && live.group_id !== tab.group_id && live.activated_at && e.occurredAt >= live.activated_at) {
    menu = (await findTabRows(trx, live.group_id))[0]?.line_rich_menu_id ?? menu;
  }
  // A tap handled while its group is being taken down or after: the batch unlink of the group's
  // menus that ends it removes (or has removed) that link on LINE, so there is nothing to record.
  if (!(await menuShown(trx, menu))) return;
  await setUserMenus(trx, e.channelId, [e.userId], menu, 'switch', e.occurredAt);
}
