import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createRuntime, openDatabase, type Runtime } from '../../runtime.ts';
import { insertFriends } from '../../testing/delivery-world.ts';
import { TEST_ENCRYPTION_KEY } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { findDelivery, insertDelivery } from './deliveries.repository.ts';

// Crash safety (G-12, architecture "Delivery out"): a worker is killed (SIGKILL) in the middle of a
// 5,000-recipient delivery — right after LINE accepted a batch whose answer it never saw — and a new
// worker on the same database finishes the delivery. The LINE simulator's records prove that every
// recipient received the message exactly once: the re-sent batch carried its stored retry key and
// was answered 409, which counts as sent.

const RECIPIENTS = 5_000;
const LINE_CHANNEL = '2500000001';
const WORKER = fileURLToPath(new URL('../../testing/worker-child.ts', import.meta.url));

let sim: RunningSimulator;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let opened: Awaited<ReturnType<typeof openDatabase>>;
let db: Db;
let config: Config;
let child: ChildProcess | undefined;
let second: Runtime | undefined;
let channelId: string;

const simGet = async <T>(path: string): Promise<T> => (await fetch(`${sim.url}${path}`)).json() as Promise<T>;

beforeAll(async () => {
  database = await createTestDatabase();
  // LINE's real rate limits are on.
  sim = await startSimulator({ port: 0 });
  const env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    LINE_API_BASE_URL: sim.url,
    LINE_DATA_API_BASE_URL: sim.url,
  };
  config = loadConfig(env);
  opened = await openDatabase(config);
  db = opened.db;
  const channel = await createChannelsService({
    db,
    cipher: createCipher(TEST_ENCRYPTION_KEY),
    publicUrl: config.PUBLIC_URL,
  }).create({
    name: '千葉市',
    lineChannelId: LINE_CHANNEL,
    channelSecret: 'crash-secret',
    accessToken: 'crash-token',
    environment: 'production',
  });
  await fetch(`${sim.url}/_sim/channels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channelId: LINE_CHANNEL,
      name: '千葉市',
      channelSecret: 'crash-secret',
      accessToken: 'crash-token',
      webhookUrl: 'http://127.0.0.1:9/none',
    }),
  });
  const { userIds } = (await (
    await fetch(`${sim.url}/_sim/users/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: RECIPIENTS, followChannelId: LINE_CHANNEL }),
    })
  ).json()) as { userIds: string[] };
  await insertFriends(db, channel.id, userIds);
  channelId = channel.id;
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await second?.close();
  await opened?.close();
  await sim?.close();
  await database?.drop();
}, 60_000);

describe('crash safety (G-12)', () => {
  it('G-12: a worker killed mid-delivery; a new worker finishes; every recipient got the message exactly once', async () => {
    const delivery = await insertDelivery(db, {
      channelId,
      title: '台風接近に伴う避難所開設のお知らせ',
      messages: [{ type: 'text', text: '避難所を開設しました。https://www.city.example.jp/bousai' }],
      audience: { kind: 'all' },
      isTest: false,
      status: 'scheduled',
      scheduledAt: new Date(),
      recurrence: null,
      seriesId: null,
      createdBy: null,
    });
    // LINE accepts the third multicast (delivers it, keeps its retry key) but its answer never
    // arrives before the worker dies: the case a retry key exists for.
    await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/v2/bot/message/multicast', when: 'after', delayMs: 15_000, skip: 2 }),
    });

    // Worker 1: one request at a time, 5 per second, so the kill lands mid-way.
    child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        ...Object.fromEntries(
          Object.entries({
            NODE_ENV: 'test',
            PUBLIC_URL: config.PUBLIC_URL,
            DATABASE_URL: database.url,
            DATABASE_POOL_SIZE: '5',
            ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
            LOG_LEVEL: 'silent',
            LINE_API_BASE_URL: sim.url,
            LINE_DATA_API_BASE_URL: sim.url,
            DELIVERY_RATE_PER_SECOND: '5',
            DELIVERY_CONCURRENCY: '1',
          }),
        ),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    await waitFor(
      () => simGet<{ hits: number }[]>('/_sim/faults?all=true'),
      (faults) => faults[0]?.hits === 1,
      { timeoutMs: 30_000, everyMs: 20 },
    );
    child.kill('SIGKILL');
    await exited;

    // Mid-way: 3 batches reached LINE, only 2 are recorded as sent; the third is pending with its key.
    const mid = await db
      .selectFrom('delivery_batches')
      .select(['batch_no', 'status', 'retry_key', 'attempts'])
      .where('delivery_id', '=', delivery.id)
      .orderBy('batch_no')
      .execute();
    expect(mid).toHaveLength(RECIPIENTS / 500);
    expect(mid.map((b) => b.status)).toEqual(['sent', 'sent', ...Array(8).fill('pending')]);
    expect((await findDelivery(db, delivery.id))!).toMatchObject({ status: 'sending', sent: 1_000 });
    const accepted = await fetch(`${sim.url}/_sim/retry-keys/${mid[2]!.retry_key}`);
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { recipients: string[] }).recipients).toHaveLength(500);
    const before = await simGet<{ usersWithDeliveries: number }>(
      `/_sim/stats?channelId=${LINE_CHANNEL}&perUser=false`,
    );
    expect(before.usersWithDeliveries).toBe(1_500);

    // Worker 2 on the same database (LINE's real rate, default concurrency) resumes at start.
    second = await createRuntime(config, { workers: true });
    const done = await waitFor(
      () => findDelivery(db, delivery.id),
      (d) => d?.status === 'sent' || d?.status === 'failed',
      { timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({ status: 'sent', recipients: RECIPIENTS, sent: RECIPIENTS, failed: 0 });

    const batches = await db
      .selectFrom('delivery_batches')
      .select(['batch_no', 'status', 'retry_key', 'attempts', 'http_status'])
      .where('delivery_id', '=', delivery.id)
      .orderBy('batch_no')
      .execute();
    expect(batches.every((b) => b.status === 'sent')).toBe(true);
    // The batch LINE had already accepted: sent again with the same key, answered 409, counted once.
    expect(batches[2]).toMatchObject({ retry_key: mid[2]!.retry_key, attempts: 2, http_status: 409 });
    const requests = await simGet<{ headers: Record<string, string>; status: number }[]>(
      `/_sim/requests?channelId=${LINE_CHANNEL}&path=/v2/bot/message/multicast`,
    );
    const keyed = requests.filter((r) => r.headers['x-line-retry-key'] === mid[2]!.retry_key);
    // (The first answer is still being held back by the simulator, so it has no status yet.)
    expect(keyed).toHaveLength(2);
    expect(keyed[1]!.status).toBe(409);

    // The simulator's records: every one of the 5,000 recipients got exactly one delivery.
    const stats = await simGet<{
      usersWithDeliveries: number;
      totalDeliveries: number;
      deliveriesHistogram: Record<string, number>;
    }>(`/_sim/stats?channelId=${LINE_CHANNEL}&perUser=false`);
    expect(stats).toMatchObject({
      usersWithDeliveries: RECIPIENTS,
      totalDeliveries: RECIPIENTS,
      deliveriesHistogram: { '1': RECIPIENTS },
    });
  }, 90_000);
});
