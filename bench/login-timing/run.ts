import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../apps/server/src/config.ts';
import { startEmbeddedPostgres } from '../../apps/server/src/db/embedded-postgres.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { createAccount } from '../../apps/server/src/modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../../apps/server/src/modules/accounts/roles.repository.ts';
import { createRuntime } from '../../apps/server/src/runtime.ts';

// S-08 (issue 8 §3): a sign-in with an unknown login ID must take about as long as a wrong password
// for a real one (the server runs argon2 against a dummy hash), so IDs cannot be told apart by time.
// Timing belongs here, not in a test: this prints the figures. Each attempt comes from its own
// address (X-Forwarded-For behind a trusted 127.0.0.1), so throttling never enters the figures.
//   DATABASE_URL  PostgreSQL server for a scratch database (else embedded PostgreSQL)
//   ROUNDS        attempts of each kind (default 30)

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-login-'));
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dir, { database: 'postgres' });
const database = await createScratchDatabase(process.env.DATABASE_URL || embedded!.url, 'madoguchi_bench');
const rt = await createRuntime(
  loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: database.url,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TRUSTED_PROXIES: '127.0.0.1/32',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  }),
  { workers: false },
);
try {
  const url = await rt.app.listen({ host: '127.0.0.1', port: 0 });
  const role = await findRoleByKey(rt.db, 'general');
  await createAccount(rt.db, {
    loginId: 'bench-staff',
    displayName: 'ベンチ',
    roleId: role!.id,
    password: 'Correct-Horse-9-Battery',
    mustChangePassword: false,
  });
  let n = 0;
  const attempt = async (loginId: string) => {
    n++;
    const started = performance.now();
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`,
      },
      body: JSON.stringify({ loginId, password: `wrong-${n}` }),
    });
    await res.arrayBuffer();
    if (res.status !== 401) throw new Error(`unexpected ${res.status}`);
    return performance.now() - started;
  };
  await attempt('warm-up');
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    known.push(await attempt('bench-staff'));
    unknown.push(await attempt(`nobody-${i}`));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures = {
    rounds: ROUNDS,
    knownMedianMs: Math.round(median(known) * 10) / 10,
    unknownMedianMs: Math.round(median(unknown) * 10) / 10,
    knownMinMs: Math.round(Math.min(...known) * 10) / 10,
    unknownMinMs: Math.round(Math.min(...unknown) * 10) / 10,
    medianRatio: Math.round((median(unknown) / median(known)) * 100) / 100,
  };
  console.log(
    `wrong password for a real ID: median ${figures.knownMedianMs} ms; unknown ID: median ${figures.unknownMedianMs} ms (ratio ${figures.medianRatio})`,
  );
  console.log(JSON.stringify(figures));
} finally {
  await rt.close();
  await database.drop();
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
}
