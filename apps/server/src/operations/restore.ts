import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb } from '../db/database.ts';
import { receptionEnd, tokyoClock } from '../modules/consultation/desk-hours.ts';
import { listDeskRows } from '../modules/consultation/desks.repository.ts';
import {
  baseBackup,
  findPgBinDir,
  giveToServer,
  type PgServer,
  serverDir,
  startServer,
  writeSettings,
} from './postgres-server.ts';

// Point-in-time restore (C-14, D-01): a new data directory from a base backup (pg_basebackup, plain or
// tar) and the WAL archive, recovered up to a time and promoted, on its own port. Nothing existing is
// written into: the data directory must be absent or empty, and what this made is removed when it fails.

const run = promisify(execFile);

/** Input that cannot be restored from (exit code 2); nothing was changed. */
export class RestoreInputError extends Error {}

export interface RestoreOptions {
  base?: string;
  wal?: string;
  to?: string;
  data?: string;
  /** As typed (`--port`): 1–65535. */
  port?: string;
  /** The end of reception hours when the desks cannot be read (HH:MM, Asia/Tokyo). */
  hoursEnd?: string;
  /** The current database, for the desks' hours (`end-of-yesterday`). */
  databaseUrl?: string;
  now?: Date;
}

export interface RestoreResult {
  server: PgServer;
  target: Date;
  targetSource: string;
  lastTransaction: Date | null;
}

const DEFAULT_HOURS_END = '21:00';

/**
 * `--to`: an ISO 8601 time with its offset (2026-12-03T21:00:00+09:00, …Z), or `end-of-yesterday`:
 * yesterday's (Asia/Tokyo) end of reception hours — the latest closing of the desks' weekly hours for
 * that weekday, read from the current database; if it cannot be read or no desk was open, `hoursEnd`.
 */
export async function resolveTarget(
  to: string,
  opts: { hoursEnd?: string; databaseUrl?: string; now?: Date },
): Promise<{ target: Date; source: string }> {
  if (to !== 'end-of-yesterday') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(to))
      throw new RestoreInputError(
        `--to: "${to}" is not an ISO time with an offset (e.g. 2026-12-03T21:00:00+09:00) nor end-of-yesterday`,
      );
    const t = new Date(to);
    if (Number.isNaN(t.getTime())) throw new RestoreInputError(`--to: "${to}" is not a valid time`);
    return { target: t, source: 'given' };
  }
  const hoursEnd = opts.hoursEnd ?? DEFAULT_HOURS_END;
  const hm = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hoursEnd);
  if (!hm || (hm[1] === '24' && hm[2] !== '00'))
    throw new RestoreInputError(`--hours-end: "${hoursEnd}" is not HH:MM (00:00–24:00)`);
  const now = opts.now ?? new Date();
  const yesterday = tokyoClock(new Date(now.getTime() - 24 * 3600_000)).date;
  if (opts.databaseUrl) {
    const fromDesks = await desksEnd(opts.databaseUrl, yesterday).catch(() => undefined);
    if (fromDesks) return { target: fromDesks, source: `the desks' hours of ${yesterday} (Asia/Tokyo)` };
  }
  const minutes = Number(hm[1]) * 60 + Number(hm[2]);
  return {
    target: new Date(Date.parse(`${yesterday}T00:00:00+09:00`) + minutes * 60_000),
    source: `--hours-end ${hoursEnd} of ${yesterday} (Asia/Tokyo)`,
  };
}

/** The desks' latest closing on a date, from the database at `url`; undefined if it cannot be read in 5 s. */
async function desksEnd(url: string, date: string): Promise<Date | undefined> {
  const { db } = createDb(url, 1);
  let timer: NodeJS.Timeout | undefined;
  try {
    const rows = await Promise.race([
      listDeskRows(db),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), 5000);
      }),
    ]);
    return (
      receptionEnd(
        rows.map((r) => r.hours),
        date,
      ) ?? undefined
    );
  } finally {
    clearTimeout(timer);
    void db.destroy().catch(() => {});
  }
}

