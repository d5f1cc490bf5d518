import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signLineBody, verifyLineSignature } from './signature.ts';

describe('LINE webhook signature (D-03)', () => {
  const secret = 'channel-secret';
  const body = '{"destination":"U0","events":[{"type":"message","message":{"text":"こんにちは"}}]}';

  it("D-03: matches LINE's algorithm: base64 HMAC-SHA256 of the raw body", () => {
    const expected = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('base64');
    expect(signLineBody(secret, body)).toBe(expected);
    expect(verifyLineSignature(secret, Buffer.from(body), expected)).toBe(true);
  });

  it('D-03: rejects a changed body, another secret, a missing or malformed signature', () => {
    const sig = signLineBody(secret, body);
    expect(verifyLineSignature(secret, `${body} `, sig)).toBe(false);
    expect(verifyLineSignature('other', body, sig)).toBe(false);
    expect(verifyLineSignature(secret, body, undefined)).toBe(false);
    expect(verifyLineSignature(secret, body, '')).toBe(false);
    expect(verifyLineSignature(secret, body, `${sig}x`)).toBe(false);
  });
});
