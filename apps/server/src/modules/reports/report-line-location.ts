import type { messagingApi } from '@line/bot-sdk';
import { REPORT_LINE_LOCATION, type ReportLineLocation } from '@madoguchi/contracts/reports.ts';
import { displayText } from '@madoguchi/contracts/text.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { conflict } from '../../platform/errors.ts';
import { isOneToOneChat } from '../consultation/line-door.ts';
import { findFriendByLineUser } from '../friends/friends.service.ts';
import { createLineEffects, type LineEventBus, waitForEarlierEvents } from '../line-events/line-event-bus.ts';
import type { CityBoundary } from './city-boundary.ts';
import {
  findLocationRequest,
  lockOpenLocationRequest,
  openLocationRequest,
  storeLocationPoint,
} from './report-location.repository.ts';
import { type Citizen, type ReportDeps, requireFriend } from './reports.service.ts';

// The report's place as a LINE location message (R-01: "LINE location message, or the phone's
// geolocation on a map, editable"). The report page asks for it: the request is stored (open for
// 15 minutes, one per friend) and a push with a quick reply `location` is recorded in the outbox in
// the same transaction. The friend's next location message in the 1:1 chat while the request is open
// is this module's: a place outside the city is answered so and the request stays open; one inside
// is stored and answered with a link back to the report page, which reads it (and lets the friend
// correct it) before sending. The reports module handles `message` before shelters, which answers
// no event replied to already: without an open request, a location is the shelter search as before.

const MINUTE = 60_000;

export const LINE_LOCATION_ASK_TEXT = `通報する場所を送ってください。下の「位置情報を送る」を押して、地図で場所を選んで送信してください（${REPORT_LINE_LOCATION.openMinutes}分以内）。送ったら、通報の画面に戻ってください。`;
export const LINE_LOCATION_OUTSIDE_TEXT =
  '市外の位置です。通報は市内の場所だけ受け付けています。市内の場所を選んで、もう一度下の「位置情報を送る」から送ってください。';
export const lineLocationReceivedText = (address: string | null, link: string) =>
  `通報の場所を受け取りました${address ? `（${address}）` : ''}。通報の画面に戻り、場所を確かめてから「通報する」を押してください。\n${link}`;

/** A text with the quick reply that sends the phone's location (asking, and asking again). */
const withLocationButton = (text: string): messagingApi.Message => ({
  type: 'text',
  text,
  quickReply: { items: [{ type: 'action', action: { type: 'location', label: '位置情報を送る' } }] },
});

/** The report page in LINE (its LIFF URL, `page=report`), or on the web when the channel has no LIFF app. */
const reportPageUrl = (publicUrl: string, channelId: string, liffId: string | null) =>
  liffId
    ? `https://liff.line.me/${liffId}?page=report`
    : `${publicUrl}/citizen/reports?ch=${encodeURIComponent(channelId)}`;

/** Asks the friend for the place in the LINE talk (a new request replaces an earlier one). */
export async function askLineLocation(
  deps: ReportDeps,
  who: Citizen,
  now = new Date(),
): Promise<ReportLineLocation<Date>> {
  const friend = await requireFriend(deps, who);
  if (friend.status !== 'following')
    throw conflict('NOT_A_FRIEND', 'LINE 公式アカウントを友だち追加してから通報してください');
  const expiresAt = new Date(now.getTime() + REPORT_LINE_LOCATION.openMinutes * MINUTE);
  await deps.db.transaction().execute(async (trx) => {
    await openLocationRequest(trx, { friendId: friend.id, channelId: who.channelId, at: now, expiresAt });
    await createLineEffects(trx, deps.cipher).push(who.channelId, who.lineUserId, [
      withLocationButton(LINE_LOCATION_ASK_TEXT),
    ]);
  });
  deps.onOutbox();
  return { status: 'pending', expiresAt, point: null };
}

/** What became of the friend's request: waiting, the place received, expired, or none. */
export async function readLineLocation(
  deps: ReportDeps,
  who: Citizen,
  now = new Date(),
): Promise<ReportLineLocation<Date>> {
  const none: ReportLineLocation<Date> = { status: 'none', expiresAt: null, point: null };
  const friend = await findFriendByLineUser(deps.db, who.channelId, who.lineUserId);
  if (!friend) return none;
  const row = await findLocationRequest(deps.db, friend.id);
  if (!row) return none;
  if (row.received_at) {
    if (row.received_at.getTime() < now.getTime() - REPORT_LINE_LOCATION.keepMinutes * MINUTE) return none;
    return {
      status: 'received',
      expiresAt: null,
      point: {
        lat: Number(row.lat),
        lng: Number(row.lng),
        address: row.address_enc ? deps.cipher.decryptBytes(row.address_enc).toString('utf8') : null,
      },
    };
  }
  return { status: row.expires_at > now ? 'pending' : 'expired', expiresAt: row.expires_at, point: null };
}

const addressText = displayText(200);

export function subscribeReportLocation(
  bus: LineEventBus,
  deps: { cipher: Cipher; boundary: CityBoundary; publicUrl: string },
): void {
  bus.subscribe('message', async (e, trx, effects) => {
    const m = e.event.message as
      | { type?: string; latitude?: unknown; longitude?: unknown; address?: unknown }
      | undefined;
    if (m?.type !== 'location' || !e.event.replyToken || !isOneToOneChat(e) || effects.replied(e)) return;
    await waitForEarlierEvents(trx, e);
    const friend = await findFriendByLineUser(trx, e.channelId, e.event.source!.userId!);
    if (!friend) return;
    const now = new Date();
    const open = await lockOpenLocationRequest(trx, friend.id, now);
    if (!open) return; // not asked for a report: the shelter search answers
    const lat = Math.round(Number(m.latitude) * 1e6) / 1e6;
    const lng = Math.round(Number(m.longitude) * 1e6) / 1e6;
    const valid = Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
    if (!valid || !deps.boundary.contains(lat, lng)) {
      await effects.reply(e, [withLocationButton(LINE_LOCATION_OUTSIDE_TEXT)]);
      return;
    }
    const parsed = addressText.safeParse(m.address);
    const address = parsed.success ? parsed.data : null;
    await storeLocationPoint(trx, friend.id, {
      lat,
      lng,
      addressEnc: address ? deps.cipher.encryptBytes(Buffer.from(address, 'utf8')) : null,
      at: now,
    });
    const link = reportPageUrl(deps.publicUrl, e.channelId, e.channel.liffId);
    await effects.reply(e, [{ type: 'text', text: lineLocationReceivedText(address, link) }]);
  });
}
