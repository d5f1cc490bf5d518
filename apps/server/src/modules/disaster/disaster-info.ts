import type { messagingApi } from '@line/bot-sdk';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isOneToOneChat } from '../consultation/line-door.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import type { LineEffects, LineEventBus, LineEventHandler } from '../line-events/line-event-bus.ts';

// 防災情報 from the rich menu (a postback) or typed as a message (issue 9, X-02). In normal times it
// is answered with a fixed notice (no evacuation information in force); while disaster mode is on
// with a notice saying so and the first question of the evacuation guidance (the chatbot's
// scenario `evacuation`, which keeps the friend's place from there). Answered only
// in a 1:1 chat, recorded in the outbox with the event's reply token (sent once, after the commit).

export const DISASTER_INFO_KEYWORD = '防災情報';
/** The postback data of the rich menu's 防災情報 area. */
export const DISASTER_INFO_POSTBACK = 'action=disaster-info';

export function disasterInfoText(pageUrl?: string): string {
  const text = '防災情報：現在、発令中の避難情報はありません。災害時はこのメニューから避難所をご案内します。';
  return pageUrl ? `${text}\n市の防災情報ページ：${pageUrl}` : text;
}

/** 防災情報 while disaster mode is on. */
export function disasterModeText(pageUrl?: string): string {
  const text =
    '防災情報：現在、市は災害対応中です（災害モード）。身の安全を第一にしてください。これから避難のご案内をします。';
  return pageUrl ? `${text}\n市の防災情報ページ：${pageUrl}` : text;
}

/**
 * Whether disaster mode is on for the event's channel (the rich menu module's state), read with the
 * handler's dispatch transaction (modules/README.md: handlers use the `trx` they are given).
 */
export type DisasterModeOn = (trx: Transaction<Database>, channelId: string) => Promise<boolean>;

/** Starts the evacuation guidance with `prefix` first (the chatbot's); answers whether it replied. */
export type StartGuide = (
  trx: Transaction<Database>,
  e: StoredLineEvent,
  effects: LineEffects,
  prefix: messagingApi.Message[],
) => Promise<boolean>;

export function subscribeDisasterInfo(
  bus: LineEventBus,
  opts: { pageUrl?: string; modeOn: DisasterModeOn; startGuide: StartGuide },
): void {
  const normal: messagingApi.Message = { type: 'text', text: disasterInfoText(opts.pageUrl) };
  const onMode: messagingApi.Message = { type: 'text', text: disasterModeText(opts.pageUrl) };
  const asked = (e: StoredLineEvent): boolean => {
    if (e.event.type === 'postback') {
      const data = (e.event.postback as { data?: string } | undefined)?.data ?? '';
      return new URLSearchParams(data).get('action') === 'disaster-info';
    }
    const m = e.event.message as { type?: string; text?: string } | undefined;
    return m?.type === 'text' && m.text?.trim() === DISASTER_INFO_KEYWORD;
  };
  const answer: LineEventHandler = async (e, trx, effects) => {
    if (!e.event.replyToken || !isOneToOneChat(e) || !asked(e)) return;
    if (!(await opts.modeOn(trx, e.channelId))) {
      await effects.reply(e, [normal]);
      return;
    }
    if (!(await opts.startGuide(trx, e, effects, [onMode]))) await effects.reply(e, [onMode]);
  };
  bus.subscribe('message', answer);
  bus.subscribe('postback', answer);
}
