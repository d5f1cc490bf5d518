import { describe, expect, it } from 'vitest';
import { auditHash, type ChainRow, findChainBreak, GENESIS_HASH } from './audit-chain.ts';

function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const fields = {
      at: new Date(Date.UTC(2026, 10, 22, 9, 0, i)),
      accountId: null,
      loginId: 'admin',
      ip: '127.0.0.1',
      action: 'account.create',
      targetType: 'account',
      targetId: String(i),
      result: 'success' as const,
      count: null,
      detail: { b: 1, a: [i] },
    };
    const hash = auditHash(prev, fields);
    rows.push({ ...fields, id: String(i + 1), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit log hash chain (S-09)', () => {
  it('S-09: an intact chain verifies', () => {
    expect(findChainBreak(chain(5))).toBeNull();
  });

  it('S-09: a changed row is detected at that row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2]!, result: 'failure' };
    expect(findChainBreak(rows)?.id).toBe('3');
  });

  it('S-09: a deleted row is detected at the row after it', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(findChainBreak(rows)?.id).toBe('3');
  });

  it('S-09: the hash does not depend on key order in the detail', () => {
    const f = chain(1)[0]!;
    expect(auditHash(GENESIS_HASH, { ...f, detail: { a: [0], b: 1 } })).toBe(f.hash);
  });
});
