import { createHash } from 'node:crypto';

// Each audit row's hash covers its own fields and the previous row's hash, so changing or
// deleting a row breaks the chain from that point on.

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  at: Date;
  accountId: string | null;
  loginId: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: 'success' | 'failure';
  count: number | null;
  detail: Record<string, unknown> | null;
}

export function auditHash(prevHash: string, f: AuditFields): string {
  const canonical = JSON.stringify([
    prevHash,
    f.at.toISOString(),
    f.accountId,
    f.loginId,
    f.ip,
    f.action,
    f.targetType,
    f.targetId,
    f.result,
    f.count,
    f.detail === null ? null : sortKeys(f.detail),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export interface ChainRow extends AuditFields {
  id: string;
  prevHash: string;
  hash: string;
}

/** Walks rows in id order; returns the first row where the chain breaks, or null when intact. */
export function findChainBreak(
  rows: Iterable<ChainRow>,
  startHash = GENESIS_HASH,
): { id: string; reason: string } | null {
  let prev = startHash;
  for (const row of rows) {
    if (row.prevHash !== prev)
      return { id: row.id, reason: 'previous hash does not match (row changed or deleted before this one)' };
    if (auditHash(prev, row) !== row.hash)
      return { id: row.id, reason: 'row content does not match its hash' };
    prev = row.hash;
  }
  return null;
}
