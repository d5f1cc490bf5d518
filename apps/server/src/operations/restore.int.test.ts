import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/database.ts';
import { createDesk } from '../modules/consultation/desks.service.ts';
import { runMadoguchi } from '../testing/cli.ts';
import { deskInput } from '../testing/desk-input.ts';
import { TEST_ENCRYPTION_KEY } from '../testing/test-server.ts';
import { waitFor } from '../testing/wait-for.ts';
import {
  baseBackup,
  findPgBinDir,
  initCluster,
  type PgServer,
  serverAt,
  serverDir,
  startServer,
} from './postgres-server.ts';

// Restore drill (C-14, D-01, issue 16): a primary archiving its WAL (archive_mode=on), the product's
// tables made by `madoguchi migrate`, rows written, `madoguchi backup`, more rows, the cut time T,
// rows after T, the WAL switched; then `madoguchi restore --to T` as a child process, and the restored
// server holds exactly the rows up to T.

let root: string;
let archive: string;
let primary: PgServer;
let db: Db;
let restored: PgServer | undefined;

const desk = (slug: string, name: string) =>
  deskInput({
    name,
    slug,
    hours: { '1': [{ start: '09:00', end: '17:00' }], '2': [{ start: '09:00', end: '20:30' }] },
  });

function madoguchi(args: string[], env: Record<string, string> = {}) {
  const database = { databaseUrl: primary.url('madoguchi'), config: { ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } };
  return runMadoguchi(database, args, env);
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closes the current WAL file and waits until archive_command has copied it. */
async function switchAndArchive() {
  const [{ wal }] = (await sql<{ wal: string }>(
    primary.url('madoguchi'),
    'select pg_walfile_name(pg_switch_wal()) as wal',
  )) as [{ wal: string }];
  await waitFor(async () => existsSync(path.join(archive, wal)), Boolean, {
    what: `archived WAL ${wal}`,
    timeoutMs: 20_000,
  });
}

beforeAll(async () => {
  const binDir = findPgBinDir();
  root = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-restore-'));
  chmodSync(root, 0o755);
  archive = serverDir(path.join(root, 'archive'));
  await initCluster(binDir, path.join(root, 'primary'));
  primary = await startServer({
    binDir,
    dataDir: path.join(root, 'primary'),
    settings: {
      archive_mode: true,
      archive_command: `test ! -f ${archive}/%f && cp %p ${archive}/%f`,
    },
  });
  await sql(primary.url(), 'create database madoguchi');
  const migrate = madoguchi(['migrate']);
  expect(migrate.stderr).toBe('');
  expect(migrate.status).toBe(0);
  db = createDb(primary.url('madoguchi'), 2).db;
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await restored?.stop();
  await primary?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('restore to a point in time (C-14, D-01)', () => {
  it('C-14 D-01: madoguchi backup, then madoguchi restore --to T brings back the rows up to T and none after', async () => {
    await createDesk(db, desk('before-backup', '基礎バックアップ前の窓口'));
    const backup = madoguchi(['backup', '--out', path.join(root, 'base'), '--max-rate', '100M']);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    expect(existsSync(path.join(root, 'base', 'base.tar'))).toBe(true);

    await createDesk(db, desk('before-cut', '切り戻し時点前の窓口'));
    await sleep(1100);
    const cut = new Date();
    await sleep(1100);
    await createDesk(db, desk('after-cut', '切り戻し時点後の窓口'));
    await switchAndArchive();

    // The cut time with its offset, as a city would type it (Asia/Tokyo).
    const tokyo = new Date(cut.getTime() + 9 * 3600_000).toISOString().replace('Z', '+09:00');
    const r = madoguchi([
      'restore',
      '--base',
      path.join(root, 'base'),
      '--wal',
      archive,
      '--to',
      tokyo,
      '--data',
      path.join(root, 'restored'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`restored to ${cut.toISOString()}`);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      port: number;
      data: string;
      lastTransaction: string | null;
    };
    expect(r.stdout).toContain(`DATABASE_URL=postgres://postgres@127.0.0.1:${summary.port}/madoguchi`);
    restored = serverAt(findPgBinDir(), summary.data, summary.port);
    expect(new Date(summary.lastTransaction!).getTime()).toBeLessThanOrEqual(cut.getTime());

    const slugs = await sql<{ slug: string }>(
      restored.url('madoguchi'),
      'select slug from desks order by created_at',
    );
    expect(slugs.map((s) => s.slug)).toEqual(['before-backup', 'before-cut']);
    // promoted: it takes writes
    await sql(restored.url('madoguchi'), "update desks set name = name where slug = 'before-cut'");
  }, 120_000);

  it('C-14: a plain-format base backup (pg_basebackup without -F t) restores the same way', async () => {
    const base = path.join(root, 'base-plain');
    await baseBackup({ binDir: findPgBinDir(), from: primary, dir: base, format: 'plain' });
    await createDesk(db, desk('plain-before-cut', '平文形式・時点前'));
    await sleep(1100);
    const cut = new Date();
    await sleep(1100);
    await createDesk(db, desk('plain-after-cut', '平文形式・時点後'));
    await switchAndArchive();
    const r = madoguchi([
      'restore',
      '--base',
      base,
      '--wal',
      archive,
      '--to',
      cut.toISOString(),
      '--data',
      path.join(root, 'restored-plain'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(plain)');
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { port: number; data: string };
    const plain = serverAt(findPgBinDir(), summary.data, summary.port);
    try {
      const slugs = await sql<{ slug: string }>(
        plain.url('madoguchi'),
        'select slug from desks order by created_at',
      );
      expect(slugs.map((s) => s.slug)).toEqual([
        'before-backup',
        'before-cut',
        'after-cut',
        'plain-before-cut',
      ]);
    } finally {
      await plain.stop();
    }
  }, 120_000);

  it('C-14: bad input exits with code 2 and a message, and writes into nothing that exists', async () => {
    const base = path.join(root, 'base');
    const occupied = path.join(root, 'occupied');
    mkdirSync(occupied);
    writeFileSync(path.join(occupied, 'keep.txt'), 'city data');
    const fresh = path.join(root, 'never-made');
    const cases: [string[], RegExp][] = [
      [['--wal', archive, '--to', 'end-of-yesterday', '--data', fresh], /--base is required/],
      [
        ['--base', path.join(root, 'nope'), '--wal', archive, '--to', 'end-of-yesterday', '--data', fresh],
        /--base: .* is not a directory/,
      ],
      [
        ['--base', archive, '--wal', archive, '--to', 'end-of-yesterday', '--data', fresh],
        /is no base backup/,
      ],
      [
        ['--base', base, '--wal', path.join(root, 'nope'), '--to', 'end-of-yesterday', '--data', fresh],
        /--wal: .* is not a directory/,
      ],
      [
        ['--base', base, '--wal', archive, '--to', 'yesterday evening', '--data', fresh],
        /--to: "yesterday evening" is not an ISO time/,
      ],
      [['--base', base, '--wal', archive, '--to', '2026-12-03T21:00:00', '--data', fresh], /with an offset/],
      [['--base', base, '--wal', archive, '--to', '2999-01-01T00:00:00Z', '--data', fresh], /in the future/],
      [
        [
          '--base',
          base,
          '--wal',
          archive,
          '--to',
          'end-of-yesterday',
          '--hours-end',
          '25:00',
          '--data',
          fresh,
        ],
        /--hours-end/,
      ],
      [
        ['--base', base, '--wal', archive, '--to', '2026-12-03T21:00:00+09:00', '--data', occupied],
        /exists and is not empty/,
      ],
      [
        [
          '--base',
          base,
          '--wal',
          archive,
          '--to',
          '2026-12-03T21:00:00+09:00',
          '--data',
          fresh,
          '--port',
          '70000',
        ],
        /--port: "70000"/,
      ],
      [
        [
          '--base',
          base,
          '--wal',
          archive,
          '--to',
          '2026-12-03T21:00:00+09:00',
          '--data',
          fresh,
          '--port',
          'x',
        ],
        /--port: "x"/,
      ],
      // yesterday's end of reception hours is before today's base backup
      [
        ['--base', base, '--wal', archive, '--to', 'end-of-yesterday', '--data', fresh],
        /before the base backup/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = madoguchi(['restore', ...args]);
      expect({ args, status: r.status, stderr: r.stderr }).toMatchObject({
        status: 2,
        stderr: expect.stringMatching(message),
      });
    }
    expect(readdirSync(occupied)).toEqual(['keep.txt']);
    expect(readFileSync(path.join(occupied, 'keep.txt'), 'utf8')).toBe('city data');
    expect(existsSync(fresh)).toBe(false);

    const noOut = madoguchi(['backup']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/--out is required/);
    const badRate = madoguchi(['backup', '--out', fresh, '--max-rate', 'fast']);
    expect(badRate.status).toBe(2);
    expect(badRate.stderr).toMatch(/--max-rate: "fast"/);
    const noDatabase = madoguchi(['backup', '--out', fresh], { DATABASE_URL: '' });
    expect(noDatabase.status).toBe(2);
    expect(noDatabase.stderr).toMatch(/DATABASE_URL is required/);
    const notEmpty = madoguchi(['backup', '--out', occupied]);
    expect(notEmpty.status).toBe(2);
    expect(notEmpty.stderr).toMatch(/exists and is not empty/);
    expect(readdirSync(occupied)).toEqual(['keep.txt']);
  }, 120_000);
});
