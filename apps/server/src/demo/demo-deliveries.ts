import type { Db } from '../db/database.ts';
import { findAccountByLoginId } from '../modules/accounts/accounts.repository.ts';
import type { ChannelsService } from '../modules/channels/channels.service.ts';
import type { DeliveryView } from '../modules/deliveries/deliveries.schema.ts';
import { createDeliveriesService, type StaffRef } from '../modules/deliveries/deliveries.service.ts';
import { getRegistrationForm } from '../modules/forms/forms.service.ts';
import type { SegmentTree } from '../modules/segments/segment.schema.ts';
import { createSegment, listSegments } from '../modules/segments/segments.service.ts';

// The demo city's segment delivery (G-04, G-07, G-10): one saved segment built on the demo
// registration form, one delivery already sent to it (created as the console does, sent by the real
// pipeline to the virtual friends in the LINE simulator), and one delivery scheduled for next Monday
// 09:00 (Asia/Tokyo). Safe to run again: what exists (by name / title) is left alone.

export const DEMO_SEGMENT_NAME = '子育て世帯（美浜区・稲毛区）';
export const DEMO_SENT_TITLE = '親子講座のご案内（美浜区・稲毛区）';
export const DEMO_SCHEDULED_TITLE = '防災訓練のお知らせ（予約）';

const SENT_TEXT =
  '🌱 子育て中のみなさまへ\n美浜区・稲毛区の子育て支援センターで「親子でふれあい講座」を開きます。\n' +
  '参加は無料です。申し込みはこちら: https://www.city.example.jp/kosodate/oyako-koza';
const SCHEDULED_TEXT =
  '【防災訓練のお知らせ】\n今週の土曜日 10時から、各区の小学校で防災訓練を行います。' +
  '持ち物と会場は https://www.city.example.jp/bousai/kunren をご覧ください。';

/** Next Monday 09:00 Asia/Tokyo after `now` (a Monday gives the Monday a week later). */
export function nextMondayNineJst(now: Date): Date {
  const tokyo = new Date(now.getTime() + 9 * 3600_000);
  const days = (8 - tokyo.getUTCDay()) % 7 || 7;
  return new Date(Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate() + days, 0, 0));
}

export interface DemoDeliveriesOptions {
  db: Db;
  channels: ChannelsService;
  channelId: string;
  /**
   * Asks this process's workers to run the delivery scheduler now; null when no worker runs here
   * (`madoguchi demo`): a running server's minute sweep sends the delivery instead.
   */
  runNow: (() => void) | null;
  /** Where the virtual friends tap the delivery's link (this server), and the simulator's /_sim API. */
  tap?: { serverUrl: string; simulatorUrl: string; lineChannelId: string } | undefined;
  now?: () => Date;
  /** How long to wait for the immediate delivery to be sent before tapping its link. */
  waitMs?: number;
}

/**
 * Creates the demo segment and deliveries that are missing and returns lines to print. With `runNow`
 * it waits for the immediate delivery to be sent and lets about half of its recipients tap its link
 * (a real click through the counted redirect), so the analytics have clicks.
 */
