import type { messagingApi } from '@line/bot-sdk';
import {
  DISASTER_TYPE_LABELS,
  type DisasterType,
  SHELTER_STATUS_LABELS,
} from '@madoguchi/contracts/shelters.ts';
import { tokyoDateTime } from '../../platform/tokyo-time.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import { insideJapan } from './shelter-csv.ts';
import { formatDistance, mapUrlOf, type NearbyRow, nearestShelters } from './shelter-nearby.ts';

// Shelter search in LINE (X-03). The word 避難所 (or the rich menu's postback `action=shelters`) is
// answered with a quick reply whose button sends the phone's location; a location message is answered
// with the nearest open shelters (up to 5) as a Flex carousel: name, distance, status and the time it
// was set, the hazards the site is designated for, and a map link. Only in a 1:1 chat, through the
// outbox (effects.reply), inside the dispatch transaction. A location message some handler before
// this one answered already is left alone: the reports module (before shelters in app.ts) takes the
// location its report page asked for (reports/report-line-location.ts); every other location is the
// shelter search (the consultation door reads text and its own postbacks only).

export const SHELTER_KEYWORDS = ['避難所', '避難場所', '避難所を探す'];
export const SHELTER_POSTBACK = 'action=shelters';
export const SHELTER_ASK_TEXT =
  '現在地の近くで開設している避難所をお知らせします。下の「位置情報を送る」を押して、現在地を送ってください。';
export const NO_OPEN_SHELTER_TEXT =
  '現在、お近くで開設している避難所はありません。市の防災情報や防災無線などで最新の情報を確かめてください。';
const MAX_RESULTS = 5;

export function askLocationMessage(): messagingApi.Message {
  return {
    type: 'text',
    text: SHELTER_ASK_TEXT,
    quickReply: { items: [{ type: 'action', action: { type: 'location', label: '位置情報を送る' } }] },
  };
}

const hazardText = (types: readonly string[]) =>
  types.length
    ? types.map((t) => DISASTER_TYPE_LABELS[t as DisasterType]?.ja ?? t).join('・')
    : '（災害種別の指定なし）';

function bubble(r: NearbyRow): messagingApi.FlexBubble {
  const changed = r.status_changed_at
    ? `${tokyoDateTime(r.status_changed_at).slice(5, 16).replace('-', '/')} 更新`
    : '';
  const line = (label: string, value: string): messagingApi.FlexBox => ({
    type: 'box',
    layout: 'baseline',
    spacing: 'sm',
    contents: [
      { type: 'text', text: label, size: 'sm', color: '#595959', flex: 2 },
      { type: 'text', text: value || '-', size: 'sm', color: '#1a1a1a', flex: 5, wrap: true },
    ],
  });
  return {
    type: 'bubble',
    size: 'kilo',
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      contents: [
        { type: 'text', text: r.name.slice(0, 80), weight: 'bold', size: 'md', wrap: true },
        line('距離', `約 ${formatDistance(r.distanceMeters)}`),
        line('状況', `${SHELTER_STATUS_LABELS[r.status].ja}${changed ? `（${changed}）` : ''}`),
        line('災害', hazardText(r.disaster_types)),
        line('住所', r.address.slice(0, 100)),
      ],
    },
    footer: {
      type: 'box',
      layout: 'vertical',
      contents: [
        {
          type: 'button',
          style: 'primary',
          height: 'sm',
          action: { type: 'uri', label: '地図を開く', uri: mapUrlOf(r) },
        },
      ],
    },
  };
}

/** The reply to a location: a carousel of the nearest open shelters, or a text when none is open. */
export function nearbyMessages(rows: NearbyRow[]): messagingApi.Message[] {
  if (rows.length === 0) return [{ type: 'text', text: NO_OPEN_SHELTER_TEXT }];
  const names = rows.map((r, i) => `${i + 1}. ${r.name}（約 ${formatDistance(r.distanceMeters)}）`);
  return [
    {
      type: 'flex',
      altText: `近くの開設中の避難所: ${names.join(' / ')}`.slice(0, 400),
      contents: { type: 'carousel', contents: rows.map(bubble) },
    },
  ];
}

const isOneToOne = (e: StoredLineEvent) =>
  e.event.source?.type === 'user' && typeof e.event.source.userId === 'string';

export function subscribeShelterSearch(bus: LineEventBus): void {
  bus.subscribe('message', async (e, trx, effects) => {
    if (!e.event.replyToken || !isOneToOne(e) || effects.replied(e)) return;
    const m = e.event.message as
      | { type?: string; text?: string; latitude?: unknown; longitude?: unknown }
      | undefined;
    if (m?.type === 'text' && SHELTER_KEYWORDS.includes(m.text?.trim() ?? '')) {
      await effects.reply(e, [askLocationMessage()]);
      return;
    }
    if (m?.type !== 'location') return;
    const lat = Number(m.latitude);
    const lon = Number(m.longitude);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || !insideJapan(lat, lon)) {
      await effects.reply(e, [
        { type: 'text', text: '日本国内の位置ではないため、避難所を探せませんでした。' },
      ]);
      return;
    }
    const rows = await nearestShelters(trx, { lat, lon, statuses: ['open'], limit: MAX_RESULTS });
    await effects.reply(e, nearbyMessages(rows));
  });
  bus.subscribe('postback', async (e, _trx, effects) => {
    if (!e.event.replyToken || !isOneToOne(e)) return;
    const data = (e.event.postback as { data?: string } | undefined)?.data ?? '';
    if (new URLSearchParams(data).get('action') !== 'shelters') return;
    await effects.reply(e, [askLocationMessage()]);
  });
}
