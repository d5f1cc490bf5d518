import type { messagingApi } from '@line/bot-sdk';
import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import { createLineEffects, type LineEffects, type LineEventBus } from '../line-events/line-event-bus.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import { updateConsultationRow } from './consultations.repository.ts';
import type { DeskCache } from './desk-cache.ts';
import { listDeskRows } from './desks.repository.ts';

// LINE is only the door (C-01): a keyword or a postback ("consult=<desk slug>") is answered with a
// link to our own chat page, and a counselor's reply reaches LINE only as a fixed, content-free
// notice with that link. No consultation text is ever sent to LINE.

export const LINE_NOTICE_TEXT =
  '相談員から新しいメッセージがあります。\n下のリンクから相談画面を開いてください。';
const NOTICE_EVERY_MS = 10 * 60_000;

export function consultLink(liffId: string, slug: string) {
  return `https://liff.line.me/${liffId}?desk=${encodeURIComponent(slug)}`;
}

function doorMessage(deskName: string, link: string): messagingApi.Message {
  return {
    type: 'template',
    altText: `${deskName}の相談画面を開く`,
    template: {
      type: 'buttons',
      text: `${deskName}\n相談は専用の画面で行います（LINE のトークには残りません）。`.slice(0, 160),
      actions: [{ type: 'uri', label: '相談画面を開く', uri: link }],
    },
  };
}

/**
 * The door of one of the channel's desks (a link to our own chat page, never content, C-01), for a
 * scenario's "start a consultation" step; null when the desk is not the channel's or no LIFF app.
 */
export async function deskDoorMessage(
  db: Db,
  channelId: string,
  liffId: string | null,
  slug: string,
): Promise<messagingApi.Message | null> {
  if (!liffId) return null;
  const desk = (await listDeskRows(db)).find((d) => d.channel_id === channelId && d.slug === slug);
  return desk ? doorMessage(desk.name, consultLink(liffId, desk.slug)) : null;
}

/**
 * The consultation keywords and `consult=` postbacks. The desks come from the process's desk cache
 * (desk-cache.ts: reloaded on every node when a desk changes, and after a minute in any case), not
 * from a query per event.
 */
export function subscribeLineDoor(bus: LineEventBus, deskCache: DeskCache): void {
  // Recorded in the outbox with the event's reply token (issue 8 §6): sent once, after the commit.
  const answer = async (
    e: StoredLineEvent,
    effects: LineEffects,
    slugOrText: { slug?: string; text?: string },
  ) => {
    if (!e.event.replyToken || !isOneToOneChat(e)) return;
    const desks = (await deskCache.all()).filter((d) => d.channel_id === e.channelId);
    const desk = slugOrText.slug
      ? desks.find((d) => d.slug === slugOrText.slug)
      : desks.find((d) => d.keywords.some((k) => slugOrText.text?.includes(k)));
    if (!desk) return;
    if (!e.channel.liffId) return;
    await effects.reply(e, [doorMessage(desk.name, consultLink(e.channel.liffId, desk.slug))]);
  };
  bus.subscribe('message', async (e, _trx, effects) => {
    const message = e.event.message as { type?: string; text?: string } | undefined;
    if (message?.type === 'text' && message.text) await answer(e, effects, { text: message.text });
  });
  bus.subscribe('postback', async (e, _trx, effects) => {
    const data = (e.event.postback as { data?: string } | undefined)?.data ?? '';
    const slug = new URLSearchParams(data).get('consult');
    if (slug) await answer(e, effects, { slug });
  });
}

/**
 * The door opens only in a 1:1 chat with the account (C-01): a keyword said in a group or room chat
 * is not answered there, so the consultation link never lands in front of others.
 */
export function isOneToOneChat(e: StoredLineEvent): boolean {
  return e.event.source?.type === 'user' && typeof e.event.source.userId === 'string';
}

/**
 * The fixed notice for a LINE consultee who is away, at most once every 10 minutes per consultation.
 * Recorded in the LINE outbox together with the time of the notice (one transaction), and sent by the
 * outbox sender with a stored retry key: the counselor's reply never waits for LINE, and a notice that
 * was accepted is never lost.
 */
export function createLineNotifier(deps: {
  db: Db;
  cipher: Cipher;
  channels: ChannelsService;
  /** Wakes the outbox sender after the commit. */
  onOutbox: () => void;
}) {
  return async (c: ConsultationRow) => {
    if (c.origin !== 'line' || !c.line_user_id || !c.consultee_channel_id) return;
    if (c.line_notified_at && Date.now() - c.line_notified_at.getTime() < NOTICE_EVERY_MS) return;
    const channel = await deps.channels.secrets(c.consultee_channel_id);
    if (!channel) return;
    const to = c.line_user_id;
    const link = channel.liffId ? `\n${consultLink(channel.liffId, c.desk_slug)}` : '';
    await deps.db.transaction().execute(async (trx) => {
      await createLineEffects(trx, deps.cipher).push(channel.id, to, [
        { type: 'text', text: `${LINE_NOTICE_TEXT}${link}` },
      ]);
      await updateConsultationRow(trx, c.id, { line_notified_at: new Date() });
    });
    deps.onOutbox();
  };
}
