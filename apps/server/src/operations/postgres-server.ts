import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// PostgreSQL server instances on this machine for the failover and restore drills (C-13, C-14) and
// `madoguchi restore`: initdb, start with settings, stop (fast, or immediate = "the server died"),
// promote, and a base backup that becomes a streaming standby. One PostgreSQL installation serves
// all of them (a standby must be the same major version): PG_BINDIR, else the newest
// /usr/lib/postgresql/*/bin that has pg_basebackup. PostgreSQL refuses to run as root; as root the
// servers run as the "postgres" system user, who then owns their directories.

const run = promisify(execFile);

export class PgToolsMissing extends Error {}

/** The directory of the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup …). */
export function findPgBinDir(env: Record<string, string | undefined> = process.env): string {
  const has = (dir: string) =>
    ['initdb', 'pg_ctl', 'pg_basebackup'].every((b) => existsSync(path.join(dir, b)));
  if (env.PG_BINDIR) {
    if (!has(env.PG_BINDIR))
      throw new PgToolsMissing(`PG_BINDIR=${env.PG_BINDIR} has no initdb, pg_ctl and pg_basebackup`);
    return env.PG_BINDIR;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && has(path.join(root, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new PgToolsMissing(
      'PostgreSQL server binaries with pg_basebackup were not found: install them (apt-get install postgresql) or set PG_BINDIR',
    );
  return path.join(root, versions[0], 'bin');
}

/** Who runs the server: ourselves, or the postgres system user when we are root. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Makes a directory (and its parents) that the server user owns. */
export function serverDir(dir: string, mode = 0o700): string {
  mkdirSync(dir, { recursive: true, mode });
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

/** Hands a directory tree to the server user (after files were written as root). */
export async function giveToServer(dir: string): Promise<void> {
  const user = serverUser();
  if (user) await run('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
}

/** Runs a PostgreSQL program as the server user; rejects with its output on failure. */
export async function pgTool(binDir: string, program: string, args: string[]): Promise<string> {
  const user = serverUser();
  try {
    const { stdout } = await run(path.join(binDir, program), args, {
      cwd: os.tmpdir(),
      env: { ...process.env, LC_ALL: 'C' },
      ...(user ?? {}),
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export type Settings = Record<string, string | number | boolean>;

const quote = (v: string | number | boolean) =>
  typeof v === 'string'
    ? `'${v.replace(/'/g, "''")}'`
    : typeof v === 'boolean'
      ? v
        ? 'on'
        : 'off'
      : String(v);

/** Appends settings to the data directory's postgresql.conf (later lines win). */
export function writeSettings(dataDir: string, settings: Settings): void {
  const lines = Object.entries(settings).map(([k, v]) => `${k} = ${quote(v)}`);
  appendFileSync(path.join(dataDir, 'postgresql.conf'), `\n# madoguchi\n${lines.join('\n')}\n`);
}

export interface PgServer {
  binDir: string;
  dataDir: string;
  port: number;
  logFile: string;
  /** postgres://postgres@127.0.0.1:port/database */
  url(database?: string): string;
  /** `immediate` is the server dying: no checkpoint, clients cut off. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Ends recovery (a standby or a restore becomes a primary); waits until it takes writes. */
  promote(): Promise<void>;
  running(): boolean;
  /** Whether the postmaster of the data directory is alive (it may have stopped by itself). */
  alive(): boolean;
}

const started = new Set<PgServer>();
// A test or command that ends before stopping its servers still stops them.
process.on('exit', () => {
  for (const s of started) {
    try {
      execFileSync(path.join(s.binDir, 'pg_ctl'), ['stop', '-D', s.dataDir, '-m', 'immediate', '-w'], {
        stdio: 'ignore',
        ...(serverUser() ?? {}),
        cwd: os.tmpdir(),
      });
    } catch {}
  }
});

/** The handle of a server that runs on `dataDir` and `port` (started here or by `madoguchi restore`). */
export function serverAt(binDir: string, dataDir: string, port: number): PgServer {
  let up = true;
  const server: PgServer = {
    binDir,
    dataDir,
    port,
    logFile: `${dataDir.replace(/\/+$/, '')}.log`,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop(mode = 'fast') {
      if (!up) return;
      await pgTool(binDir, 'pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']).catch(() => {});
      up = false;
      started.delete(server);
    },
    async promote() {
      await pgTool(binDir, 'pg_ctl', ['promote', '-D', dataDir, '-w', '-t', '60']);
    },
    running: () => up,
    alive: () => {
      try {
        const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
  return server;
}

/**
 * A process killed with SIGKILL (a test worker that was cut off) runs no 'exit' handler, and the
 * server, a daemon of pg_ctl, would outlive it. A small watcher stops it once we are gone, and ends
 * itself when the server does.
 */
function stopWhenGone(server: PgServer): void {
  const user = serverUser();
  const watcher = `
    const { execFileSync } = require('node:child_process');
    const [parent, pidFile, pgCtl, dataDir, uid, gid] = process.argv.slice(1);
    const fs = require('node:fs');
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (!fs.existsSync(pidFile)) process.exit(0);
      if (!alive(Number(parent))) {
        const as = uid ? { uid: Number(uid), gid: Number(gid) } : {};
        try { execFileSync(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate'], { stdio: 'ignore', cwd: '/', ...as }); } catch {}
        process.exit(0);
      }
    }, 1000);`;
  spawn(
    process.execPath,
    [
      '-e',
      watcher,
      String(process.pid),
      path.join(server.dataDir, 'postmaster.pid'),
      path.join(server.binDir, 'pg_ctl'),
      server.dataDir,
      user ? String(user.uid) : '',
      user ? String(user.gid) : '',
    ],
    { detached: true, stdio: 'ignore' },
  ).unref();
}

/** Creates a new cluster (trust authentication on 127.0.0.1, user postgres) in an absent or empty dir. */
export async function initCluster(binDir: string, dataDir: string): Promise<void> {
  serverDir(dataDir);
  await pgTool(binDir, 'initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
  ]);
}

/**
 * Starts the server on a data directory (a cluster, a base backup with standby.signal or
 * recovery.signal), listening on 127.0.0.1 only; resolves once it accepts connections (pg_ctl -w).
 */
export async function startServer(opts: {
  binDir: string;
  dataDir: string;
  port?: number;
  settings?: Settings;
  /** Wait at most this long for the start (pg_ctl -t), default 60 s. */
  timeoutSeconds?: number;
  /** Leave it running when this process exits (`madoguchi restore`). */
  keep?: boolean;
}): Promise<PgServer> {
  const port = opts.port ?? (await freePort());
  writeSettings(opts.dataDir, {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...opts.settings,
  });
  const logFile = `${opts.dataDir.replace(/\/+$/, '')}.log`;
  writeFileSync(logFile, '', { flag: 'a' });
  const user = serverUser();
  if (user) chownSync(logFile, user.uid, user.gid);
  const { binDir, dataDir } = opts;
  const server = serverAt(binDir, dataDir, port);
  await pgTool(binDir, 'pg_ctl', [
    'start',
    '-D',
    dataDir,
    '-l',
    logFile,
    '-w',
    '-t',
    String(opts.timeoutSeconds ?? 60),
  ]);
  if (!opts.keep) {
    started.add(server);
    stopWhenGone(server);
  }
  return server;
}

/**
 * A base backup of a running server (pg_basebackup, WAL streamed along, fast checkpoint). `standby`
 * writes primary_conninfo and standby.signal (-R) so that the copy starts as its streaming standby.
 */
export async function baseBackup(opts: {
  binDir: string;
  from: { url: string } | PgServer;
  dir: string;
  format?: 'plain' | 'tar';
  standby?: boolean;
  /** The application_name the standby connects with (for synchronous_standby_names). */
  applicationName?: string;
  /** pg_basebackup --max-rate (e.g. "20M"): reads at most this much per second (O-07). */
  maxRate?: string;
}): Promise<void> {
  serverDir(opts.dir);
  let conn =
    'url' in opts.from && typeof opts.from.url === 'string' ? opts.from.url : (opts.from as PgServer).url();
  if (opts.applicationName) {
    const u = new URL(conn);
    u.searchParams.set('application_name', opts.applicationName);
    conn = u.toString();
  }
  await pgTool(opts.binDir, 'pg_basebackup', [
    '-d',
    conn,
    '-D',
    opts.dir,
    '-X',
    'stream',
    '-c',
    'fast',
    '-F',
    opts.format === 'tar' ? 't' : 'p',
    ...(opts.standby ? ['-R'] : []),
    ...(opts.maxRate ? ['--max-rate', opts.maxRate] : []),
  ]);
}

/** A streaming standby of `primary` in `dataDir`, started. */
export async function startStandby(opts: {
  binDir: string;
  primary: PgServer;
  dataDir: string;
  applicationName: string;
  settings?: Settings;
}): Promise<PgServer> {
  await baseBackup({
    binDir: opts.binDir,
    from: opts.primary,
    dir: opts.dataDir,
    standby: true,
    applicationName: opts.applicationName,
  });
  return startServer({
    binDir: opts.binDir,
    dataDir: opts.dataDir,
    settings: {
      hot_standby: true,
      primary_conninfo: `host=127.0.0.1 port=${opts.primary.port} user=postgres application_name=${opts.applicationName}`,
      // promoted, it must not wait for a synchronous standby of its own
      synchronous_standby_names: '',
      ...opts.settings,
    },
  });
}
