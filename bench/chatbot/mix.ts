import { randomBytes } from 'node:crypto';
import { postbackEvent, textEvent } from '../../apps/server/src/testing/line-webhook.ts';

// The events of the chatbot benchmark's load (run.ts), built with the server's own test helpers.

/** One event of the mix: its kind (for the report) and the webhook event (run.ts adds the reply token). */
export interface MixEvent {
  kind: string;
  event: Record<string, unknown>;
}

/**
 * Picks the next event of `user`; `offered` holds the postback data of the buttons of the user's last
 * reply (a question's choices), or null.
 */
export type Mix = (user: string, offered: string[] | null, random: () => number) => MixEvent;

/** Before the chatbot: what the disaster module answers today, typed (防災情報) or tapped (postback). */
export const disasterInfoMix: Mix = (user, _offered, random) =>
  random() < 0.5
    ? { kind: 'text 防災情報', event: textEvent(user, '防災情報') }
    : { kind: 'postback action=disaster-info', event: postbackEvent(user, 'action=disaster-info') };

/**
 * A reply token for the user at `index` of the list given to the simulator (POST /_bench/users): 32
 * hex digits like LINE's, the first 8 the index; the benchmark's simulator accepts it once (line-sim.ts).
 */
export const benchToken = (index: number): string =>
  index.toString(16).padStart(8, '0') + randomBytes(12).toString('hex');
