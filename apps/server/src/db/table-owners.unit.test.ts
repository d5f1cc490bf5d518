import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { READ_JOINS, TABLE_OWNERS, type Table } from './table-owners.ts';

// Keeps issue 10 so: SQL only in repositories, and a repository names only its module's tables
// (or a read join declared in READ_JOINS). README "Tables and owners" mirrors TABLE_OWNERS.

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (f: string) => path.relative(src, f).split(path.sep).join('/');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Test support (seeds and fixtures), not product code. */
const isTestSupport = (f: string) => rel(f).split('/').includes('testing');
/** The segments repository's predicate compiler: it builds the SQL `where` its repository runs. */
const SQL_BUILDERS = ['modules/segments/segment.compiler.ts'];
const isRepository = (f: string) => f.endsWith('.repository.ts') || SQL_BUILDERS.includes(rel(f));

const stripComments = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const SQL = /\b(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql(<[^>`]*>)?`/g;
const tables = Object.keys(TABLE_OWNERS) as Table[];
const isTable = (t: string): t is Table => (tables as string[]).includes(t);

function tablesNamed(code: string) {
  const read = new Set<Table>();
  const written = new Set<Table>();
  const kysely =
    /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin)\(\s*'([a-z_]+)/g;
  for (const [, call, t] of code.matchAll(kysely)) {
    if (!t || !isTable(t)) continue;
    (call === 'selectFrom' || call?.endsWith('Join') ? read : written).add(t);
  }
  for (const [, word, t] of code.matchAll(/\b(from|join|update|into)\s+([a-z_]+)\b/gi)) {
    if (!t || !isTable(t)) continue;
    (/^(update|into)$/i.test(word ?? '') ? written : read).add(t);
  }
  for (const [, t] of code.matchAll(/\bdelete\s+from\s+([a-z_]+)\b/gi)) if (t && isTable(t)) written.add(t);
  return { read, written };
}

const repositories = [...tsFiles(path.join(src, 'modules')), ...tsFiles(path.join(src, 'platform'))].filter(
  isRepository,
);

describe('every table has one owner', () => {
  it('has SQL only in repositories (modules/**)', () => {
    const offenders = tsFiles(path.join(src, 'modules'))
      .filter((f) => !isRepository(f) && !isTestSupport(f))
      .flatMap((f) => {
        const code = stripComments(readFileSync(f, 'utf8'));
        return [...code.matchAll(SQL)].map((m) => {
          const line = code.slice(0, m.index).split('\n').length;
          return `${rel(f)}:${line} ${m[0]}`;
        });
      });
    expect(offenders).toEqual([]);
  });

  it('has each repository name only the tables its module owns (or declared read joins)', () => {
    const offenders = repositories.flatMap((f) => {
      const module = path.dirname(rel(f));
      const { read, written } = tablesNamed(stripComments(readFileSync(f, 'utf8')));
      const joins = READ_JOINS[module] ?? [];
      return [
        ...[...written].filter((t) => TABLE_OWNERS[t] !== module).map((t) => `${rel(f)} writes ${t}`),
        ...[...read]
          .filter((t) => TABLE_OWNERS[t] !== module && !joins.includes(t))
          .map((t) => `${rel(f)} reads ${t} (owner ${TABLE_OWNERS[t]})`),
      ];
    });
    expect(offenders).toEqual([]);
  });

  it('has routes call services: no route or socket imports a repository (types aside)', () => {
    const offenders = tsFiles(path.join(src, 'modules'))
      .filter((f) => /\.(routes|ws)\.ts$/.test(f))
      .flatMap((f) =>
        [
          ...readFileSync(f, 'utf8').matchAll(/^import (?!type )[^;]*?from '([^']+\.repository\.ts)';/gms),
        ].map((m) => `${rel(f)} imports ${m[1]}`),
      );
    expect(offenders).toEqual([]);
  });

  it("has other modules go through a module's service: no module imports another module's repository", () => {
    const offenders = tsFiles(path.join(src, 'modules'))
      .filter((f) => !isTestSupport(f))
      .flatMap((f) =>
        [
          ...readFileSync(f, 'utf8').matchAll(
            /^import (?!type )[^;]*?from '\.\.\/([^/']+)\/[^']+\.repository\.ts';/gms,
          ),
        ]
          .filter((m) => m[1] !== '..' && m[1] !== path.dirname(rel(f)).split('/')[1])
          .map((m) => `${rel(f)} imports ${m[1]}'s repository`),
      );
    expect(offenders).toEqual([]);
  });

  it('owns every table of the schema, and the README lists the same owners', () => {
    const schema = readFileSync(path.join(src, 'db/schema.ts'), 'utf8');
    const body = schema.slice(schema.indexOf('export interface Database'));
    const inSchema = [...body.slice(0, body.indexOf('\n}')).matchAll(/^\s+([a-z_]+):/gm)].map((m) => m[1]);
    expect([...inSchema].sort()).toEqual([...tables].sort());
    const readme = readFileSync(path.join(src, 'modules/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Tables and owners'));
    const rows = new Map(
      [...section.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*`([a-z/-]+)`\s*\|/gm)].map((m) => [m[1], m[2]]),
    );
    expect(Object.fromEntries(rows)).toEqual(TABLE_OWNERS);
  });
});
