import type { ChainProblem } from './audit-chain.ts';
import type { CheckpointProblem } from './audit-checkpoints.ts';

// One line per broken range, for `madoguchi audit verify`.

const rows = (from: string, to: string) => (from === to ? `row ${from}` : `rows ${from}–${to}`);

export function describeProblem(p: ChainProblem | CheckpointProblem): string {
  switch (p.kind) {
    case 'changed':
      return `${rows(p.fromId, p.toId)} changed (content or link does not match the keyed hash)`;
    case 'missing':
      return `${rows(p.fromId, p.toId)} missing (deleted)`;
    case 'truncated':
      return p.afterId === null
        ? `all rows deleted (checkpoint ${p.checkpoint.time} recorded row ${p.checkpoint.lastId}, ${p.checkpoint.count} rows)`
        : `tail truncated after row ${p.afterId} (checkpoint ${p.checkpoint.time} recorded row ${p.checkpoint.lastId}, ${p.checkpoint.count} rows)`;
    case 'rewritten':
      return (
        `chain rewritten: row ${p.id} does not have the hash recorded by checkpoint ${p.checkpoint.time}` +
        (p.more ? ` (nor by ${p.more} later checkpoint${p.more === 1 ? '' : 's'})` : '')
      );
    case 'checkpoint-row-missing':
      return `row ${p.id} recorded by checkpoint ${p.checkpoint.time} is missing`;
    case 'fewer':
      return `rows deleted: checkpoint ${p.checkpoint.time} counted ${p.checkpoint.count} rows up to row ${p.checkpoint.lastId}, now ${p.now}`;
  }
}
