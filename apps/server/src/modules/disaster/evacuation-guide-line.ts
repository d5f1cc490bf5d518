import { isOneToOneChat } from '../consultation/line-door.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import type { DisasterModeOn } from './disaster-info.ts';
import { guideReply, parseGuide } from './evacuation-guide.ts';

// The evacuation guidance in LINE: a postback `guide=…` (the disaster menu's area, the
// prepared message's button, the guidance's own buttons) answers the next question; the word 避難
// starts it while disaster mode is on. Only in a 1:1 chat, through the outbox (effects.reply).

export const GUIDE_KEYWORDS = ['避難'];

export function subscribeEvacuationGuide(
  bus: LineEventBus,
  opts: { contact: string; modeOn: DisasterModeOn },
): void {
  bus.subscribe('postback', async (e, _trx, effects) => {
    if (!e.event.replyToken || !isOneToOneChat(e)) return;
    const answer = parseGuide((e.event.postback as { data?: string } | undefined)?.data ?? '');
    if (!answer) return;
    await effects.reply(e, guideReply(answer, opts.contact));
  });
  bus.subscribe('message', async (e, trx, effects) => {
    if (!e.event.replyToken || !isOneToOneChat(e)) return;
    const m = e.event.message as { type?: string; text?: string } | undefined;
    if (m?.type !== 'text' || !GUIDE_KEYWORDS.includes(m.text?.trim() ?? '')) return;
    if (!(await opts.modeOn(trx, e.channelId))) return;
    await effects.reply(e, guideReply({ step: 'start' }, opts.contact));
  });
}
