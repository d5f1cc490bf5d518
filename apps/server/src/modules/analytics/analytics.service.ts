import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { findDelivery } from '../deliveries/deliveries.service.ts';
import { describeLinks, type LinkKind } from '../deliveries/links.ts';
import { type DeliveryMessage, toLineMessages } from '../deliveries/messages.schema.ts';
import { friendsOverTime } from '../friends/friends.service.ts';
import {
  channelExists,
  clicksByDayHour,
  clicksPerLink,
  type DeliveryStatsRow,
  deliveriesStartedIn,
  deliveryStats,
  recipientsByChoice,
  registrationChoiceItem,
} from './analytics.repository.ts';
import { addDays, daysOf, MAX_PERIOD_DAYS, type Period, tokyo } from './analytics.schema.ts';

// Delivery analytics (G-10: per delivery date, time, title, recipients, successes, failures and
// link clicks; by attribute, by period and in total) and friends over time (O-08).
//
// Clicks are counted per link of a delivery only: every recipient gets the same redirect URL and a
// click stores nothing but its time, so clicks cannot be attributed to friends or to attributes.

export const CLICKS_NOTE =
  'クリック数はリンクごとの合計です。個人を特定する情報を URL に含めていないため、クリックした人や属性別のクリック数は集計できません。';

const STATUS_LABELS: Record<string, string> = {
  draft: '下書き',
  scheduled: '予約',
  sending: '配信中',
  sent: '配信済み',
  failed: '失敗',
  cancelled: '取り消し',
};

export interface Counts {
  deliveries: number;
  recipients: number;
  sent: number;
  failed: number;
  clicks: number;
}

const zero = (): Counts => ({ deliveries: 0, recipients: 0, sent: 0, failed: 0, clicks: 0 });

function add(into: Counts, d: DeliveryStatsRow) {
  into.deliveries += 1;
  into.recipients += d.recipients;
  into.sent += d.sent;
  into.failed += d.failed;
  into.clicks += d.clicks;
}

export function deliveryView(d: DeliveryStatsRow) {
  const at = d.startedAt ? tokyo(d.startedAt) : null;
  return {
    id: d.id,
    channelId: d.channelId,
    title: d.title,
    status: d.status,
    isTest: d.isTest,
    scheduledAt: d.scheduledAt?.toISOString() ?? null,
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    /** Day and time the sending started, Asia/Tokyo. */
    date: at?.date ?? null,
    time: at?.time ?? null,
    recipients: d.recipients,
    sent: d.sent,
    failed: d.failed,
    links: d.links,
    clickedLinks: d.clickedLinks,
    clicks: d.clicks,
  };
}

async function requireChannel(db: Db, channelId: string) {
  if (!(await channelExists(db, channelId))) throw notFound('チャネル');
}

/** Deliveries started in the period: one row each, totals, and counts per day and month. */
export async function deliveriesReport(
  db: Db,
  q: { channelId: string; period: Period; includeTest: boolean },
) {
  await requireChannel(db, q.channelId);
  const rows = await deliveriesStartedIn(db, {
    channelId: q.channelId,
    from: q.period.from,
    to: q.period.to,
    includeTest: q.includeTest,
  });
  const totals = zero();
  const byDay = new Map(daysOf(q.period).map((d) => [d, zero()]));
  const byMonth = new Map<string, Counts>();
  for (const day of byDay.keys()) if (!byMonth.has(day.slice(0, 7))) byMonth.set(day.slice(0, 7), zero());
  for (const d of rows) {
    add(totals, d);
    const day = d.startedAt ? tokyo(d.startedAt).date : null;
    if (!day) continue;
    const perDay = byDay.get(day);
    if (perDay) add(perDay, d);
    const perMonth = byMonth.get(day.slice(0, 7));
    if (perMonth) add(perMonth, d);
  }
  return {
    channelId: q.channelId,
    from: q.period.fromDay,
    to: q.period.toDay,
    deliveries: rows.map(deliveryView),
    totals,
    byDay: [...byDay].map(([date, c]) => ({ date, ...c })),
    byMonth: [...byMonth].map(([month, c]) => ({ month, ...c })),
    note: CLICKS_NOTE,
  };
}

