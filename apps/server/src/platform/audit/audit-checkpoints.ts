import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ChainProblem, ChainRow } from './audit-chain.ts';

// Checkpoints of the chain head, kept outside the database (a JSON-lines file, optionally a syslog
// server): deleting the newest rows or rebuilding the chain afterwards no longer goes unnoticed.

export const checkpointSchema = z.object({
  time: z.iso.datetime(),
  lastId: z
    .string()
    .regex(/^[1-9]\d*$/)
    .nullable(),
  lastHash: z.string().regex(/^[0-9a-f]{64}$/),
  count: z.number().int().min(0),
  /** auditKeyId of the key the chain was written with */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export async function appendCheckpointLine(file: string, cp: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(cp)}\n`, { mode: 0o600 });
}

/** Reads a checkpoint file; lines that are not checkpoints (e.g. cut short by a crash) are listed. */
export async function readCheckpointFile(
  file: string,
): Promise<{ checkpoints: Checkpoint[]; unreadable: number[] }> {
  const text = await readFile(file, 'utf8');
  const checkpoints: Checkpoint[] = [];
  const unreadable: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = null;
    }
    const cp = checkpointSchema.safeParse(parsed);
    if (cp.success) checkpoints.push(cp.data);
    else unreadable.push(i + 1);
  });
  return { checkpoints, unreadable };
}

export type CheckpointProblem =
  | { kind: 'truncated'; afterId: string | null; checkpoint: Checkpoint }
  | { kind: 'rewritten'; id: string; checkpoint: Checkpoint; more: number }
  | { kind: 'checkpoint-row-missing'; id: string; checkpoint: Checkpoint }
  | { kind: 'fewer'; checkpoint: Checkpoint; now: number };

/** Compares the chain, walked in id order, with every checkpoint. */
export function compareWithCheckpoints(all: Checkpoint[]) {
  const pending = all
    .filter((c): c is Checkpoint & { lastId: string } => c.lastId !== null)
    .sort((a, b) => (BigInt(a.lastId) < BigInt(b.lastId) ? -1 : BigInt(a.lastId) > BigInt(b.lastId) ? 1 : 0));
  let next = 0;
  let seen = 0;
  const rewritten: { id: string; checkpoint: Checkpoint }[] = [];
  const absent: { id: string; checkpoint: Checkpoint }[] = [];
  const fewer: { checkpoint: Checkpoint & { lastId: string }; now: number }[] = [];
  return {
    push(row: ChainRow) {
      const id = BigInt(row.id);
      for (; next < pending.length && BigInt(pending[next]!.lastId) <= id; next++) {
        const cp = pending[next]!;
        const here = BigInt(cp.lastId) === id;
        if (!here) absent.push({ id: cp.lastId, checkpoint: cp });
        else if (cp.lastHash !== row.hash) rewritten.push({ id: row.id, checkpoint: cp });
        const upTo = here ? seen + 1 : seen;
        if (upTo < cp.count) fewer.push({ checkpoint: cp, now: upTo });
      }
      seen++;
    },
    /** `chain` are the breaks the walk found: a checkpoint problem they already explain is left out. */
    finish(head: { id: string } | null, chain: ChainProblem[]): CheckpointProblem[] {
      const problems: CheckpointProblem[] = [];
      const brokenAtOrBefore = (id: string) => chain.some((p) => BigInt(p.fromId) <= BigInt(id));
      const deleted = (id: string) =>
        chain.some(
          (p) => p.kind === 'missing' && BigInt(p.fromId) <= BigInt(id) && BigInt(id) <= BigInt(p.toId),
        );
      if (rewritten.length)
        problems.push({ kind: 'rewritten', ...rewritten[0]!, more: rewritten.length - 1 });
      for (const a of absent) if (!deleted(a.id)) problems.push({ kind: 'checkpoint-row-missing', ...a });
      const firstFewer = fewer.find((f) => !brokenAtOrBefore(f.checkpoint.lastId));
      if (firstFewer) problems.push({ kind: 'fewer', ...firstFewer });
      const beyond = pending.slice(next);
      const newest = beyond[beyond.length - 1];
      if (newest) problems.push({ kind: 'truncated', afterId: head?.id ?? null, checkpoint: newest });
      return problems;
    },
  };
}
