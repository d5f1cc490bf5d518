import { randomBytes } from 'node:crypto';
import type { Db } from '../apps/server/src/db/database.ts';
import { createAccount } from '../apps/server/src/modules/accounts/accounts.service.ts';
import { findRoleByKey } from '../apps/server/src/modules/accounts/roles.repository.ts';
import { createChannelsService } from '../apps/server/src/modules/channels/channels.service.ts';
import { createCipher } from '../apps/server/src/platform/crypto.ts';
import type { BenchServer } from './webhook/server-child.ts';

/** The administrator a benchmark signs in as, with a fresh random password. */
export async function createBenchAdmin(db: Db): Promise<{ loginId: string; password: string }> {
  const role = await findRoleByKey(db, 'admin');
  if (!role) throw new Error('no built-in admin role');
  const loginId = 'bench-admin';
  const password = `Bench-${randomBytes(9).toString('base64url')}-9`;
  await createAccount(db, {
    loginId,
    displayName: 'ベンチ 管理者',
    roleId: role.id,
    password,
    mustChangePassword: false,
  });
  return { loginId, password };
}

/**
 * The benchmark city: one production channel with fresh random secrets, and the administrator a
 * benchmark signs in as (delivery, disaster and export-memory benchmarks).
 */
export async function createBenchCity(
  server: BenchServer,
  lineChannelId: string,
): Promise<{
  channelId: string;
  lineChannelId: string;
  accessToken: string;
  channelSecret: string;
  loginId: string;
  password: string;
}> {
  const db = server.rt.db;
  const channelSecret = randomBytes(16).toString('hex');
  const accessToken = randomBytes(32).toString('hex');
  const channel = await createChannelsService({
    db,
    cipher: createCipher(server.encryptionKey),
    publicUrl: server.config.PUBLIC_URL,
  }).create({
    name: BENCH_CITY,
    lineChannelId,
    channelSecret,
    accessToken,
    environment: 'production',
  });
  const { loginId, password } = await createBenchAdmin(db);
  return { channelId: channel.id, lineChannelId, accessToken, channelSecret, loginId, password };
}

export const BENCH_CITY = 'ベンチマーク市';

/** JSON calls to the LINE simulator's own API (`/_sim/…`); anything but 2xx throws. */
export function simulatorApi(url: string) {
  return async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}${p}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : null,
    });
    if (r.status >= 300) throw new Error(`simulator ${method} ${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}

/** Registers the benchmark city's channel in the simulator (no webhook: nothing listens). */
export async function registerBenchChannel(
  sim: ReturnType<typeof simulatorApi>,
  city: { lineChannelId: string; channelSecret: string; accessToken: string },
): Promise<void> {
  await sim('POST', '/_sim/channels', {
    channelId: city.lineChannelId,
    name: BENCH_CITY,
    channelSecret: city.channelSecret,
    accessToken: city.accessToken,
    webhookUrl: 'http://127.0.0.1:9/none',
  });
}

/**
 * Signs the benchmark's administrator in to the console API (POST /api/session) and answers a caller
 * for JSON requests with the session cookie and CSRF token; anything but 2xx throws. A Buffer body is
 * sent as it is (file imports: the file is the raw request body).
 */
export async function signInBench(
  url: string,
  account: { loginId: string; password: string },
): Promise<<T>(method: string, p: string, body?: unknown) => Promise<T>> {
  const login = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: account.loginId, password: account.password }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const raw = Buffer.isBuffer(body);
    const r = await fetch(`${url}${p}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined
          ? {}
          : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }),
      },
      body: body === undefined ? null : raw ? new Uint8Array(body) : JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}
