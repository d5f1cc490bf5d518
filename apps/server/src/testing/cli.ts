import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './test-server.ts';

// The real `madoguchi` command, run against a test server's database and key.

export const MADOGUCHI_BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../bin/madoguchi.js',
);

/** `server`: a test server, or any database with its key (a drill's PostgreSQL). */
export function runMadoguchi(
  server: Pick<TestServer, 'databaseUrl'> & { config: Pick<TestServer['config'], 'ENCRYPTION_KEY'> },
  args: string[],
  env: Record<string, string> = {},
) {
  return spawnSync(process.execPath, [MADOGUCHI_BIN, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: server.databaseUrl,
      ENCRYPTION_KEY: server.config.ENCRYPTION_KEY,
      PUBLIC_URL: 'https://madoguchi.example.jp',
      LOG_LEVEL: 'error',
      ...env,
    },
  });
}
