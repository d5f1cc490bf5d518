import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modules } from '../app.ts';
import { lineEventHandlers } from './define-module.ts';

// The module shape (README.md): one `<name>.module.ts` per folder, every module listed in app.ts,
// and the README's table of LINE event handlers matching the modules' declarations.

const here = import.meta.dirname;
const folders = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('one module shape', () => {
  it('every module folder has exactly one <name>.module.ts and is listed in app.ts', () => {
    for (const folder of folders) {
      const files = readdirSync(join(here, folder)).filter((f) => f.endsWith('.module.ts'));
      expect(files, folder).toEqual([`${folder}.module.ts`]);
    }
    expect(modules.map((m) => m.name).sort()).toEqual([...folders].sort());
  });

  it('the README lists who handles each LINE event, in dispatch order', () => {
    const readme = readFileSync(join(here, 'README.md'), 'utf8');
    const table = readme.split('<!-- line-events:start -->')[1]!.split('<!-- line-events:end -->')[0]!;
    const rows = table
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .slice(2)
      .map((l) => l.split('|').map((c) => c.trim()));
    const documented = Object.fromEntries(rows.map(([, type, names]) => [type, names!.split(', ')]));
    expect(documented).toEqual(Object.fromEntries(lineEventHandlers(modules)));
  });
});