type BaseFormat = { kind: 'plain' } | { kind: 'tar'; base: string; wal: string | null };

function baseFormat(dir: string): BaseFormat {
  if (existsSync(path.join(dir, 'backup_label')) && existsSync(path.join(dir, 'PG_VERSION')))
    return { kind: 'plain' };
  const tar = ['base.tar', 'base.tar.gz'].find((f) => existsSync(path.join(dir, f)));
  if (!tar)
    throw new RestoreInputError(
      `--base: ${dir} is no base backup (neither backup_label of the plain format nor base.tar[.gz] of the tar format)`,
    );
  const wal = ['pg_wal.tar', 'pg_wal.tar.gz'].find((f) => existsSync(path.join(dir, f)));
  return { kind: 'tar', base: path.join(dir, tar), wal: wal ? path.join(dir, wal) : null };
}

/** START TIME of a backup_label ("2026-12-04 18:50:01 UTC"). */
function backupStart(label: string): Date | null {
  const m = /^START TIME: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (\S+)$/m.exec(label);
  if (!m) return null;
  const zone = m[2] === 'UTC' || m[2] === 'GMT' ? 'Z' : /^[+-]\d{2}$/.test(m[2]!) ? `${m[2]}:00` : null;
  return zone ? new Date(`${m[1]!.replace(' ', 'T')}${zone}`) : null;
}

const isEmptyDir = (dir: string) => statSync(dir).isDirectory() && readdirSync(dir).length === 0;

