import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';
import { base32Decode, base32Encode, totpCode, verifyTotp } from './totp.ts';

describe('passwords and TOTP (S-08)', () => {
  it('S-08: argon2id hashes verify only the right password', async () => {
    const h = await hashPassword('Correct-Horse-9');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Correct-Horse-9')).toBe(true);
    expect(await verifyPassword(h, 'correct-horse-9')).toBe(false);
    expect(await verifyPassword('garbage', 'x')).toBe(false);
  });

  it('S-08: weak passwords are explained', () => {
    expect(passwordProblems('short')).toHaveLength(2);
    expect(passwordProblems('alllowercaseletters')).toHaveLength(1);
    expect(passwordProblems('Tanaka-2026-pass', 'tanaka')).toEqual(['ログインIDを含めないでください']);
    expect(passwordProblems('Correct-Horse-9-Battery')).toEqual([]);
  });

  it('S-08: TOTP matches RFC 6238 test vectors (SHA-1)', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    expect(base32Decode(secret).toString()).toBe('12345678901234567890');
    // RFC 6238 Appendix B: T = 59 s → 94287082 (8 digits); we use the last 6.
    expect(totpCode(secret, 59_000)).toBe('287082');
    expect(totpCode(secret, 1111111109_000)).toBe('081804');
    expect(verifyTotp(secret, '081804', 1111111109_000 + 30_000)).toBe(true);
    expect(verifyTotp(secret, '081804', 1111111109_000 + 120_000)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', 59_000)).toBe(false);
  });
});