const LINK_KIND_LABELS: Record<LinkKind, string> = {
  text: '本文のリンク',
  button: 'カードのボタン',
  imagemap: '画像のタップ領域',
  action: 'タップできる部分',
};

/** 「メッセージ1 本文のリンク」: where a counted link sits, for people (null when unknown). */
export const linkPlace = (message: number | null, kind: LinkKind | null) =>
  message === null || kind === null ? null : `メッセージ${message + 1} ${LINK_KIND_LABELS[kind]}`;

/**
 * Clicks per link position with the place of each link (issue 9): the same URL as a text link and
 * as a card button are two positions, counted apart. The places are found again from the stored
 * messages with the walk rewriteLinks numbered them by.
 */
async function linksWithPlaces(db: Db, id: string, publicUrl: string) {
  const [links, row] = await Promise.all([clicksPerLink(db, id), findDelivery(db, id)]);
  let places = new Map<number, { message: number; kind: LinkKind }>();
  try {
    const line = toLineMessages((row?.messages ?? []) as DeliveryMessage[], publicUrl);
    places = new Map(describeLinks(line, publicUrl).map((p) => [p.position, p]));
  } catch {
    // Messages of an older shape: the links keep their numbers only.
  }
  return links.map((l) => {
    const place = places.get(l.position);
    const message = place?.message ?? null;
    const kind = place?.kind ?? null;
    return { ...l, message, kind, place: linkPlace(message, kind) };
  });
}

/** One delivery: its counts, clicks per link, per day and per hour, and optionally by an item. */
export async function deliveryReport(db: Db, id: string, itemId: string | undefined, publicUrl: string) {
  const d = await deliveryStats(db, id);
  if (!d) throw notFound('配信');
  const [links, clickRows] = await Promise.all([linksWithPlaces(db, id, publicUrl), clicksByDayHour(db, id)]);

  // Every day from the start of the sending to the last click (at most a year), and every hour.
  const byDay = new Map<string, number>();
  const firstDay = d.startedAt ? tokyo(d.startedAt).date : clickRows[0]?.day;
  const lastDay = clickRows.at(-1)?.day;
  if (firstDay) {
    const end = lastDay && lastDay > firstDay ? lastDay : firstDay;
    const capped = end < addDays(firstDay, MAX_PERIOD_DAYS) ? end : addDays(firstDay, MAX_PERIOD_DAYS - 1);
    for (const day of daysOf({ fromDay: firstDay, toDay: capped })) byDay.set(day, 0);
  }
  const byHour = Array.from({ length: 24 }, () => 0);
  for (const r of clickRows) {
    byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.clicks);
    byHour[r.hour] = (byHour[r.hour] ?? 0) + r.clicks;
  }

  let breakdown: Awaited<ReturnType<typeof choiceBreakdown>> | null = null;
  if (itemId) breakdown = await choiceBreakdown(db, d, itemId);

  return {
    delivery: deliveryView(d),
    links,
    clicksByDay: [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, clicks]) => ({ date, clicks })),
    clicksByHour: byHour.map((clicks, hour) => ({ hour, clicks })),
    breakdown,
    note: CLICKS_NOTE,
  };
}

const CHOICE_TYPES = new Set(['single', 'multiple', 'select', 'area']);

async function choiceBreakdown(db: Db, d: DeliveryStatsRow, itemId: string) {
  const item = await registrationChoiceItem(db, d.channelId, itemId);
  if (!item || !CHOICE_TYPES.has(item.type)) {
    throw badRequest(
      'ANALYTICS_ITEM_INVALID',
      'この配信のチャネルの登録フォームにある選択式の項目を指定してください',
    );
  }
  const counts = await recipientsByChoice(db, {
    deliveryId: d.id,
    formId: item.form_id,
    choiceIds: item.choices.map((c) => c.id),
  });
  const byChoice = new Map(counts.map((c) => [c.choiceId, c]));
  const rows = item.choices.map((c) => {
    const n = byChoice.get(c.id);
    return {
      choiceId: c.id as string | null,
      label: c.label,
      parentId: c.parent_id,
      retired: c.retired_at !== null,
      recipients: n?.recipients ?? 0,
      sent: n?.sent ?? 0,
      failed: n?.failed ?? 0,
    };
  });
  const none = byChoice.get(null);
  rows.push({
    choiceId: null,
    label: '未回答',
    parentId: null,
    retired: false,
    recipients: none?.recipients ?? 0,
    sent: none?.sent ?? 0,
    failed: none?.failed ?? 0,
  });
  return {
    item: { id: item.id, label: item.label, type: item.type, retired: item.retired_at !== null },
    rows,
    note:
      item.type === 'multiple' || item.type === 'area'
        ? '複数の選択肢を選んだ友だちは、それぞれの選択肢に数えています（区と町丁はどちらにも数えます）。'
        : null,
  };
}

