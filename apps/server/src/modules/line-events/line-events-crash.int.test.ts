import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../config.ts';
import { createTestDatabase } from '../../db/testing/test-database.ts';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createRuntime, type Runtime } from '../../runtime.ts';
import { TEST_ENCRYPTION_KEY } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { createDesk } from '../consultation/desks.service.ts';
import { addItem, getRegistrationForm } from '../forms/forms.service.ts';
import { OUTBOX_MAX_IN_FLIGHT } from './outbox-sender.ts';

// Exactly once in effect under webhook load (issue 8 §6, D-03, G-02, C-01): 1,000 LINE friends each
// follow (→ registration greeting) and write the consultation keyword (→ door link), 2,000 signed
// webhooks sent by the LINE simulator with real reply tokens. Worker processes dispatch them and are
// killed with SIGKILL in the middle; a new runtime finishes. Proven from the stored events and from
// the simulator's request log: no event lost, and no reply reached LINE's "accepted" twice or any
// citizen twice. A re-send after a kill is possible only for a call that was in flight at the kill
// (the sender holds ≤ OUTBOX_MAX_IN_FLIGHT); LINE refuses it (a reply token is single use), so it has no effect.

const USERS = 1_000;
const EVENTS = USERS * 2;
const LINE_CHANNEL = '2700000001';
const SECRET = 'crash-webhook-secret';
const TOKEN = 'crash-webhook-token';
const LIFF = '2700000002-Crash123';
const WORKER = fileURLToPath(new URL('../../testing/worker-child.ts', import.meta.url));

let sim: RunningSimulator;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let config: Config;
let env: Record<string, string>;
let intake: Runtime;
let finisher: Runtime | undefined;
const children: ChildProcess[] = [];

const sim$ = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
  const r = await fetch(`${sim.url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : null,
  });
  if (r.status >= 300) throw new Error(`simulator ${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<T>;
};

async function dispatched(): Promise<number> {
  const row = await intake.db
    .selectFrom('line_events')
    .select((eb) => eb.fn.count<string>('dispatched_at').as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A worker process (`madoguchi worker`): resolves once it has started its job workers. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('"ready"') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
  return child;
}

async function kill(child: ChildProcess) {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startSimulator({ port: 0, rateLimits: false });
  env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '8',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    LINE_API_BASE_URL: sim.url,
    LINE_DATA_API_BASE_URL: sim.url,
  };
  config = loadConfig(env);
  // The webhook intake (`madoguchi serve --no-workers`): stays up the whole time.
  intake = await createRuntime(config, { workers: false });
  const url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const channel = await createChannelsService({
    db: intake.db,
    cipher: createCipher(TEST_ENCRYPTION_KEY),
    publicUrl: url,
  }).create({
    name: '千葉市',
    lineChannelId: LINE_CHANNEL,
    channelSecret: SECRET,
    accessToken: TOKEN,
    environment: 'production',
    loginChannelId: '2700000002',
    loginChannelSecret: 'crash-login-secret',
    liffId: LIFF,
  });
  await sim$('POST', '/_sim/channels', {
    channelId: LINE_CHANNEL,
    name: '千葉市',
    channelSecret: SECRET,
    accessToken: TOKEN,
    webhookUrl: `${url}/webhooks/line/${channel.id}`,
  });
  const form = await getRegistrationForm(intake.db, channel.id);
  await addItem(intake.db, form.id, {
    type: 'single',
    key: 'gender',
    label: '性別',
    required: false,
    help: '',
    config: {},
    choices: [{ label: '男性' }, { label: '女性' }],
  });
  const [welfare] = demoDesks(channel.id);
  await createDesk(intake.db, { ...welfare!, closedOnHolidays: false, closedYearEnd: false });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await finisher?.close();
  await intake?.close();
  await sim?.close();
  await database?.drop();
}, 60_000);

