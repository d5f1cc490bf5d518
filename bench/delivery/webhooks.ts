import { signLineBody } from '../../apps/server/src/platform/line/signature.ts';
import { postbackEvent, textEvent } from '../../apps/server/src/testing/line-webhook.ts';
import type { LatencySummary, RunResult, SignedBody } from '../webhook/load.ts';
import { summarize } from '../webhook/load.ts';

// Friends using the rich menu while a delivery runs (G-13, 003:5.3 / 5.4(2)): the webhook events LINE
// sends the server when seeded friends tap the rich menu — postbacks (areas with a postback action) and
// text messages (areas with a message action, and questions typed into the chat) — one event per
// request, as LINE sends events of different users. Bodies are built with the server's own test helpers
// and signed like the webhook benchmark's (../webhook/load.ts), before any timing.

const DESTINATION = `U${'0'.repeat(32)}`;

/** Postback data of rich-menu areas with a postback action (cf. the demo menu's action=disaster-info). */
const POSTBACKS = ['richmenu=info', 'richmenu=disaster', 'richmenu=garbage', 'action=disaster-info'];
/** Texts of rich-menu message actions and of questions typed into the chat. */
const TEXTS = ['マイページ', '防災情報', 'ごみの収集日を教えてください。', '避難所はどこですか？'];

/** A small deterministic generator (mulberry32), so that the mix of a run does not depend on chance. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` signed one-event bodies from friends picked at random among `users`: half postbacks, half
 * text messages. Returns the bodies and the webhookEventId of each (same order).
 */
export function richMenuBodies(
  secret: string,
  count: number,
  users: string[],
  seed = 20261122,
): { bodies: SignedBody[]; eventIds: string[] } {
  if (users.length === 0) throw new Error('no friends to send events from');
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const bodies: SignedBody[] = [];
  const eventIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = pick(users);
    const event = random() < 0.5 ? postbackEvent(user, pick(POSTBACKS)) : textEvent(user, pick(TEXTS));
    const body = JSON.stringify({ destination: DESTINATION, events: [event] });
    bodies.push({ body: Buffer.from(body), signature: signLineBody(secret, body), events: 1 });
    eventIds.push(event.webhookEventId);
  }
  return { bodies, eventIds };
}

/** Answer times and errors of the requests of a paced run that were due in [from, to). */
export interface WindowReport extends LatencySummary {
  requests: number;
  /** Answers other than 200 (0 = no answer). */
  errors: number;
  /** Requests per second due in the window (the offered rate when the load kept its pace). */
  requestsPerSec: number;
  durationS: number;
}

export function windowReport(r: RunResult, from: number, to: number): WindowReport {
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < r.dueAt.length; i++) {
    const at = r.dueAt[i]!;
    if (at < from || at >= to) continue;
    latencies.push(r.latencies[i]!);
    if (r.codes[i] !== 200) errors++;
  }
  const seconds = Math.max(0, to - from) / 1000;
  return {
    requests: latencies.length,
    errors,
    requestsPerSec: seconds > 0 ? Math.round((latencies.length / seconds) * 10) / 10 : 0,
    durationS: Math.round(seconds * 100) / 100,
    ...summarize(Float64Array.from(latencies)),
  };
}
