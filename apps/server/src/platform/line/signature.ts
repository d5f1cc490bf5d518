import { createHmac, timingSafeEqual } from 'node:crypto';

// LINE signs each webhook body: base64(HMAC-SHA256(channel secret, raw body)).
export function signLineBody(channelSecret: string, body: string | Buffer): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

export function verifyLineSignature(
  channelSecret: string,
  body: string | Buffer,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signLineBody(channelSecret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
