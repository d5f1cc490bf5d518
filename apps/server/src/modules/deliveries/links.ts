import type { messagingApi } from '@line/bot-sdk';
import type { Db } from '../../db/database.ts';
import { randomToken } from '../../platform/crypto.ts';
import { upsertDeliveryLinks } from './deliveries.repository.ts';

// Click counting for deliveries (G-10): every http(s) link of a delivery's messages is replaced by
// `${publicUrl}/r/<token>`, a redirect that counts the click. The token is random and names only
// the delivery's link: it is the same for every recipient, so no person can be told apart by it
// (no personal data in the URL, and clicks can never be attributed to a friend or an attribute).
//
// Links are numbered by position in a fixed walk over the messages (text first, then action objects
// in sorted key order), and stored with an upsert on (delivery_id, position): calling this again
// for the same delivery (a restart after a crash) gives the very same tokens and messages.
//
// Rewritten: URLs in text (`text`, `textV2`; emoji indexes are shifted), `uri` actions anywhere in a
// message (flex bubbles and carousels, templates, quick replies) and imagemap `linkUri` actions.
// Left as they are: non-http(s) URIs (tel:, mailto:, line://), LINE's own links (line.me, lin.ee,
// liff.line.me, which LINE opens in the app only when tapped directly), links already pointing at
// this server's /r/, and a text URL whose rewrite would push the text over LINE's 5,000 characters.

export type LineMessage = messagingApi.Message;

export const TEXT_MAX = 5_000;
const TOKEN_BYTES = 16;

// Characters of a URL (RFC 3986); Japanese text often runs straight on after a URL.
const URL_IN_TEXT = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
const LINE_HOSTS = /^(?:[a-z0-9-]+\.)*(?:line\.me|lin\.ee)$/i;

/** The URL without punctuation that ends the sentence rather than the URL. */
export function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last && '.,;:!?\'"'.includes(last)) url = url.slice(0, -1);
    else if (last === ')' && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) {
      url = url.slice(0, -1);
    } else if (last === ']' && !url.includes('[')) url = url.slice(0, -1);
    else return url;
  }
}

