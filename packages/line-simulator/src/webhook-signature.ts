import { createHmac, timingSafeEqual } from 'node:crypto';

/** LINE's x-line-signature: base64 HMAC-SHA256 of the exact body, keyed with the channel secret. */
export function signWebhookBody(body: string, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

export function verifyWebhookSignature(body: string, channelSecret: string, signature: string): boolean {
  const expected = Buffer.from(signWebhookBody(body, channelSecret));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
