import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { createDesk } from '../modules/consultation/desks.service.ts';
import {
  findPgBinDir,
  initCluster,
  type PgServer,
  startServer,
  startStandby,
} from '../operations/postgres-server.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { deskInput } from './desk-input.ts';
import { postWebhook, textEvent } from './line-webhook.ts';
import { insertTestChannel, TEST_ENCRYPTION_KEY } from './test-server.ts';

// The failover drill (C-13, S-06) shared by failover.int.test.ts and bench/failover: a primary and a
// streaming standby on this machine, the product on a multi-host DATABASE_URL, LINE webhooks and web
// consultation messages sent without pause, and what was acknowledged counted on the new primary.

export const STANDBY_NAME = 'madoguchi_standby';
const DATABASE = 'madoguchi';

export interface ReplicatedPair {
  binDir: string;
  root: string;
  primary: PgServer;
  standby: PgServer;
  /** postgres://…@primary,standby/madoguchi?target_session_attrs=read-write */
  databaseUrl: string;
  close(): Promise<void>;
}

/** A primary and its streaming standby, synchronous (synchronous_commit=on) or asynchronous. */
export async function startReplicatedPair(opts: { synchronous: boolean }): Promise<ReplicatedPair> {
  const binDir = findPgBinDir();
  const root = mkdtempSync(path.join(os.tmpdir(), 'madoguchi-failover-'));
  chmodSync(root, 0o755);
  const servers: PgServer[] = [];
  const close = async () => {
    for (const s of servers) await s.stop('immediate');
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await initCluster(binDir, path.join(root, 'primary'));
    const primary = await startServer({
      binDir,
      dataDir: path.join(root, 'primary'),
      settings: opts.synchronous
        ? { synchronous_standby_names: STANDBY_NAME, synchronous_commit: 'on' }
        : { synchronous_commit: 'on' },
    });
    servers.push(primary);
    const standby = await startStandby({
      binDir,
      primary,
      dataDir: path.join(root, 'standby'),
      applicationName: STANDBY_NAME,
    });
    servers.push(standby);
    // Created once the standby is there: with synchronous replication every commit waits for it.
    const admin = new pg.Client({ connectionString: primary.url() });
    await admin.connect();
    await admin.query(`create database ${DATABASE}`);
    await admin.end();
    const databaseUrl = `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/${DATABASE}?target_session_attrs=read-write`;
    return { binDir, root, primary, standby, databaseUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Waits until the standby streams from the primary (and, if synchronous, is the sync one). */
export async function waitForReplication(pair: ReplicatedPair, synchronous: boolean): Promise<void> {
  const c = new pg.Client({ connectionString: pair.primary.url() });
  await c.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const r = await c.query<{ sync_state: string; state: string }>(
        'select sync_state, state from pg_stat_replication where application_name = $1',
        [STANDBY_NAME],
      );
      const row = r.rows[0];
      if (row?.state === 'streaming' && (!synchronous || row.sync_state === 'sync')) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('the standby did not start streaming');
  } finally {
    await c.end();
  }
}

export const CHANNEL_SECRET = 'failover-drill-secret';
const ACCESS_CODE = 'drill';
const DESK_SLUG = 'drill';

const alwaysOpen = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
);
const drillDesk = deskInput({
  name: '訓練窓口',
  slug: DESK_SLUG,
  hours: alwaysOpen,
  accessCode: ACCESS_CODE,
  maxConcurrent: 50,
});

export interface DrillProduct {
  url: string;
  runtime: Runtime;
  channelId: string;
  close(): Promise<void>;
}

/** The product (serve with its workers, in this process) on the pair's multi-host URL, a channel and a web desk. */
export async function startProduct(databaseUrl: string): Promise<DrillProduct> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    // no LINE here: profile fetches and replies fail at once instead of going to the internet
    LINE_API_BASE_URL: 'http://127.0.0.1:9',
    LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
    AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `failover-drill-${process.pid}-audit.jsonl`),
  });
  const runtime = await createRuntime(config, { workers: true });
  const url = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  const channel = await insertTestChannel({ db: runtime.db, config, url }, { channelSecret: CHANNEL_SECRET });
  await createDesk(runtime.db, drillDesk);
  return { url, runtime, channelId: channel.id, close: () => runtime.close() };
}

export interface LoadTally {
  /** webhookEventIds answered 200 */
  webhooksAcked: string[];
  /** HTTP status (or "network") → count, for the answers that were not 200 */
  webhookFailures: Record<string, number>;
  /** consultation message clientIds acknowledged over the socket */
  messagesAcked: string[];
  messageFailures: number;
  /** performance.now() when each webhook answered 200 was sent and answered */
  webhookOk: { start: number; end: number }[];
}

