import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret, otpauthUrl, totpCode, verifyTotp } from './totp.ts';

describe('TOTP (S-08)', () => {
  it('S-08: TOTP matches RFC 6238 test vectors (SHA-1)', () => {
    // RFC 6238 Appendix B: the ASCII key "12345678901234567890"; 8-digit codes, of which we use the last 6.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(Secret.fromBase32(secret).latin1).toBe('12345678901234567890');
    expect(totpCode(secret, 59_000)).toBe('287082'); // 94287082
    expect(totpCode(secret, 1111111109_000)).toBe('081804'); // 07081804
    expect(totpCode(secret, 1111111111_000)).toBe('050471'); // 14050471
    expect(totpCode(secret, 1234567890_000)).toBe('005924'); // 89005924
    expect(totpCode(secret, 2000000000_000)).toBe('279037'); // 69279037
    expect(totpCode(secret, 20000000000_000)).toBe('353130'); // 65353130
    expect(verifyTotp(secret, '081804', 1111111109_000 + 30_000)).toBe(true);
    expect(verifyTotp(secret, '081804', 1111111109_000 - 30_000)).toBe(true);
    expect(verifyTotp(secret, '081804', 1111111109_000 + 120_000)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', 59_000)).toBe(false);
    expect(verifyTotp(secret, '2870820', 59_000)).toBe(false);
  });

  it('S-08: new secrets are 160 random bits in base32; the key URI names the issuer and the account', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    expect(verifyTotp(secret, totpCode(secret))).toBe(true);
    const url = new URL(otpauthUrl(secret, 'tanaka.hanako'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Madoguchi:tanaka.hanako');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Madoguchi',
      secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
