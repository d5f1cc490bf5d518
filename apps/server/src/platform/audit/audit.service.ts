import type { Db } from '../../db/database.ts';
import { appendAudit, readChain } from './audit.repository.ts';
import { type AuditFields, auditHash, type ChainRow, findChainBreak, GENESIS_HASH } from './audit-chain.ts';

export type AuditEntry = Omit<AuditFields, 'at' | 'detail' | 'count' | 'targetType' | 'targetId'> &
  Partial<Pick<AuditFields, 'detail' | 'count' | 'targetType' | 'targetId'>>;

// Group commit: entries that arrive while a write is in flight are written together in the next
// transaction, so the chain's lock is taken once per batch instead of once per entry. Each caller
// still waits until its own entry is committed.
interface Pending {
  fields: AuditFields;
  done: (err?: unknown) => void;
}
const queues = new WeakMap<Db, { pending: Pending[]; writing: boolean }>();

async function drain(db: Db, q: { pending: Pending[]; writing: boolean }) {
  q.writing = true;
  while (q.pending.length) {
    const batch = q.pending.splice(0, 500);
    try {
      await appendAudit(
        db,
        batch.map((p) => p.fields),
      );
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.done(err);
    }
  }
  q.writing = false;
}

export function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  let q = queues.get(db);
  if (!q) {
    q = { pending: [], writing: false };
    queues.set(db, q);
  }
  const queue = q;
  return new Promise((resolve, reject) => {
    queue.pending.push({
      fields: { at: new Date(), targetType: null, targetId: null, count: null, detail: null, ...entry },
      done: (err) => (err ? reject(err) : resolve()),
    });
    if (!queue.writing) void drain(db, queue);
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
