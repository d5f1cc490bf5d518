import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Config, loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createTestDatabase } from '../db/testing/test-database.ts';
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../modules/accounts/roles.repository.ts';
import type { ChannelCreate } from '../modules/channels/channels.schema.ts';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { createCipher } from '../platform/crypto.ts';
import type { Jobs } from '../platform/jobs.ts';
import { createRuntime } from '../runtime.ts';

// A real server on a real PostgreSQL database of its own, listening on a random port.

export interface TestServer {
  url: string;
  app: FastifyInstance;
  db: Db;
  config: Config;
  databaseUrl: string;
  /** The job queue (stop it to keep the database still, e.g. before a contract-end purge). */
  jobs: Jobs;
  close(): Promise<void>;
}

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString('base64');

/**
 * `opts.database`: start on that database (another start of the same installation) instead of a
 * new one; it is not dropped at close.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: { database?: { url: string } } = {},
): Promise<TestServer> {
  const database = opts.database
    ? { url: opts.database.url, drop: async () => {} }
    : await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    // the audit checkpoint job must not write into the working tree's .data
    AUDIT_CHECKPOINT_FILE: path.join(
      os.tmpdir(),
      `${new URL(database.url).pathname.slice(1)}-audit-checkpoints.jsonl`,
    ),
    ...env,
  });
  const rt = await createRuntime(config, { workers: true });
  const address = await rt.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    app: rt.app,
    db: rt.db,
    config,
    databaseUrl: database.url,
    jobs: rt.jobs,
    async close() {
      await rt.close();
      await database.drop();
    },
  };
}

export const STRONG_PASSWORD = 'Correct-Horse-9-Battery';

/** Creates an account with the given built-in role (or custom role ID) and returns its login ID. */
export async function createStaff(
  db: Db,
  roleKey: string,
  loginId = `staff${randomBytes(4).toString('hex')}`,
) {
  const role = await findRoleByKey(db, roleKey);
  const id = await createAccount(db, {
    loginId,
    displayName: `${roleKey} さん`,
    roleId: role?.id ?? roleKey,
    password: STRONG_PASSWORD,
    mustChangePassword: false,
  });
  return { id, loginId, password: STRONG_PASSWORD };
}

/** A signed-in staff HTTP client that keeps the session cookie and CSRF token. */
export async function staffClient(
  server: TestServer,
  loginId: string,
  password = STRONG_PASSWORD,
  headers: Record<string, string> = {},
) {
  const login = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ loginId, password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const request = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
        ...extra,
      },
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { cookie, csrfToken, request };
}

/**
 * A channel registered as staff register one (through the channels service, its secrets encrypted
 * with the server's key): the one way tests create a channel. Its secrets are random unless given;
 * use `startLineWorld` (line-world.ts) when the channel must reach the LINE simulator.
 */
export async function insertTestChannel(
  server: Pick<TestServer, 'db' | 'config' | 'url'>,
  input: Partial<ChannelCreate> = {},
) {
  const channels = createChannelsService({
    db: server.db,
    cipher: createCipher(server.config.ENCRYPTION_KEY),
    publicUrl: server.url,
  });
  const lineChannelId = input.lineChannelId ?? '2000000001';
  return channels.create({
    name: 'テスト市',
    channelSecret: randomBytes(16).toString('hex'),
    accessToken: randomBytes(24).toString('hex'),
    environment: 'production',
    ...input,
    lineChannelId,
  });
}
