import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';

describe('passwords (S-08)', () => {
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
});