/** Follows, re-follows, blocks and friends at the end of each day of the period (O-08). */
export async function friendsReport(db: Db, q: { channelId: string; period: Period }) {
  await requireChannel(db, q.channelId);
  const { totals: now, series } = await friendsOverTime(db, q.channelId, daysOf(q.period));
  const followingNow = now.following;
  const totals = series.reduce(
    (t, r) => ({
      follows: t.follows + r.follows,
      refollows: t.refollows + r.refollows,
      blocks: t.blocks + r.blocks,
    }),
    { follows: 0, refollows: 0, blocks: 0 },
  );
  return { channelId: q.channelId, from: q.period.fromDay, to: q.period.toDay, followingNow, series, totals };
}

// --- Export tables (CSV / xlsx), Japanese headers ---

export function deliveriesTable(report: Awaited<ReturnType<typeof deliveriesReport>>) {
  const header = [
    '配信ID',
    'タイトル',
    '配信日',
    '配信時刻',
    '状態',
    'テスト配信',
    '配信対象者数',
    '配信成功数',
    '配信失敗数',
    'リンク数',
    'クリックされたリンク数',
    'リンククリック数',
  ];
  const rows = report.deliveries.map((d) => [
    d.id,
    d.title,
    d.date,
    d.time,
    STATUS_LABELS[d.status] ?? d.status,
    d.isTest ? 'はい' : 'いいえ',
    d.recipients,
    d.sent,
    d.failed,
    d.links,
    d.clickedLinks,
    d.clicks,
  ]);
  return { header, rows };
}

export function deliveryTable(report: Awaited<ReturnType<typeof deliveryReport>>) {
  const header = ['区分', '項目', '配信対象者数', '配信成功数', '配信失敗数', 'リンククリック数'];
  const d = report.delivery;
  const rows: (string | number | null)[][] = [
    [
      '配信',
      `${d.title}（${d.date ?? '未配信'} ${d.time ?? ''}）`.trim(),
      d.recipients,
      d.sent,
      d.failed,
      d.clicks,
    ],
  ];
  for (const l of report.links)
    rows.push([
      `リンク ${l.position + 1}${l.place ? `（${l.place}）` : ''}`,
      l.url,
      null,
      null,
      null,
      l.clicks,
    ]);
  for (const c of report.clicksByDay) rows.push(['日別クリック', c.date, null, null, null, c.clicks]);
  for (const c of report.clicksByHour) {
    rows.push(['時間帯別クリック', `${String(c.hour).padStart(2, '0')}時台`, null, null, null, c.clicks]);
  }
  if (report.breakdown) {
    const labels = new Map(report.breakdown.rows.map((r) => [r.choiceId, r.label]));
    for (const r of report.breakdown.rows) {
      const parent = r.parentId ? labels.get(r.parentId) : undefined;
      const label = `${parent ? `${parent} / ` : ''}${r.label}${r.retired ? '（廃止）' : ''}`;
      rows.push([`属性: ${report.breakdown.item.label}`, label, r.recipients, r.sent, r.failed, null]);
    }
  }
  return { header, rows };
}

export function friendsTable(report: Awaited<ReturnType<typeof friendsReport>>) {
  const header = ['日付', '友だち追加', '再追加（ブロック解除）', 'ブロック', '友だち数（日末）'];
  const rows = report.series.map((r) => [r.date, r.follows, r.refollows, r.blocks, r.friends]);
  return { header, rows };
}
