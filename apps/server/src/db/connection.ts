import net from 'node:net';
import pg from 'pg';

// The one way the server connects to PostgreSQL. DATABASE_URL may list several hosts in libpq's
// syntax — postgres://user@hostA:5432,hostB:5433/db?target_session_attrs=read-write — so that after a
// failover (C-13) new connections find the promoted standby. node-postgres knows only one host: a
// single-host URL goes to it unchanged, a multi-host one gets a Client that picks the host itself.

export interface DatabaseHost {
  host: string;
  port: number;
}

export interface DatabaseTarget {
  hosts: DatabaseHost[];
  /** libpq's target_session_attrs: `read-write` takes only a host that is no standby. */
  targetSessionAttrs: 'any' | 'read-write';
  /** The URL with only the first host and without target_session_attrs (user, database, ssl …). */
  firstHostUrl: string;
}

const TARGET_ATTRS = ['any', 'read-write'] as const;

/**
 * Parses a postgres:// URL with one or more comma-separated hosts; throws an Error saying what is
 * wrong (config.ts turns it into a ConfigError naming DATABASE_URL).
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const m = /^(postgres(?:ql)?:\/\/)(?:([^@/?#]*)@)?([^/?#]*)(.*)$/.exec(url);
  if (!m) throw new Error('must be a postgres:// URL');
  const [, scheme, userinfo, hostList, rest] = m as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
  ];
  const parts = hostList.split(',');
  const hosts = parts.map((part, i): DatabaseHost => {
    // [v6]:port, host:port or host
    const hm = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::(\d*))?$/.exec(part);
    if (!hm?.[1]) throw new Error(`host ${i + 1} of ${parts.length} is empty or not host:port ("${part}")`);
    const port = hm[2] ? Number(hm[2]) : 5432;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`host ${i + 1} ("${part}") has no valid port (1–65535)`);
    return { host: hm[1].replace(/^\[|\]$/g, ''), port };
  });
  const queryAt = rest.indexOf('?');
  const params = new URLSearchParams(queryAt >= 0 ? rest.slice(queryAt + 1) : '');
  const attrs = params.get('target_session_attrs') ?? (hosts.length > 1 ? 'read-write' : 'any');
  if (!(TARGET_ATTRS as readonly string[]).includes(attrs))
    throw new Error(`target_session_attrs must be ${TARGET_ATTRS.join(' or ')} (not "${attrs}")`);
  params.delete('target_session_attrs');
  const query = params.toString();
  const path = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const first = hosts[0]!;
  const firstHost = first.host.includes(':') ? `[${first.host}]` : first.host;
  const firstHostUrl = `${scheme}${userinfo !== undefined ? `${userinfo}@` : ''}${firstHost}:${first.port}${path}${query ? `?${query}` : ''}`;
  try {
    new URL(firstHostUrl);
  } catch {
    throw new Error('is not a valid URL after its host list');
  }
  return { hosts, targetSessionAttrs: attrs as DatabaseTarget['targetSessionAttrs'], firstHostUrl };
}

const isSingleHost = (t: DatabaseTarget) => t.hosts.length === 1 && t.targetSessionAttrs === 'any';

/** How long one host may take to answer before the next is tried (libpq's connect_timeout, in s). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Whether a connected session takes writes: no standby in recovery, not read-only by default. */
async function takesWrites(client: pg.Client): Promise<boolean> {
  const r = await client.query<{ recovery: boolean; ro: string }>(
    "select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as ro",
  );
  return r.rows[0]?.recovery === false && r.rows[0]?.ro === 'off';
}

/** Points a client not yet connected at one host (its connection string names the first host). */
function pointAt<C extends pg.Client>(client: C, h: DatabaseHost): C {
  const c = client as unknown as { host: string; port: number; connectionParameters: DatabaseHost };
  c.host = c.connectionParameters.host = h.host;
  c.port = c.connectionParameters.port = h.port;
  return client;
}

/** Closes a client that may never have connected; does not wait for a dead socket's goodbye. */
async function endQuietly(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
    }),
  ]);
  clearTimeout(timer);
}

/** The hosts of one DATABASE_URL and the read-write one found last (shared by all its clients). */
interface HostChoice {
  target: DatabaseTarget;
  base: pg.ClientConfig;
  current: DatabaseHost | null;
}

