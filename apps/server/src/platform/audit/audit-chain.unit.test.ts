import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { canonicalJson, storableJson, storableText } from './audit-canonical.ts';
import {
  type AuditFields,
  type ChainRow,
  GENESIS_HASH,
  KEYED_CHAIN,
  keyedHash,
  LEGACY_CHAIN,
  legacyHash,
  toStored,
  walkChain,
} from './audit-chain.ts';
import { type Checkpoint, compareWithCheckpoints } from './audit-checkpoints.ts';
import { deriveAuditKey } from './audit-key.ts';
import { describeProblem } from './audit-report.ts';

const key = deriveAuditKey(randomBytes(32).toString('base64'));

const fields = (i: number, extra: Partial<AuditFields> = {}): AuditFields => ({
  at: new Date(Date.UTC(2026, 10, 22, 9, 0, i)),
  accountId: null,
  loginId: 'admin',
  ip: '127.0.0.1',
  action: 'account.create',
  targetType: 'account',
  targetId: String(i),
  result: 'success',
  count: null,
  detail: { b: 1, a: [i] },
  ...extra,
});

/** A chain as appendAudit writes it: `legacy` v1 rows first, then keyed rows; ids from 1. */
function chain(n: number, legacy = 0): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const s = toStored(fields(i));
    const chainVersion = i < legacy ? LEGACY_CHAIN : KEYED_CHAIN;
    const hash = chainVersion === LEGACY_CHAIN ? legacyHash(prev, s) : keyedHash(key, prev, s);
    rows.push({ ...s, id: String(i + 1), prevHash: prev, hash, chainVersion });
    prev = hash;
  }
  return rows;
}

const walk = (rows: ChainRow[]) => {
  const w = walkChain(key);
  for (const r of rows) w.push(r);
  return w.finish();
};

/** What node-postgres does to a string on its way into PostgreSQL (UTF-8 encoding). */
const throughUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

describe('audit log canonical encoding (S-09)', () => {
  it('S-09: lone surrogates and NUL become U+FFFD; valid pairs stay', () => {
    expect(storableText('a\uD800b')).toBe('a\uFFFDb');
    expect(storableText('a\uDC00b\uD800')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('窓口😀')).toBe('窓口😀');
    expect(storableText('\uDBFF\uDFFF')).toBe('\uDBFF\uDFFF');
    // storable text survives the UTF-8 trip unchanged — the raw text does not
    const raw = 'x\uD83D'; // half of an emoji, e.g. after .slice(0, 64)
    expect(throughUtf8(storableText(raw))).toBe(storableText(raw));
    expect(throughUtf8(raw)).not.toBe(raw);
  });

  it('S-09: the detail is stored as the JSON value it reads back as', () => {
    expect(
      storableJson({
        k: 'a\uD800',
        '\u0000key': 1,
        u: undefined,
        n: Number.NaN,
        d: new Date(0),
        l: [undefined],
      }),
    ).toEqual({ k: 'a\uFFFD', '\uFFFDkey': 1, n: null, d: '1970-01-01T00:00:00.000Z', l: [null] });
  });

  it('S-09: canonical JSON sorts keys at every level, so jsonb key order does not matter', () => {
    const a = canonicalJson({ b: { y: 1, x: [{ q: 1, p: 2 }] }, a: 'é' });
    expect(a).toBe('{"a":"é","b":{"x":[{"p":2,"q":1}],"y":1}}');
    expect(canonicalJson({ a: 'é', b: { x: [{ p: 2, q: 1 }], y: 1 } })).toBe(a);
  });

  it('S-09: a row with a lone surrogate hashes the same before storing and after reading back', () => {
    const s = toStored(fields(0, { loginId: 'a\uD800b', detail: { reason: 'x\uDC00', big: 1e21, z: 0.1 } }));
    // read back: text through UTF-8, jsonb with its keys reordered and re-parsed
    const back = {
      ...s,
      loginId: throughUtf8(s.loginId!),
      detail: JSON.parse(throughUtf8(JSON.stringify({ z: 0.1, big: 1e21, reason: s.detail!.reason }))),
    };
    expect(keyedHash(key, GENESIS_HASH, back)).toBe(keyedHash(key, GENESIS_HASH, s));
  });

  it('S-09: the keyed hash depends on the key and on every column', () => {
    const s = toStored(fields(0));
    const h = keyedHash(key, GENESIS_HASH, s);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash(deriveAuditKey(randomBytes(32).toString('base64')), GENESIS_HASH, s)).not.toBe(h);
    expect(keyedHash(key, GENESIS_HASH, { ...s, result: 'failure' })).not.toBe(h);
    expect(keyedHash(key, GENESIS_HASH, { ...s, detail: { a: [0], b: 2 } })).not.toBe(h);
    expect(keyedHash(key, 'f'.repeat(64), s)).not.toBe(h);
  });
});

