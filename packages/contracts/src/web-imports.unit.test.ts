import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The web apps take types from any contract file but values only from zod-free ones: a zod schema
// built when its module loads probes `new Function`, which the apps' CSP forbids (script-src without
// 'unsafe-eval'), and it would add zod (~28 KB gz) to the bundle. The e2e CSP check sees the
// violation in a browser; this test names the import that causes it, without one.

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const WEB_APPS = ['apps/console/src', 'apps/citizen/src', 'packages/line-simulator/phone/src'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

// Every import but `import type` (with verbatimModuleSyntax even `import { type X }` still loads the module).
const valueImports = (code: string, from: RegExp) =>
  [...code.matchAll(/^import (?!type )([^;]*?) from '([^']+)';/gms)].filter((m) => from.test(m[2] ?? ''));

/** Whether a contract file loads zod at run time, itself or through the contract files it imports. */
function loadsZod(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const code = readFileSync(path.join(here, file), 'utf8');
  if (valueImports(code, /^zod(\/|$)/).length > 0) return true;
  return valueImports(code, /^\.\/.+\.tsx?$/).some((m) => loadsZod(path.normalize(m[2]!.slice(2)), seen));
}

describe('web apps and the contract', () => {
  it('import values only from zod-free contract files (types from any)', () => {
    const offenders = WEB_APPS.flatMap((dir) =>
      sourceFiles(path.join(root, dir)).flatMap((f) =>
        valueImports(readFileSync(f, 'utf8'), /^@madoguchi\/contracts\//)
          .map((m) => m[2]!.replace('@madoguchi/contracts/', ''))
          .filter((file) => loadsZod(file))
          .map((file) => `${path.relative(root, f)} imports values from contracts/${file}, which loads zod`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('can tell: a contract file with zod schemas is recognised', () => {
    expect(loadsZod('segments.schema.ts')).toBe(true);
    expect(loadsZod('segments.ts')).toBe(false);
  });
});
