import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createScratchDatabase } from '../../apps/server/src/db/scratch-database.ts';
import { demoDesks } from '../../apps/server/src/demo/demo-desks.ts';
import { exportAllData } from '../../apps/server/src/handover/handover-export.ts';
import { createChannelsService } from '../../apps/server/src/modules/channels/channels.service.ts';
import { createConsultationKeys } from '../../apps/server/src/modules/consultation/consultation-keys.ts';
import { createDesk } from '../../apps/server/src/modules/consultation/desks.service.ts';
import { createCipher } from '../../apps/server/src/platform/crypto.ts';
import { openDatabase } from '../../apps/server/src/runtime.ts';
import { MADOGUCHI_BIN } from '../../apps/server/src/testing/cli.ts';
import { seedFriendsWithAttributes } from '../../apps/server/src/testing/seed-friends.ts';
import { guardBenchmark } from '../guard.ts';

// Contract-end export and purge at scale (C-16, S-13, issue 16): BENCH_FRIENDS (200,000) friends with
// registration answers and BENCH_MESSAGES (100,000) consultation messages sealed with their
// consultations' data keys (100 messages a consultation) are seeded, then `madoguchi export --out`
// and `madoguchi purge --yes` run as the real command in a child process. This process samples the
// child's resident memory from /proc every 20 ms: the export reads every table page by page, so its
// peak must not grow with the rows. The same export then runs once more in this process (started
// with --expose-gc), its heap measured after a garbage collection every 300 ms: what the export keeps
// (RSS also counts garbage V8 has not collected yet). Prints the time, rows per second, the peak RSS,
// the heap kept and the size written; the last line is one JSON object. Only 127.0.0.1 is contacted.
//
// Environment:
//   DATABASE_URL    PostgreSQL server to create the bench database on (else embedded PostgreSQL)
//   BENCH_FRIENDS   friends to seed (default 200000)
//   BENCH_MESSAGES  consultation messages to seed (default 100000)

const HARD_LIMIT_MS = 900_000;
const intEnv = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 ? v : fallback;
};
const FRIENDS = intEnv('BENCH_FRIENDS', 200_000);
const MESSAGES = intEnv('BENCH_MESSAGES', 100_000);
const PER_CONSULTATION = 100;

const startedAt = performance.now();
const log = (msg: string) =>
  console.log(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

const work = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-bench-handover-'));
const scratch = process.env.DATABASE_URL
  ? await createScratchDatabase(process.env.DATABASE_URL, 'madoguchi_bench')
  : null;
const config = loadConfig({
  PUBLIC_URL: 'https://bench.example.jp',
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  DATA_DIR: path.join(work, 'data'),
  LOG_LEVEL: 'silent',
  ...(scratch ? { DATABASE_URL: scratch.url } : {}),
});
const database = await openDatabase(config);
const stop = async () => {
  await database.close().catch(() => {});
  await scratch?.drop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
};
const hardLimit = guardBenchmark(stop, HARD_LIMIT_MS);

/** Runs `madoguchi <args>`; the child's peak RSS sampled from /proc every 20 ms. */
function runCommand(args: string[]) {
  return new Promise<{
    ms: number;
    peakRssMb: number;
    status: number | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [MADOGUCHI_BIN, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: database.databaseUrl,
        ENCRYPTION_KEY: config.ENCRYPTION_KEY,
        PUBLIC_URL: config.PUBLIC_URL,
        LOG_LEVEL: 'error',
      },
    });
    let peakKb = 0;
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
      } catch {}
    }, 20);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      clearInterval(sample);
      resolve({
        ms: performance.now() - t0,
        peakRssMb: Math.round(peakKb / 102.4) / 10,
        status,
        stdout,
        stderr,
      });
    });
  });
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (s, e) => s + (e.isDirectory() ? sizeOf(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0,
  );
}