describe('audit log keyed hash chain (S-09)', () => {
  it('S-09: an intact chain verifies, also when legacy (v1) rows come first', () => {
    expect(walk(chain(5)).problems).toEqual([]);
    const mixed = walk(chain(6, 3));
    expect(mixed.problems).toEqual([]);
    expect(mixed.legacyRows).toBe(3);
    expect(mixed.head?.id).toBe('6');
  });

  it('S-09: an id gap with an intact link (a rolled-back insert) is not a deletion', () => {
    const rows = chain(3).map((r, i) => (i === 2 ? { ...r, id: '9' } : r));
    expect(walk(rows).problems).toEqual([]);
  });

  it('S-09: every changed range is reported, not only the first', () => {
    const rows = chain(10);
    for (const i of [1, 2, 3, 7]) rows[i] = { ...rows[i]!, result: 'failure' };
    expect(walk(rows).problems).toEqual([
      { kind: 'changed', fromId: '2', toId: '4' },
      { kind: 'changed', fromId: '8', toId: '8' },
    ]);
  });

  it('S-09: deleted middle rows and deleted first rows are reported as missing ranges', () => {
    const rows = chain(10);
    const kept = rows.filter((r) => !['1', '2', '5', '6', '7'].includes(r.id));
    expect(walk(kept).problems).toEqual([
      { kind: 'missing', fromId: '1', toId: '2' },
      { kind: 'missing', fromId: '5', toId: '7' },
    ]);
  });

  it('S-09: a rewritten hash column is one changed row, a rewritten link is the row holding it', () => {
    const a = chain(5);
    a[2] = { ...a[2]!, hash: 'a'.repeat(64) };
    expect(walk(a).problems).toEqual([{ kind: 'changed', fromId: '3', toId: '3' }]);
    const b = chain(5);
    b[3] = { ...b[3]!, prevHash: 'b'.repeat(64) };
    expect(walk(b).problems).toEqual([{ kind: 'changed', fromId: '4', toId: '4' }]);
  });

  it('S-09: a chain rebuilt with plain SHA-256 (no key) is detected; so is a legacy row after keyed ones', () => {
    const forged: ChainRow[] = [];
    let prev = GENESIS_HASH;
    for (const r of chain(4)) {
      const s = { ...r, result: 'failure' as const };
      const hash = createHash('sha256')
        .update(prev + JSON.stringify(s))
        .digest('hex');
      forged.push({ ...s, prevHash: prev, hash });
      prev = hash;
    }
    expect(walk(forged).problems).toEqual([{ kind: 'changed', fromId: '1', toId: '4' }]);

    const downgraded = chain(4);
    const s3 = downgraded[3]!;
    downgraded[3] = { ...s3, chainVersion: LEGACY_CHAIN, hash: legacyHash(s3.prevHash, s3) };
    expect(walk(downgraded).problems).toEqual([{ kind: 'changed', fromId: '4', toId: '4' }]);
  });
});

