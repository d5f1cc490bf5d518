import type { Db } from '../../db/database.ts';
import { tokyoDay } from '../../platform/tokyo-time.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import { areaIdOfPostback } from './line-requests.ts';
import { addTap, findAreaWithChannel } from './richmenus.repository.ts';
import { recordTabSwitch } from './tab-switches.ts';

// Tap counts per area and day (O-08). Postback, switchTab and scenario areas carry `rm=<area id>` in
// their data: the postback handler counts them inside the dispatch transaction (no LINE call). It
// only counts; the same postback still reaches disaster and consultation, which read their own keys.
// uri areas are counted by the /rm/<area id> redirect (richmenus.routes.ts). A tab switch's postback
// also records the menu LINE linked to the friend (tab-switches.ts, X-01). Each tap row names the
// group, tab and area position and label too, so an edit (which replaces the areas) keeps the counts.
// In the dispatch, a batch's taps of an area and day are added once, at the end of the batch.

export function subscribeTapCounts(bus: LineEventBus): void {
  bus.subscribe('postback', async (e, trx, effects) => {
    await recordTabSwitch(trx, e);
    const data = (e.event.postback as { data?: string } | undefined)?.data ?? '';
    const areaId = areaIdOfPostback(data);
    if (!areaId) return;
    const area = await findAreaWithChannel(trx, areaId);
    if (!area || area.channel_id !== e.channelId) return;
    // One row per area and day that every dispatch batch with a tap of it updates: added up over the
    // batch and written at its end, in key order (no deadlock between batches side by side).
    const day = tokyoDay(e.occurredAt);
    effects.tally(`richmenus.tap:${area.id}:${day}`, 1, async (t, n) => {
      await addTap(t, area, day, n);
    });
  });
}

/** The target of a uri area (counted), or null when the area is unknown or not a web link. */
export async function countUriTap(db: Db, areaId: string): Promise<string | null> {
  const area = await findAreaWithChannel(db, areaId);
  const action = area?.action as { type?: string; uri?: string } | undefined;
  if (!area || action?.type !== 'uri' || !action.uri || !/^https?:\/\//i.test(action.uri)) return null;
  await addTap(db, area, tokyoDay(new Date()));
  return action.uri;
}