try {
  const db = database.db;
  const cipher = createCipher(config.ENCRYPTION_KEY);
  const channel = await createChannelsService({ db, cipher, publicUrl: config.PUBLIC_URL }).create({
    name: 'ベンチ市',
    lineChannelId: '2400000999',
    channelSecret: randomBytes(16).toString('hex'),
    accessToken: randomBytes(32).toString('base64url'),
    environment: 'production',
  });
  log(`seeding ${FRIENDS.toLocaleString('en-US')} friends with attributes`);
  await seedFriendsWithAttributes(db, { channelId: channel.id, count: FRIENDS, tag: 'bench' });
  log(`seeding ${MESSAGES.toLocaleString('en-US')} consultation messages (sealed with data keys)`);
  const desk = await createDesk(db, {
    ...demoDesks(null as unknown as string)[1]!,
    channelId: null,
    accessCode: null,
  });
  const keys = createConsultationKeys(db, cipher);
  for (let done = 0; done < MESSAGES; done += PER_CONSULTATION) {
    const consultee = await db
      .insertInto('consultees')
      .values({ channel_id: null, line_user_id: null, web_token_hash: null, label: `相談者${done}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const key = keys.create();
    const consultation = await db
      .insertInto('consultations')
      .values({
        desk_id: desk.id,
        consultee_id: consultee.id,
        origin: 'web',
        data_key_enc: key.enc,
        status: 'closed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const n = Math.min(PER_CONSULTATION, MESSAGES - done);
    await db
      .insertInto('consultation_messages')
      .values(
        Array.from({ length: n }, (_, i) => ({
          consultation_id: consultation.id,
          sender: i % 2 ? ('counselor' as const) : ('consultee' as const),
          kind: 'text' as const,
          account_id: null,
          client_id: null,
          body_enc: key.cipher.encryptBytes(
            Buffer.from(`相談の本文 ${done + i}：学校のことで悩んでいます。`, 'utf8'),
          ),
        })),
      )
      .execute();
  }

  const out = path.join(work, 'export');
  log('madoguchi export');
  const exported = await runCommand(['export', '--out', out]);
  if (exported.status !== 0) throw new Error(`export failed: ${exported.stderr}`);
  const summary = JSON.parse(exported.stdout.trim().split('\n').at(-1)!) as {
    tables: number;
    totalRows: number;
  };
  const bytes = sizeOf(out);
  log(
    `export: ${summary.totalRows.toLocaleString('en-US')} rows in ${summary.tables} tables, ${(exported.ms / 1000).toFixed(1)} s ` +
      `(${Math.round(summary.totalRows / (exported.ms / 1000)).toLocaleString('en-US')} rows/s), peak RSS ${exported.peakRssMb} MiB, ${mib(bytes)} MiB written`,
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  let heap: { beforeMb: number; peakAfterGcMb: number } | null = null;
  if (gc) {
    log('the same export in this process, heap after GC sampled');
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 300);
    await exportAllData(
      { db, cipher, keys: createConsultationKeys(db, cipher) },
      path.join(work, 'export-in-process'),
      'bench',
    );
    clearInterval(sampler);
    heap = { beforeMb: mib(before), peakAfterGcMb: mib(peak) };
    log(
      `heap kept by the export: ${heap.beforeMb} MiB before, at most ${heap.peakAfterGcMb} MiB after GC while exporting`,
    );
  } else {
    log('(run with node --expose-gc to also measure the heap the export keeps)');
  }
  log('madoguchi purge --yes');
  const purged = await runCommand(['purge', '--yes', '--out', path.join(work, 'certificate')]);
  if (purged.status !== 0) throw new Error(`purge failed: ${purged.stderr}`);
  const deleted = JSON.parse(purged.stdout.trim().split('\n').at(-1)!) as { total: number; dataKeys: number };
  log(
    `purge: ${deleted.total.toLocaleString('en-US')} rows and ${deleted.dataKeys} data keys in ${(purged.ms / 1000).toFixed(1)} s, peak RSS ${purged.peakRssMb} MiB`,
  );
  clearTimeout(hardLimit);
  console.log(
    JSON.stringify({
      bench: 'handover',
      friends: FRIENDS,
      messages: MESSAGES,
      export: {
        rows: summary.totalRows,
        tables: summary.tables,
        seconds: Math.round(exported.ms / 100) / 10,
        rowsPerSecond: Math.round(summary.totalRows / (exported.ms / 1000)),
        peakRssMb: exported.peakRssMb,
        writtenMb: mib(bytes),
        heap,
      },
      purge: {
        rows: deleted.total,
        dataKeys: deleted.dataKeys,
        seconds: Math.round(purged.ms / 100) / 10,
        peakRssMb: purged.peakRssMb,
      },
    }),
  );
} finally {
  await stop();
}
