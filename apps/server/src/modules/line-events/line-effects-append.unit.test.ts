import type { Transaction } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { createLineEffects } from './line-event-bus.ts';

// LineEffects.append (issue 12, B-02, D-03): rows a dispatch batch only inserts are written by one
// call at the batch's end (flush, before its commit); outside a batch at once.

const trx = { fake: 'trx' } as unknown as Transaction<Database>;
const cipher = {} as Cipher;

describe('LineEffects.append (issue 12)', () => {
  it('B-02: in a batch, the rows of a key are written by ONE call at flush, in the order appended', async () => {
    const effects = createLineEffects(trx, cipher, { batched: true });
    const calls: { trx: unknown; rows: number[] }[] = [];
    const write = async (t: Transaction<Database>, rows: number[]) => {
      calls.push({ trx: t, rows });
    };
    await effects.append('steps', [1, 2], write);
    await effects.append('steps', [], write);
    await effects.append('steps', [3], write);
    expect(calls).toEqual([]);
    await effects.flush();
    expect(calls).toEqual([{ trx, rows: [1, 2, 3] }]);
    await effects.flush();
    expect(calls).toHaveLength(1);
  });

  it('B-02: outside a batch, each append is written at once; nothing for no rows', async () => {
    const effects = createLineEffects(trx, cipher);
    const calls: string[][] = [];
    const write = async (_t: Transaction<Database>, rows: string[]) => {
      calls.push(rows);
    };
    await effects.append('steps', ['a'], write);
    await effects.append('steps', [], write);
    expect(calls).toEqual([['a']]);
  });
});
