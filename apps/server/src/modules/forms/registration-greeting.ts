import type { messagingApi } from '@line/bot-sdk';
import { hasPublishedFollowScenario } from '../chatbot/chatbot.service.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import { findActiveRegistrationForm, isRegistered } from './forms.service.ts';

// G-02: the greeting on follow invites the new friend to register (受信設定), with a button that
// opens the registration page in LINE (LIFF). A friend who comes back and has registered before is
// offered to check their settings instead. Sent with the follow event's reply token (free of charge).
// When the channel has published a chatbot greeting scenario (follow trigger), that one answers.

/** The registration page as LINE opens it: the LIFF app with `page=register`. */
export const registrationLink = (liffId: string) => `https://liff.line.me/${liffId}?page=register`;

export const GREETING_TEXT =
  '友だち追加ありがとうございます。\nお住まいの地域や受け取りたい情報を登録すると、あなたに合ったお知らせだけをお届けします。';
export const WELCOME_BACK_TEXT = 'おかえりなさい。\n登録内容（受信設定）は、いつでも確認・変更できます。';

export function greetingMessage(liffId: string, registered: boolean): messagingApi.Message {
  return {
    type: 'template',
    altText: registered ? '登録内容（受信設定）の確認・変更' : '受信設定の登録のお願い',
    template: {
      type: 'buttons',
      text: registered ? WELCOME_BACK_TEXT : GREETING_TEXT,
      actions: [
        {
          type: 'uri',
          label: registered ? '登録内容を確認する' : '受信設定を登録する',
          uri: registrationLink(liffId),
        },
      ],
    },
  };
}

export function subscribeRegistrationGreeting(bus: LineEventBus): void {
  // Recorded in the outbox with the follow's reply token, inside the dispatch transaction: sent once,
  // after the commit (issue 8 §6), and LINE is never called while the friend's row is locked.
  bus.subscribe('follow', async (e, trx, effects) => {
    if (!e.event.replyToken || !e.userId) return;
    const liffId = e.channel.liffId;
    if (!liffId) return;
    const form = await findActiveRegistrationForm(trx, e.channelId);
    if (!form) return;
    // A published greeting scenario (B-02) answers the follow instead (it runs after this module).
    if (await hasPublishedFollowScenario(trx, e.channelId)) return;
    const registered = await isRegistered(trx, form.id, e.channelId, e.userId);
    await effects.reply(e, [greetingMessage(liffId, registered)]);
  });
}