export interface Load {
  tally: LoadTally;
  stop(): Promise<LoadTally>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends webhooks (one text event each, `webhookSenders` at a time) and consultation messages until stopped. */
export function startLoad(
  product: DrillProduct,
  opts: { webhookSenders?: number; consultations?: number; pauseMs?: number } = {},
): Load {
  const tally: LoadTally = {
    webhooksAcked: [],
    webhookFailures: {},
    messagesAcked: [],
    messageFailures: 0,
    webhookOk: [],
  };
  let stopped = false;
  const fail = (key: string) => {
    tally.webhookFailures[key] = (tally.webhookFailures[key] ?? 0) + 1;
  };
  const webhookSender = async (n: number) => {
    const user = `U${n.toString(16).padStart(32, '0')}`;
    while (!stopped) {
      const event = textEvent(user, 'こんにちは');
      const t0 = performance.now();
      try {
        const res = await postWebhook(product.url, product.channelId, CHANNEL_SECRET, [event], {});
        await res.arrayBuffer();
        if (res.status === 200) {
          tally.webhooksAcked.push(event.webhookEventId);
          tally.webhookOk.push({ start: t0, end: performance.now() });
        } else fail(String(res.status));
      } catch {
        fail('network');
      }
      if (opts.pauseMs) await pause(opts.pauseMs);
    }
  };
  const consultee = async (n: number) => {
    let seq = 0;
    let socket: WebSocket | null = null;
    let cookie = '';
    let consultationId = '';
    while (!stopped) {
      try {
        if (!consultationId) {
          const res = await fetch(`${product.url}/api/consult/start`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ deskSlug: DESK_SLUG, accessCode: ACCESS_CODE }),
          });
          const body = (await res.json()) as { consultationId?: string };
          if (res.status !== 200 || !body.consultationId) throw new Error(`start ${res.status}`);
          consultationId = body.consultationId;
          cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
        }
        if (!socket || socket.readyState !== WebSocket.OPEN)
          socket = await openSocket(product.url, consultationId, cookie);
        const clientId = `m${n}-${seq++}`;
        const ok = await sendMessage(socket, clientId);
        if (ok) tally.messagesAcked.push(clientId);
        else tally.messageFailures++;
      } catch {
        tally.messageFailures++;
        socket?.close();
        socket = null;
        await pause(200);
      }
      if (opts.pauseMs) await pause(opts.pauseMs);
    }
    socket?.close();
  };
  const running = [
    ...Array.from({ length: opts.webhookSenders ?? 4 }, (_, i) => webhookSender(i + 1)),
    ...Array.from({ length: opts.consultations ?? 2 }, (_, i) => consultee(i + 1)),
  ];
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(running);
      return tally;
    },
  };
}

async function openSocket(baseUrl: string, consultationId: string, cookie: string): Promise<WebSocket> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`, {
    headers: { cookie },
  } as never);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket open timed out')), 5000);
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error('socket refused'));
    });
  });
  return ws;
}

/** Sends one message; true once the server acknowledged it (stored), false on its error answer. */
function sendMessage(ws: WebSocket, clientId: string): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
      fn();
    };
    const onMessage = (e: MessageEvent) => {
      const m = JSON.parse(String(e.data)) as { type?: string; clientId?: string };
      if (m.clientId !== clientId) return;
      if (m.type === 'ack') done(() => resolve(true));
      else if (m.type === 'error') done(() => resolve(false));
    };
    const onClose = () => done(() => reject(new Error('socket closed')));
    const timer = setTimeout(() => done(() => reject(new Error('no answer to a message'))), 10_000);
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
    ws.send(JSON.stringify({ type: 'message', clientId, text: `相談 ${clientId}` }));
  });
}

/** Which acknowledged webhook events and messages the database at `url` does not hold. */
export async function findLost(
  url: string,
  tally: LoadTally,
): Promise<{ webhooks: string[]; messages: string[] }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const events = await c.query<{ id: string }>(
      'select webhook_event_id as id from line_events where webhook_event_id = any($1::text[])',
      [tally.webhooksAcked],
    );
    const messages = await c.query<{ id: string }>(
      'select client_id as id from consultation_messages where client_id = any($1::text[])',
      [tally.messagesAcked],
    );
    const haveEvents = new Set(events.rows.map((r) => r.id));
    const haveMessages = new Set(messages.rows.map((r) => r.id));
    return {
      webhooks: tally.webhooksAcked.filter((id) => !haveEvents.has(id)),
      messages: tally.messagesAcked.filter((id) => !haveMessages.has(id)),
    };
  } finally {
    await c.end();
  }
}

/** Until `ms` since the product answers readyz 200 and a webhook 200 (or the limit passes). */
export async function waitUntilBack(product: DrillProduct, limitMs: number): Promise<number | null> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    try {
      const ready = await fetch(`${product.url}/readyz`);
      await ready.arrayBuffer();
      if (ready.status === 200) {
        const res = await postWebhook(product.url, product.channelId, CHANNEL_SECRET, [
          textEvent(`U${'f'.repeat(32)}`, 'probe'),
        ]);
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - t0;
      }
    } catch {}
    await pause(100);
  }
  return null;
}
