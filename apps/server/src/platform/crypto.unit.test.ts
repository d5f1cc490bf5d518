import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher } from './crypto.ts';
import { toCsv } from './http/csv.ts';

describe('encryption at rest (S-02)', () => {
  const cipher = createCipher(randomBytes(32).toString('base64'));

  it('S-02: round-trips text and never shows the plaintext', () => {
    const sealed = cipher.encrypt('チャネルシークレット');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain('チャネル');
    expect(cipher.decrypt(sealed)).toBe('チャネルシークレット');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('S-02: a tampered ciphertext or another key fails', () => {
    const sealed = cipher.encrypt('secret');
    // Flip one bit of the ciphertext itself (editing a base64 character could leave the bytes as
    // they were, which made this test fail about once in 64 runs).
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1]! ^= 0x01;
    const flipped = `v1.${bytes.toString('base64url')}`;
    expect(flipped).not.toBe(sealed);
    expect(() => cipher.decrypt(flipped)).toThrow();
    expect(() => createCipher(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow();
  });
});

describe('CSV export for Excel (S-09)', () => {
  it('S-09: has a BOM, CRLF, quoting, and neutralises formulas', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['=1+1', 'x,"y"'],
        [null, 3],
      ],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFFa,b\r\n\'=1+1,"x,""y"""\r\n,3\r\n');
  });
});