async function findReadWriteHost(choice: HostChoice): Promise<DatabaseHost> {
  const problems: string[] = [];
  for (const h of choice.target.hosts) {
    const probe = pointAt(new pg.Client(choice.base), h);
    probe.on('error', () => {});
    try {
      await probe.connect();
      if (choice.target.targetSessionAttrs === 'any' || (await takesWrites(probe))) return h;
      problems.push(`${h.host}:${h.port} is read-only (a standby)`);
    } catch (err) {
      problems.push(`${h.host}:${h.port}: ${(err as Error).message}`);
    } finally {
      await endQuietly(probe);
    }
  }
  throw Object.assign(new Error(`no read-write PostgreSQL host among ${problems.join('; ')}`), {
    code: 'NO_READ_WRITE_HOST',
  });
}

/**
 * A pg.Client for a multi-host URL: connect() goes to the host found read-write last, checks that it
 * still is, and otherwise forgets it so that the next connection asks every host in order. (A
 * client connects once, so a connection that finds a stale choice fails; the pool makes another.)
 */
function multiHostClient(choice: HostChoice): typeof pg.Client {
  return class MultiHostClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | undefined {
      const done = this.connectReadWrite();
      if (!callback) return done;
      done.then(
        () => callback(undefined as unknown as Error),
        (err: Error) => callback(err),
      );
    }

    private async connectReadWrite(): Promise<pg.Client> {
      const h = choice.current ?? (await findReadWriteHost(choice));
      pointAt(this, h);
      try {
        await super.connect();
        if (choice.target.targetSessionAttrs === 'read-write' && !(await takesWrites(this)))
          throw Object.assign(new Error(`${h.host}:${h.port} is no longer read-write`), {
            code: 'NO_READ_WRITE_HOST',
          });
      } catch (err) {
        if (choice.current === h) choice.current = null;
        await endQuietly(this);
        throw err;
      }
      choice.current = h;
      return this;
    }
  };
}

const choices = new Map<string, HostChoice>();

/**
 * The connection options for pg.Pool / pg.Client (and pg-boss, which passes copies to both). A
 * single-host URL is `{ connectionString }` exactly as before. A multi-host one carries the
 * MultiHostClient as `Client` (pg.Pool uses it), and a socket that goes to the read-write host found
 * last, for a plain pg.Client made from a copy of the options (pg-boss's LISTEN connection). All
 * options of one URL share that choice: what the pool finds after a failover, the others use.
 */
export function connectionOptions(databaseUrl: string): pg.PoolConfig {
  const target = parseDatabaseUrl(databaseUrl);
  if (isSingleHost(target)) return { connectionString: databaseUrl };
  let choice = choices.get(databaseUrl);
  if (!choice) {
    const connectTimeout = Number(new URL(target.firstHostUrl).searchParams.get('connect_timeout'));
    const base: pg.ClientConfig = {
      connectionString: target.firstHostUrl,
      connectionTimeoutMillis: connectTimeout > 0 ? connectTimeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
    };
    choice = { target, base, current: null };
    choices.set(databaseUrl, choice);
  }
  const c = choice;
  return {
    ...c.base,
    Client: multiHostClient(c),
    stream: () => {
      const socket = new net.Socket();
      const connect = socket.connect.bind(socket) as (port: number, host: string) => net.Socket;
      (socket as unknown as { connect: (port: number, host: string) => net.Socket }).connect = (
        port,
        host,
      ) => (c.current ? connect(c.current.port, c.current.host) : connect(port, host));
      return socket;
    },
  };
}

/** One client (not pooled) for DATABASE_URL, e.g. a LISTEN connection: on a multi-host URL, the read-write host. */
export function createClient(databaseUrl: string): pg.Client {
  const options = connectionOptions(databaseUrl);
  const ClientClass = (options.Client as typeof pg.Client | undefined) ?? pg.Client;
  return new ClientClass(options);
}

/** Whether an error means the database cannot be reached now (down, restarting, failing over). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'EPIPE',
        'ETIMEDOUT',
        'EHOSTUNREACH',
        'ENOTFOUND',
        'NO_READ_WRITE_HOST',
      ].includes(code)
    )
      return true;
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection
    // exceptions, 25006 a write on a standby (the old primary came back read-only).
    if (/^(57P0[123]|08...|25006)$/.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (
      /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|Connection ended/i.test(
        message,
      )
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}
