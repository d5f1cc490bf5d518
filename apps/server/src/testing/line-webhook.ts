import { randomBytes } from 'node:crypto';
import { signLineBody } from '../platform/line/signature.ts';

// Builds LINE webhook bodies the way the LINE Platform sends them.

export const lineUserId = () => `U${randomBytes(16).toString('hex')}`;
export const webhookEventId = () => randomBytes(13).toString('hex').toUpperCase().slice(0, 26);

export function followEvent(userId: string, at = Date.now(), extra: Record<string, unknown> = {}) {
  return {
    type: 'follow',
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId },
    webhookEventId: webhookEventId(),
    deliveryContext: { isRedelivery: false },
    replyToken: randomBytes(16).toString('hex'),
    follow: { isUnblocked: false },
    ...extra,
  };
}

export function unfollowEvent(userId: string, at = Date.now()) {
  return {
    type: 'unfollow',
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId },
    webhookEventId: webhookEventId(),
    deliveryContext: { isRedelivery: false },
  };
}

export function textEvent(userId: string, text: string, at = Date.now()) {
  return {
    type: 'message',
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId },
    webhookEventId: webhookEventId(),
    deliveryContext: { isRedelivery: false },
    replyToken: randomBytes(16).toString('hex'),
    message: { id: String(Date.now()), type: 'text', quoteToken: 'q', text },
  };
}

/** A postback event as LINE sends it (webhook.yml PostbackEvent): a rich-menu or button tap. */
export function postbackEvent(userId: string, data: string, at = Date.now()) {
  return {
    type: 'postback',
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId },
    webhookEventId: webhookEventId(),
    deliveryContext: { isRedelivery: false },
    replyToken: randomBytes(16).toString('hex'),
    postback: { data },
  };
}

export async function postWebhook(
  baseUrl: string,
  channelId: string,
  secret: string,
  events: unknown[],
  opts: { signature?: string; headerName?: string } = {},
) {
  const body = JSON.stringify({ destination: `U${'0'.repeat(32)}`, events });
  return fetch(`${baseUrl}/webhooks/line/${channelId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [opts.headerName ?? 'x-line-signature']: opts.signature ?? signLineBody(secret, body),
    },
    body,
  });
}
