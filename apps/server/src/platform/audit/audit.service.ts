import type { Db } from '../../db/database.ts';
import { appendAudit, readChain, readChainHead } from './audit.repository.ts';
import { type AuditFields, type ChainProblem, walkChain } from './audit-chain.ts';
import {
  appendCheckpointLine,
  type Checkpoint,
  type CheckpointProblem,
  compareWithCheckpoints,
} from './audit-checkpoints.ts';
import { auditKeyFor, auditKeyId } from './audit-key.ts';
import { formatSyslog, type SyslogTarget, sendSyslog } from './syslog.ts';

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
  legacyRows: number;
  head: { id: string; hash: string } | null;
  checkpoints: number;
  /** checkpoints written under another key (another installation), not compared */
  otherKey: number;
  problems: (ChainProblem | CheckpointProblem)[];
}

/**
 * Re-computes every hash of the audit log and compares it with the checkpoints kept outside the
 * database (used by `madoguchi audit verify`); reports every broken range.
 */
export async function verifyAuditChain(db: Db, checkpoints: Checkpoint[] = []): Promise<ChainReport> {
  const key = auditKeyFor(db);
  const ours = checkpoints.filter((c) => c.keyId === auditKeyId(key));
  const walk = walkChain(key);
  const compare = compareWithCheckpoints(ours);
  for await (const row of readChain(db)) {
    walk.push(row);
    compare.push(row);
  }
  const chain = walk.finish();
  return {
    rows: chain.rows,
    legacyRows: chain.legacyRows,
    head: chain.head,
    checkpoints: ours.length,
    otherKey: checkpoints.length - ours.length,
    problems: [...chain.problems, ...compare.finish(chain.head, chain.problems)],
  };
}

/** The newest row's ID and hash and the number of rows (the deletion certificate records it, S-13). */
export const auditChainHead = (db: Db) => readChainHead(db);

export interface CheckpointTarget {
  file: string;
  syslog?: SyslogTarget | undefined;
}

/** Appends the current chain head to the checkpoint file and, when configured, sends it to syslog. */
export async function writeAuditCheckpoint(db: Db, target: CheckpointTarget): Promise<Checkpoint> {
  const head = await readChainHead(db);
  const cp: Checkpoint = { time: new Date().toISOString(), ...head, keyId: auditKeyId(auditKeyFor(db)) };
  await appendCheckpointLine(target.file, cp);
  if (target.syslog) await sendSyslog(target.syslog, formatSyslog('audit-checkpoint', JSON.stringify(cp)));
  return cp;
}
