import { describe, expect, it } from 'vitest';
import { decodeIdToken, issueIdToken, signIdToken, verifyIdToken } from './id-token.ts';

const secrets: Record<string, string> = { '1111': 'secret-a', '2222': 'secret-b' };
const secretFor = (id: string) => secrets[id];
const now = Date.UTC(2025, 0, 1);
const token = issueIdToken({
  userId: `U${'1'.repeat(32)}`,
  loginChannelId: '1111',
  secret: 'secret-a',
  nowMs: now,
  name: '山田',
});

describe('LINE Login ID tokens (HS256)', () => {
  it('carries LINE claims', () => {
    const decoded = decodeIdToken(token);
    expect(decoded?.header).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(decoded?.claims).toMatchObject({
      iss: 'https://access.line.me',
      sub: `U${'1'.repeat(32)}`,
      aud: '1111',
      iat: now / 1000,
      exp: now / 1000 + 3600,
      name: '山田',
    });
  });

  it('verifies', () => {
    const result = verifyIdToken(token, { clientId: '1111', nowMs: now + 1000, secretFor });
    expect(result.ok).toBe(true);
  });

  it('rejects tampered, expired, foreign-audience, wrong-nonce and wrong-subject tokens', () => {
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: `U${'2'.repeat(32)}` })).toString('base64url')}.${s}`;
    const check = (t: string, opts: Partial<Parameters<typeof verifyIdToken>[1]> = {}) =>
      verifyIdToken(t, { clientId: '1111', nowMs: now, secretFor, ...opts });
    expect(check(tampered)).toEqual({ ok: false, error: 'Invalid IdToken.' });
    expect(check('not-a-jwt')).toEqual({ ok: false, error: 'Invalid IdToken.' });
    expect(check(signIdToken(claims, 'wrong-secret'))).toEqual({ ok: false, error: 'Invalid IdToken.' });
    expect(check(token, { nowMs: now + 3600_000 })).toEqual({ ok: false, error: 'IdToken expired.' });
    expect(check(token, { clientId: '2222' })).toEqual({ ok: false, error: 'Invalid IdToken Audience.' });
    expect(check(token, { nonce: 'n' })).toEqual({ ok: false, error: 'Invalid IdToken Nonce.' });
    expect(check(token, { userId: 'Ux' })).toEqual({
      ok: false,
      error: 'Invalid IdToken Subject Identifier.',
    });
  });
});
