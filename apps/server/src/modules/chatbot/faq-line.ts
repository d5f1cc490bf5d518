import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StoredLineEvent } from '../line-events/line-event.ts';
import type { LineEffects } from '../line-events/line-event-bus.ts';

// The FAQ in LINE (B-04), called by the chatbot's message handler (chatbot-line.ts) when no scenario
// took the text. (Interface first; the matching follows in the next commits of issue 12.)

/** Answers `text` from the channel's FAQ; false (and the question counted as unanswered) when none. */
export async function answerFromFaq(
  _trx: Transaction<Database>,
  _e: StoredLineEvent,
  _effects: LineEffects,
  _text: string,
): Promise<boolean> {
  return false;
}

/** Handles the FAQ's postbacks (`faq=<id>`, `faq=<id>&helpful=1|0`); false when `data` is not one. */
export async function handleFaqPostback(
  _trx: Transaction<Database>,
  _e: StoredLineEvent,
  _effects: LineEffects,
  _data: string,
): Promise<boolean> {
  return false;
}