/** Restores; throws RestoreInputError for input that cannot be used, with nothing left behind. */
export async function restore(opts: RestoreOptions, out: (line: string) => void): Promise<RestoreResult> {
  for (const name of ['base', 'wal', 'to', 'data'] as const)
    if (!opts[name]) throw new RestoreInputError(`--${name} is required`);
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!/^\d+$/.test(opts.port!) || port < 1 || port > 65535))
    throw new RestoreInputError(`--port: "${opts.port}" is not a port number (1–65535)`);
  const base = path.resolve(opts.base!);
  const wal = path.resolve(opts.wal!);
  const data = path.resolve(opts.data!);
  if (!existsSync(base) || !statSync(base).isDirectory())
    throw new RestoreInputError(`--base: ${base} is not a directory`);
  if (!existsSync(wal) || !statSync(wal).isDirectory())
    throw new RestoreInputError(`--wal: ${wal} is not a directory`);
  const dataExisted = existsSync(data);
  if (dataExisted && !isEmptyDir(data))
    throw new RestoreInputError(`--data: ${data} exists and is not empty; give a new directory`);
  const format = baseFormat(base);
  const { target, source } = await resolveTarget(opts.to!, opts);
  const now = opts.now ?? new Date();
  if (target.getTime() > now.getTime())
    throw new RestoreInputError(`--to: ${target.toISOString()} is in the future`);
  if (format.kind === 'plain')
    checkAfterBackup(readFileSync(path.join(base, 'backup_label'), 'utf8'), target);
  let binDir: string;
  try {
    binDir = findPgBinDir();
  } catch (err) {
    throw new RestoreInputError((err as Error).message);
  }

  const cleanUp = () => {
    if (dataExisted)
      for (const f of readdirSync(data)) rmSync(path.join(data, f), { recursive: true, force: true });
    else rmSync(data, { recursive: true, force: true });
  };
  serverDir(data);
  try {
    if (format.kind === 'plain') {
      await run('cp', ['-a', `${base}/.`, data]);
    } else {
      await run('tar', ['-xf', format.base, '-C', data]);
      checkAfterBackup(readFileSync(path.join(data, 'backup_label'), 'utf8'), target);
      if (format.wal) await run('tar', ['-xf', format.wal, '-C', path.join(data, 'pg_wal')]);
    }
  } catch (err) {
    cleanUp();
    throw err;
  }
  out(`base backup ${base} (${format.kind}) copied to ${data}`);
  for (const f of ['standby.signal', 'postmaster.pid'])
    if (existsSync(path.join(data, f))) unlinkSync(path.join(data, f));
  writeFileSync(path.join(data, 'recovery.signal'), '');
  writeSettings(data, {
    restore_command: `cp "${wal}/%f" "%p"`,
    recovery_target_time: target.toISOString().replace('T', ' ').replace('Z', '+00'),
    recovery_target_action: 'promote',
    // the restored copy must not archive into the archive it restores from, nor wait for a standby
    archive_mode: false,
    synchronous_standby_names: '',
    primary_conninfo: '',
  });
  await giveToServer(data);
  out(`recovering to ${target.toISOString()} (${source}) with WAL from ${wal}`);

  let server: PgServer;
  try {
    server = await startServer({ binDir, dataDir: data, port, keep: true, timeoutSeconds: 600 });
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start on the restored data: ${(err as Error).message}\n${logTail(data)}`,
    );
  }
  const lastTransaction = await waitForPromotion(server);
  return { server, target, targetSource: source, lastTransaction };
}

function checkAfterBackup(label: string, target: Date) {
  const start = backupStart(label);
  if (start && target.getTime() < start.getTime())
    throw new RestoreInputError(
      `--to: ${target.toISOString()} is before the base backup (started ${start.toISOString()}); use an older base backup`,
    );
}

const logTail = (data: string) => {
  try {
    return readFileSync(`${data}.log`, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
};

/** Waits until recovery has stopped at the target and the server was promoted; the last replayed commit time. */
async function waitForPromotion(server: PgServer): Promise<Date | null> {
  const end = Date.now() + 600_000;
  while (Date.now() < end) {
    const c = new pg.Client({ connectionString: server.url() });
    c.on('error', () => {});
    try {
      await c.connect();
      const r = await c.query<{ recovery: boolean; last: Date | null }>(
        'select pg_is_in_recovery() as recovery, pg_last_xact_replay_timestamp() as last',
      );
      if (r.rows[0] && !r.rows[0].recovery) return r.rows[0].last;
    } catch (err) {
      if (/FATAL|recovery ended before/.test(logTail(server.dataDir)) && !server.alive())
        throw new Error(`recovery failed: ${(err as Error).message}\n${logTail(server.dataDir)}`);
    } finally {
      await c.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`recovery did not finish in 10 minutes\n${logTail(server.dataDir)}`);
}

/** `madoguchi backup`: a tar-format base backup of DATABASE_URL's read-write server into a new directory. */
export async function backup(opts: {
  out?: string;
  databaseUrl?: string;
  maxRate?: string;
}): Promise<string> {
  if (!opts.out) throw new RestoreInputError('--out is required');
  if (opts.maxRate !== undefined && !/^\d+[kM]?$/.test(opts.maxRate))
    throw new RestoreInputError(
      `--max-rate: "${opts.maxRate}" is not a rate like 20M or 512k (bytes per second)`,
    );
  if (!opts.databaseUrl)
    throw new RestoreInputError(
      'DATABASE_URL is required (the embedded PostgreSQL is backed up by copying DATA_DIR)',
    );
  const out = path.resolve(opts.out);
  if (existsSync(out) && !isEmptyDir(out))
    throw new RestoreInputError(`--out: ${out} exists and is not empty; give a new directory`);
  let binDir: string;
  try {
    binDir = findPgBinDir();
  } catch (err) {
    throw new RestoreInputError((err as Error).message);
  }
  // libpq itself (pg_basebackup) understands a multi-host URL with target_session_attrs.
  await baseBackup({
    binDir,
    from: { url: opts.databaseUrl },
    dir: out,
    format: 'tar',
    maxRate: opts.maxRate,
  });
  return out;
}
