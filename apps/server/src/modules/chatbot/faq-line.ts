import type { messagingApi } from '@line/bot-sdk';
import { FAQ_PARAM } from '@madoguchi/contracts/chatbot.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isUuid } from '../../platform/http/api.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import { type LineEffects, oncePerBatch } from '../line-events/line-event-bus.ts';
import { insertUnansweredRows, insertUseRows } from './faq.repository.ts';
import { faqDocOf, faqRevisionOf, matchFaq, unansweredText } from './faq.service.ts';
import type { FaqDoc } from './faq-search.ts';

// The FAQ in LINE (B-04), called by the chatbot's message handler (chatbot-line.ts) when no scenario
// took the text, inside the dispatch transaction, replies through the outbox. One confident answer
// names its row 「（FAQ No.12）」 and asks whether it helped (quick reply postbacks
// `faq=<id>&helpful=1|0`); else up to three questions as quick reply buttons (`faq=<id>`, which
// shows that answer); else nothing is replied, the question is counted in the unanswered list, and
// the chatbot runs its fallback.

export const FAQ_HELPFUL_THANKS = 'ご回答ありがとうございます。今後の案内の改善に役立てます。';
export const FAQ_NOT_HELPFUL_TEXT =
  'ご回答ありがとうございます。解決しない場合は、お手数ですが市役所の担当課へお問い合わせください。';
export const FAQ_SUGGEST_TEXT = 'お問い合わせに近い質問が見つかりました。当てはまるものを選んでください。';
export const FAQ_GONE_TEXT = 'この質問の回答は更新されました。お手数ですが、もう一度質問を送ってください。';

const LINE_TEXT_MAX = 5000;
const LABEL_MAX = 20;

const label = (text: string) => {
  const chars = [...text];
  return chars.length <= LABEL_MAX ? text : `${chars.slice(0, LABEL_MAX - 1).join('')}…`;
};

/** The answer of one row: text, link, its FAQ No., and the "did it help" buttons. */
export function faqAnswerMessage(doc: FaqDoc): messagingApi.TextMessage {
  const tail = `${doc.link ? `\n\n詳しくはこちら: ${doc.link}` : ''}\n\n（FAQ No.${doc.rowNo}）`;
  const room = LINE_TEXT_MAX - [...tail].length;
  const answer =
    [...doc.answer].length > room ? `${[...doc.answer].slice(0, room - 1).join('')}…` : doc.answer;
  const feedback = (helpful: 0 | 1, text: string): messagingApi.QuickReplyItem => ({
    type: 'action',
    action: {
      type: 'postback',
      label: text,
      data: `${FAQ_PARAM}=${doc.id}&helpful=${helpful}`,
      displayText: text,
    },
  });
  return {
    type: 'text',
    text: `${answer}${tail}`,
    quickReply: { items: [feedback(1, '役に立った'), feedback(0, '役に立たなかった')] },
  };
}

/** Up to three questions to choose from, as quick reply buttons. */
export function faqSuggestionsMessage(docs: FaqDoc[]): messagingApi.TextMessage {
  const lines = docs.map((d, i) => `${i + 1}. ${d.question}（FAQ No.${d.rowNo}）`);
  return {
    type: 'text',
    text: `${FAQ_SUGGEST_TEXT}\n\n${lines.join('\n')}`.slice(0, LINE_TEXT_MAX),
    quickReply: {
      items: docs.map((d, i) => ({
        type: 'action',
        action: {
          type: 'postback',
          label: label(`${i + 1}. ${d.question}`),
          data: `${FAQ_PARAM}=${d.id}`,
          displayText: [...d.question].slice(0, 300).join(''),
        },
      })),
    },
  };
}

// Counts (faq_uses, faq_unanswered_asks) are rows collected for one INSERT at the end of the dispatch
// batch (LineEffects.append); rows are read from the index of the batch's revision, not queried.
const countUse = (
  effects: LineEffects,
  channelId: string,
  entryId: string,
  kind: 'answered' | 'helpful' | 'not_helpful',
) => effects.append('faq.uses', [{ channel_id: channelId, entry_id: entryId, kind }], insertUseRows);

/** The FAQ revision of the channel, read once per dispatch batch (an import commits on its own). */
const revisionInBatch = (trx: Transaction<Database>, channelId: string) =>
  oncePerBatch(trx, `faq.revision:${channelId}`, () => faqRevisionOf(trx, channelId));

/** Answers `text` from the channel's FAQ; false (and the question counted as unanswered) when none. */
export async function answerFromFaq(
  trx: Transaction<Database>,
  e: StoredLineEvent,
  effects: LineEffects,
  text: string,
): Promise<boolean> {
  if (effects.replied(e)) return false;
  const r = await matchFaq(trx, e.channelId, text, await revisionInBatch(trx, e.channelId));
  if (r.kind === 'answer') {
    if (!(await effects.reply(e, [faqAnswerMessage(r.doc)]))) return false;
    await countUse(effects, e.channelId, r.doc.id, 'answered');
    return true;
  }
  if (r.kind === 'suggestions') return effects.reply(e, [faqSuggestionsMessage(r.docs.map((d) => d.doc))]);
  const kept = unansweredText(text);
  if (kept) {
    await effects.append('faq.unanswered', [{ channel_id: e.channelId, text: kept }], insertUnansweredRows);
  }
  return false;
}

/** Handles the FAQ's postbacks (`faq=<id>`, `faq=<id>&helpful=1|0`); false when `data` is not one. */
export async function handleFaqPostback(
  trx: Transaction<Database>,
  e: StoredLineEvent,
  effects: LineEffects,
  data: string,
): Promise<boolean> {
  const params = new URLSearchParams(data);
  const id = params.get(FAQ_PARAM);
  if (id === null) return false;
  const helpful = params.get('helpful');
  if (!isUuid(id)) {
    await effects.reply(e, [{ type: 'text', text: FAQ_GONE_TEXT }]);
    return true;
  }
  const doc = await faqDocOf(trx, e.channelId, id, await revisionInBatch(trx, e.channelId));
  if (!doc) {
    await effects.reply(e, [{ type: 'text', text: FAQ_GONE_TEXT }]);
    return true;
  }
  if (helpful === '1' || helpful === '0') {
    await countUse(effects, e.channelId, doc.id, helpful === '1' ? 'helpful' : 'not_helpful');
    await effects.reply(e, [
      { type: 'text', text: helpful === '1' ? FAQ_HELPFUL_THANKS : FAQ_NOT_HELPFUL_TEXT },
    ]);
    return true;
  }
  await countUse(effects, e.channelId, doc.id, 'answered');
  await effects.reply(e, [faqAnswerMessage(doc)]);
  return true;
}
