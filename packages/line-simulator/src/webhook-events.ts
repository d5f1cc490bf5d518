import { newUlid } from './ids.ts';
import type { JsonObject } from './model.ts';

// Webhook event objects as in LINE's webhook.yml.

export function baseEvent(type: string, userId: string, now: number): JsonObject {
  return {
    type,
    mode: 'active',
    timestamp: now,
    source: { type: 'user', userId },
    webhookEventId: newUlid(now),
    deliveryContext: { isRedelivery: false },
  };
}

export function followEvent(
  userId: string,
  now: number,
  replyToken: string,
  isUnblocked: boolean,
): JsonObject {
  return { ...baseEvent('follow', userId, now), replyToken, follow: { isUnblocked } };
}

export function unfollowEvent(userId: string, now: number): JsonObject {
  return baseEvent('unfollow', userId, now);
}

export function messageEvent(
  userId: string,
  now: number,
  replyToken: string,
  message: JsonObject,
): JsonObject {
  return { ...baseEvent('message', userId, now), replyToken, message };
}

export function postbackEvent(
  userId: string,
  now: number,
  replyToken: string,
  data: string,
  params?: Record<string, string>,
): JsonObject {
  const postback: JsonObject = { data };
  if (params && Object.keys(params).length > 0) postback.params = params;
  return { ...baseEvent('postback', userId, now), replyToken, postback };
}

/** The same event as delivered again by LINE's webhook redelivery. */
export function asRedelivery(event: JsonObject): JsonObject {
  return { ...event, deliveryContext: { isRedelivery: true } };
}