describe('exactly once in effect across kill -9 (issue 8 §6)', () => {
  it('D-03/G-02/C-01: workers killed mid-dispatch under webhook load; 0 events lost, 0 handled twice', async () => {
    const { userIds } = await sim$<{ userIds: string[] }>('POST', '/_sim/users/bulk', { count: USERS });
    let worker = await startWorker();

    // The load: every friend follows, then writes the consultation keyword (20 phones at a time).
    const webhookStatuses: number[] = [];
    let next = 0;
    const load = Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < userIds.length) {
          const userId = userIds[next++]!;
          const f = await sim$<{ webhookStatus: number }>('POST', `/_sim/users/${userId}/follow`, {
            channelId: LINE_CHANNEL,
          });
          const m = await sim$<{ webhookStatus: number }>('POST', `/_sim/users/${userId}/messages`, {
            channelId: LINE_CHANNEL,
            message: { type: 'text', text: '相談したいです' },
          });
          webhookStatuses.push(f.webhookStatus, m.webhookStatus);
        }
      }),
    );

    // Kill 1 and kill 2, each once its worker is well into the dispatch; then a new runtime finishes.
    const killedAt: number[] = [];
    for (const threshold of [EVENTS * 0.25, EVENTS * 0.55]) {
      await waitFor(dispatched, (n) => n >= threshold, { timeoutMs: 40_000 });
      await kill(worker);
      killedAt.push(await dispatched());
      if (killedAt.length < 2) worker = await startWorker();
    }
    finisher = await createRuntime(config, { workers: true });
    await load;
    // One more friend after the restart: its webhook queues a dispatch, as live traffic would.
    const [late] = (await sim$<{ userIds: string[] }>('POST', '/_sim/users/bulk', { count: 1 })).userIds;
    await sim$('POST', `/_sim/users/${late}/follow`, { channelId: LINE_CHANNEL });

    const total = EVENTS + 1;
    await waitFor(dispatched, (n) => n === total, { timeoutMs: 40_000 });
    const settled = await waitFor(
      () =>
        intake.db
          .selectFrom('line_outbox')
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute(),
      (rows) => !rows.some((r) => r.status === 'pending'),
      { timeoutMs: 40_000 },
    );

    // 0 events lost: every webhook was acknowledged, stored once and dispatched.
    expect(webhookStatuses.filter((s) => s !== 200)).toEqual([]);
    const events = await intake.db.selectFrom('line_events').select(['id', 'dispatched_at']).execute();
    expect(events).toHaveLength(total);
    expect(events.filter((e) => !e.dispatched_at)).toEqual([]);

    // One outbox row per event (a greeting per follow, a door link per keyword).
    const outbox = await intake.db
      .selectFrom('line_outbox')
      .select(['line_event_id', 'reply_token', 'status'])
      .execute();
    expect(outbox).toHaveLength(total);
    expect(new Set(outbox.map((r) => r.line_event_id)).size).toBe(total);

    // The simulator's log of reply calls, per reply token.
    const replies = await sim$<{ body: { replyToken: string }; status?: number }[]>(
      'GET',
      `/_sim/requests?channelId=${LINE_CHANNEL}&path=/v2/bot/message/reply`,
    );
    const perToken = new Map<string, { accepted: number; refused: number }>();
    for (const r of replies) {
      const t = perToken.get(r.body.replyToken) ?? { accepted: 0, refused: 0 };
      if (r.status === 200) t.accepted += 1;
      else t.refused += 1;
      perToken.set(r.body.replyToken, t);
    }
    const tokens = outbox.map((r) => r.reply_token!);
    const acceptedOnce = tokens.filter((t) => perToken.get(t)?.accepted === 1).length;
    const duplicates = [...perToken.values()].filter((t) => t.accepted > 1).length;
    const resentRefused = [...perToken.values()].filter((t) => t.refused > 0).length;

    // What each citizen received: exactly the greeting and the door link (the late friend: greeting).
    const stats = await sim$<{ deliveriesHistogram: Record<string, number> }>(
      'GET',
      `/_sim/stats?channelId=${LINE_CHANNEL}&perUser=false`,
    );
    console.log(
      JSON.stringify({
        test: 'line-events-crash',
        events: total,
        kills: killedAt.length,
        dispatchedAtKills: killedAt,
        lost: total - events.filter((e) => e.dispatched_at).length,
        outbox: Object.fromEntries(settled.map((r) => [r.status, Number(r.n)])),
        sent: acceptedOnce,
        duplicates,
        replyRequests: replies.length,
        resentAfterKillRefusedByLine: resentRefused,
        deliveriesPerUser: stats.deliveriesHistogram,
      }),
    );
    expect(duplicates).toBe(0);
    expect(acceptedOnce).toBe(total);
    expect(stats.deliveriesHistogram).toEqual({ '1': 1, '2': USERS });
    // Re-sent only what was in flight when a worker died, and LINE refused each of those.
    expect(resentRefused).toBeLessThanOrEqual(killedAt.length * OUTBOX_MAX_IN_FLIGHT);
    expect(replies.length).toBe(total + resentRefused);
  }, 120_000);
});