function countable(url: string, publicUrl: string): boolean {
  if (url.startsWith(`${publicUrl}/r/`)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return !LINE_HOSTS.test(parsed.hostname);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a link sits in its message (G-10, issue 9): the same URL counts apart per position. */
export type LinkKind = 'text' | 'button' | 'imagemap' | 'action';

interface Slot {
  url: string;
  /** Index of the message (0-based) in the delivery. */
  message: number;
  kind: LinkKind;
  apply(redirect: string): void;
}

/** Finds every rewritable link of the messages in a fixed order. Pure; used by rewriteLinks. */
export function collectLinks(
  messages: readonly unknown[],
  publicUrl: string,
  redirectLength: number,
): Slot[] {
  const slots: Slot[] = [];
  let messageIndex = 0;

  function text(message: Record<string, Json>) {
    const original = message.text;
    if (typeof original !== 'string') return;
    const found: { at: number; url: string }[] = [];
    for (const m of original.matchAll(URL_IN_TEXT)) {
      const url = trimUrl(m[0]);
      if (countable(url, publicUrl)) found.push({ at: m.index, url });
    }
    // Decide which fit within LINE's limit, in text order (the same every time).
    let length = original.length;
    const kept = found.filter((f) => {
      const grown = length - f.url.length + redirectLength;
      if (grown > TEXT_MAX) return false;
      length = grown;
      return true;
    });
    const redirects: string[] = [];
    kept.forEach((f, i) => {
      slots.push({
        url: f.url,
        message: messageIndex,
        kind: 'text',
        apply: (redirect) => {
          redirects[i] = redirect;
          if (i === kept.length - 1) rebuildText(message, original, kept, redirects);
        },
      });
    });
  }

  /** `holder`: the object whose `action`/`actions` this node is (a flex or template button). */
  function walk(node: Json, holder: Json = null, key = '') {
    if (Array.isArray(node)) {
      for (const child of node) walk(child, holder, key);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (node.type === 'uri') {
      const isButton =
        key === 'actions' ||
        (key === 'action' &&
          holder !== null &&
          !Array.isArray(holder) &&
          typeof holder === 'object' &&
          holder.type === 'button');
      for (const field of ['uri', 'linkUri'] as const) {
        const url = node[field];
        if (typeof url === 'string' && countable(url, publicUrl)) {
          slots.push({
            url,
            message: messageIndex,
            kind: field === 'linkUri' ? 'imagemap' : isButton ? 'button' : 'action',
            apply: (redirect) => {
              node[field] = redirect;
            },
          });
        }
      }
    }
    for (const childKey of Object.keys(node).sort()) {
      const child = node[childKey];
      if (child !== null && typeof child === 'object') walk(child, node, childKey);
    }
  }

  for (const [i, message] of (messages as Json[]).entries()) {
    messageIndex = i;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) continue;
    if (message.type === 'text' || message.type === 'textV2') text(message);
    walk(message);
  }
  return slots;
}

const redirectLengthFor = (base: string) => `${base}/r/`.length + randomToken(TOKEN_BYTES).length;

/**
 * The position of every counted link of a delivery's LINE messages, as rewriteLinks numbers them:
 * which message it is in and whether it is a link in the text, a button, an imagemap area or
 * another tappable part. Pure (reads nothing, writes nothing).
 */
export function describeLinks(
  messages: readonly unknown[],
  publicUrl: string,
): { position: number; message: number; kind: LinkKind; url: string }[] {
  const base = publicUrl.replace(/\/+$/, '');
  const copy = structuredClone(messages) as unknown[];
  return collectLinks(copy, base, redirectLengthFor(base)).map((s, position) => ({
    position,
    message: s.message,
    kind: s.kind,
    url: s.url,
  }));
}

function rebuildText(
  message: Record<string, Json>,
  original: string,
  kept: { at: number; url: string }[],
  redirects: string[],
) {
  let out = '';
  let from = 0;
  const shifts: { at: number; delta: number }[] = [];
  kept.forEach((f, i) => {
    const redirect = redirects[i] ?? f.url;
    out += original.slice(from, f.at) + redirect;
    from = f.at + f.url.length;
    shifts.push({ at: f.at, delta: redirect.length - f.url.length });
  });
  out += original.slice(from);
  message.text = out;
  // LINE emoji placeholders ($) are addressed by index into the text: move those after a link.
  if (Array.isArray(message.emojis)) {
    for (const emoji of message.emojis) {
      if (emoji === null || typeof emoji !== 'object' || Array.isArray(emoji)) continue;
      const index = emoji.index;
      if (typeof index !== 'number') continue;
      emoji.index = index + shifts.filter((s) => s.at < index).reduce((sum, s) => sum + s.delta, 0);
    }
  }
}

/**
 * Rewrites the links of a delivery's LINE messages to counted redirects. Returns new message
 * objects (the input is not changed). Idempotent per delivery and link position.
 */
export async function rewriteLinks(
  db: Db,
  deliveryId: string,
  messages: LineMessage[],
  publicUrl: string,
): Promise<LineMessage[]> {
  const base = publicUrl.replace(/\/+$/, '');
  const copy = structuredClone(messages) as LineMessage[];
  const redirectLength = redirectLengthFor(base);
  const slots = collectLinks(copy, base, redirectLength);
  if (slots.length === 0) return copy;
  const rows = slots.map((s, position) => ({
    delivery_id: deliveryId,
    position,
    url: s.url,
    token: randomToken(TOKEN_BYTES),
  }));
  // The URL is refreshed (the same position keeps its token); a position's first token wins.
  const stored = await upsertDeliveryLinks(db, rows);
  const tokens = new Map(stored.map((r) => [r.position, r.token]));
  slots.forEach((slot, position) => {
    slot.apply(`${base}/r/${tokens.get(position)}`);
  });
  return copy;
}

export { findLinkByToken, insertClick as recordClick } from './deliveries.repository.ts';