export async function seedDemoDeliveries(opts: DemoDeliveriesOptions): Promise<string[]> {
  const { db, channelId } = opts;
  const now = opts.now ?? (() => new Date());
  const form = await getRegistrationForm(db, channelId);
  const item = (key: string) => form.items.find((i) => i.key === key && !i.retired);
  const topics = item('topics');
  const area = item('area');
  const choice = (it: typeof topics, label: string) =>
    it?.choices.find((c) => c.label === label && !c.retired)?.id;
  const kosodate = choice(topics, '子育て');
  const bousai = choice(topics, '防災');
  const mihama = choice(area, '美浜区');
  const inage = choice(area, '稲毛区');
  if (!topics || !area || !kosodate || !bousai || !mihama || !inage) return [];

  const admin = await findAccountByLoginId(db, 'admin');
  if (!admin) return [];
  const staff: StaffRef = { accountId: admin.id, permissions: ['deliveries.create', 'deliveries.send'] };
  const lines: string[] = [];

  // 受け取りたい情報 に 子育て AND (区 美浜区 OR 区 稲毛区)
  let segment = (await listSegments(db, channelId)).find((s) => s.name === DEMO_SEGMENT_NAME);
  if (!segment) {
    const tree: SegmentTree = {
      type: 'and',
      children: [
        { type: 'choice', itemId: topics.id, choiceIds: [kosodate], match: 'any' },
        {
          type: 'or',
          children: [
            { type: 'choice', itemId: area.id, choiceIds: [mihama], match: 'any' },
            { type: 'choice', itemId: area.id, choiceIds: [inage], match: 'any' },
          ],
        },
      ],
    };
    segment = await createSegment(db, { channelId, name: DEMO_SEGMENT_NAME, tree }, admin.id);
    lines.push(`セグメント「${DEMO_SEGMENT_NAME}」を作りました`);
  }

  const service = createDeliveriesService({
    db,
    channels: opts.channels,
    runNow: opts.runNow ?? (() => {}),
    now,
  });
  const existing = (
    await db
      .selectFrom('deliveries')
      .select('title')
      .where('channel_id', '=', channelId)
      .where('is_test', '=', false)
      .where('title', 'in', [DEMO_SENT_TITLE, DEMO_SCHEDULED_TITLE])
      .execute()
  ).map((d) => d.title);

  if (!existing.includes(DEMO_SENT_TITLE)) {
    const sent = await service.create(
      {
        channelId,
        title: DEMO_SENT_TITLE,
        messages: [{ type: 'text', text: SENT_TEXT }],
        audience: { kind: 'segment', segmentId: segment.id },
        schedule: { mode: 'now' },
      },
      staff,
    );
    if (opts.runNow) {
      const done = await waitUntilFinished(() => service.get(sent.id), opts.waitMs ?? 75_000);
      if (done?.status === 'sent') {
        const taps = opts.tap ? await tapLinks(db, sent.id, opts.tap) : 0;
        lines.push(
          `配信「${DEMO_SENT_TITLE}」を ${done.sent} 人に送りました` +
            (taps > 0 ? `（${taps} 人がリンクをタップ）` : ''),
        );
      } else lines.push(`配信「${DEMO_SENT_TITLE}」を送信中です`);
    } else
      lines.push(`配信「${DEMO_SENT_TITLE}」を作りました（サーバーが動いていれば 1 分以内に送られます）`);
  }

  if (!existing.includes(DEMO_SCHEDULED_TITLE)) {
    const at = nextMondayNineJst(now());
    await service.create(
      {
        channelId,
        title: DEMO_SCHEDULED_TITLE,
        messages: [{ type: 'text', text: SCHEDULED_TEXT }],
        audience: {
          kind: 'tree',
          tree: { type: 'choice', itemId: topics.id, choiceIds: [bousai], match: 'any' },
        },
        schedule: { mode: 'at', at: at.toISOString() },
      },
      staff,
    );
    const day = new Date(at.getTime() + 9 * 3600_000);
    lines.push(
      `配信「${DEMO_SCHEDULED_TITLE}」を ${day.getUTCMonth() + 1}月${day.getUTCDate()}日（月）9:00 に予約しました`,
    );
  }
  return lines;
}

async function waitUntilFinished(
  read: () => Promise<DeliveryView>,
  timeoutMs: number,
): Promise<DeliveryView | null> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await read();
    if (d.status === 'sent' || d.status === 'failed' || d.status === 'cancelled') return d;
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Every other recipient opens the delivery in the virtual phone's inbox and taps its link: a GET of
 * the counted redirect, as the phone's browser would do (the redirect is not followed).
 */
async function tapLinks(
  db: Db,
  deliveryId: string,
  tap: { serverUrl: string; simulatorUrl: string; lineChannelId: string },
): Promise<number> {
  const batches = await db
    .selectFrom('delivery_batches')
    .select('user_ids')
    .where('delivery_id', '=', deliveryId)
    .where('status', '=', 'sent')
    .orderBy('batch_no')
    .execute();
  const recipients = batches.flatMap((b) => b.user_ids).filter((_, i) => i % 2 === 0);
  let taps = 0;
  for (const userId of recipients) {
    try {
      const inbox = await fetch(
        new URL(
          `/_sim/users/${encodeURIComponent(userId)}/inbox?channelId=${tap.lineChannelId}`,
          tap.simulatorUrl,
        ),
      );
      if (!inbox.ok) continue;
      const { messages } = (await inbox.json()) as { messages: { message: { text?: string } }[] };
      const link = messages
        .map((m) => m.message.text?.match(/https?:\/\/\S+?\/r\/[A-Za-z0-9_-]+/)?.[0])
        .findLast((l) => l !== undefined);
      if (!link) continue;
      // The link names this server's public URL; the seed reaches the same server directly.
      const redirect = await fetch(new URL(new URL(link).pathname, tap.serverUrl), { redirect: 'manual' });
      await redirect.body?.cancel();
      if (redirect.status === 302) taps++;
    } catch {
      // A demo nicety only: no click is fine.
    }
  }
  return taps;
}