describe('audit log checkpoints (S-09)', () => {
  const cp = (rows: ChainRow[], i: number, time = `2026-12-01T00:0${i}:00.000Z`): Checkpoint => ({
    time,
    lastId: rows[i]!.id,
    lastHash: rows[i]!.hash,
    count: i + 1,
    keyId: '0123456789abcdef',
  });
  const compare = (rows: ChainRow[], cps: Checkpoint[]) => {
    const w = walkChain(key);
    const c = compareWithCheckpoints(cps);
    for (const r of rows) {
      w.push(r);
      c.push(r);
    }
    const done = w.finish();
    return c.finish(done.head, done.problems);
  };

  it('S-09: a chain that matches its checkpoints has no problem', () => {
    const rows = chain(6);
    expect(compare(rows, [cp(rows, 2), cp(rows, 5)])).toEqual([]);
  });

  it('S-09: rows deleted at the end are found through the newest checkpoint beyond the head', () => {
    const rows = chain(8);
    const problems = compare(rows.slice(0, 4), [cp(rows, 2), cp(rows, 5), cp(rows, 7)]);
    expect(problems).toEqual([{ kind: 'truncated', afterId: '4', checkpoint: cp(rows, 7) }]);
    expect(describeProblem(problems[0]!)).toBe(
      'tail truncated after row 4 (checkpoint 2026-12-01T00:07:00.000Z recorded row 8, 8 rows)',
    );
    expect(compare([], [cp(rows, 7)])).toEqual([
      { kind: 'truncated', afterId: null, checkpoint: cp(rows, 7) },
    ]);
  });

  it('S-09: newest rows deleted and the log carried on: the chain links over the gap, the checkpoint does not', () => {
    const rows = chain(10);
    // rows 8–10 deleted; the server appends ids 11 and 12 after row 7
    const kept = rows.slice(0, 7);
    let prev = kept[6]!.hash;
    for (const id of ['11', '12']) {
      const s = toStored(fields(Number(id)));
      const hash = keyedHash(key, prev, s);
      kept.push({ ...s, id, prevHash: prev, hash, chainVersion: KEYED_CHAIN });
      prev = hash;
    }
    expect(walk(kept).problems).toEqual([]);
    expect(compare(kept, [cp(rows, 9)])).toEqual([
      { kind: 'checkpoint-row-missing', id: '10', checkpoint: cp(rows, 9) },
      { kind: 'fewer', checkpoint: cp(rows, 9), now: 7 },
    ]);
  });

  it('S-09: a checkpoint whose hash differs from the row at its id means the chain was rewritten', () => {
    const rows = chain(6);
    const other = chain(6).map((r) => ({ ...r, hash: r.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) }));
    const problems = compare(rows, [cp(other, 2), cp(other, 4)]);
    expect(problems).toEqual([{ kind: 'rewritten', id: '3', checkpoint: cp(other, 2), more: 1 }]);
    expect(describeProblem(problems[0]!)).toContain('chain rewritten: row 3');
  });

  it('S-09: fewer rows than a checkpoint counted is reported unless a found break explains it', () => {
    const rows = chain(6);
    expect(compare(rows, [{ ...cp(rows, 4), count: 7 }])).toEqual([
      { kind: 'fewer', checkpoint: { ...cp(rows, 4), count: 7 }, now: 5 },
    ]);
    const holed = rows.filter((r) => r.id !== '2');
    expect(compare(holed, [cp(rows, 4)])).toEqual([]);
  });

  it('S-09: range messages', () => {
    expect(describeProblem({ kind: 'changed', fromId: '120', toId: '134' })).toBe(
      'rows 120–134 changed (content or link does not match the keyed hash)',
    );
    expect(describeProblem({ kind: 'missing', fromId: '200', toId: '210' })).toBe(
      'rows 200–210 missing (deleted)',
    );
    expect(describeProblem({ kind: 'missing', fromId: '7', toId: '7' })).toBe('row 7 missing (deleted)');
  });
});

describe('audit checkpoint settings (S-09)', () => {
  const base = { PUBLIC_URL: 'https://x.example.jp', ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  it('S-09: AUDIT_CHECKPOINT_SYSLOG is host:port, checked at start', () => {
    expect(
      loadConfig({ ...base, AUDIT_CHECKPOINT_SYSLOG: 'log.city.example.jp:514' }).AUDIT_CHECKPOINT_SYSLOG,
    ).toEqual({
      host: 'log.city.example.jp',
      port: 514,
    });
    expect(loadConfig({ ...base, AUDIT_CHECKPOINT_SYSLOG: '[::1]:1514' }).AUDIT_CHECKPOINT_SYSLOG).toEqual({
      host: '::1',
      port: 1514,
    });
    expect(loadConfig(base).AUDIT_CHECKPOINT_SYSLOG).toBeUndefined();
    for (const bad of ['log.example.jp', 'udp://x:514', 'x:0', 'x:70000'])
      expect(() => loadConfig({ ...base, AUDIT_CHECKPOINT_SYSLOG: bad })).toThrow(/AUDIT_CHECKPOINT_SYSLOG/);
  });
});
