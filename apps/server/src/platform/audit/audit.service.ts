import type { Db } from '../../db/database.ts';
import { appendAudit, readChain } from './audit.repository.ts';
import { type AuditFields, auditHash, type ChainRow, findChainBreak, GENESIS_HASH } from './audit-chain.ts';

export type AuditEntry = Omit<AuditFields, 'at' | 'detail' | 'count' | 'targetType' | 'targetId'> &
  Partial<Pick<AuditFields, 'detail' | 'count' | 'targetType' | 'targetId'>>;

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await appendAudit(db, {
    at: new Date(),
    targetType: null,
    targetId: null,
    count: null,
    detail: null,
    ...entry,
  });
}

export interface ChainReport {
  rows: number;
  broken: { id: string; reason: string } | null;
}

/** Re-computes every hash of the audit log (used by `madoguchi audit verify`). */
export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  let rows = 0;
  let prev = GENESIS_HASH;
  for await (const row of readChain(db)) {
    const broken = findChainBreak([row] as ChainRow[], prev);
    if (broken) return { rows, broken };
    prev = auditHash(prev, row);
    rows++;
  }
  return { rows, broken: null };
}
