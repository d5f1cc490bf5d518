import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { createDesk } from './desks.service.ts';

// Several server processes on one database (C-13, O-06): a message sent through process A reaches
// a counselor connected to process B, through PostgreSQL LISTEN/NOTIFY.

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/madoguchi.js');
let a: TestServer;
let b: ChildProcess;
let bUrl: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  a = await startTestServer();
  const always = Object.fromEntries(
    ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
  );
  await createDesk(a.db, {
    ...demoDesks(null as unknown as string)[1]!,
    channelId: null,
    hours: always,
    accessCode: null,
  });
  const port = await freePort();
  bUrl = `http://127.0.0.1:${port}`;
  b = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: a.databaseUrl,
      ENCRYPTION_KEY: a.config.ENCRYPTION_KEY,
      PUBLIC_URL: bUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  await waitFor(
    () =>
      fetch(`${bUrl}/readyz`)
        .then((r) => r.ok)
        .catch(() => false),
    (ok) => ok,
    { everyMs: 200, what: 'process B ready' },
  );
});
afterAll(async () => {
  b?.kill('SIGTERM');
  await new Promise((r) => b?.once('exit', r));
  await a?.close();
});

describe('two server processes (C-13)', () => {
  it('C-13: a consultee on process A reaches a counselor connected to process B', async () => {
    const c = await createStaff(a.db, 'counselor');
    const counselorOnB = await staffClient({ ...a, url: bUrl }, c.loginId);
    const feed = new WebSocket(`${bUrl.replace('http', 'ws')}/ws/console`, {
      headers: { cookie: counselorOnB.cookie },
    } as never);
    const got: Record<string, unknown>[] = [];
    feed.addEventListener('message', (e) => got.push(JSON.parse(String(e.data))));
    await new Promise((r) => feed.addEventListener('open', r));

    const start = await fetch(`${a.url}/api/consult/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deskSlug: 'ijime' }),
    });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const { consultationId } = (await start.json()) as { consultationId: string };
    const chat = new WebSocket(`${a.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`, {
      headers: { cookie },
    } as never);
    await new Promise((r) => chat.addEventListener('open', r));
    chat.send(JSON.stringify({ type: 'visibility', visible: true }));
    chat.send(JSON.stringify({ type: 'message', clientId: 'two-proc', text: 'プロセスAから送信' }));

    const fromConsultee = (m: Record<string, unknown>) =>
      m.type === 'message' && (m.message as { sender: string }).sender === 'consultee';
    await waitFor(
      async () => got.some(fromConsultee),
      (seen) => seen,
      { timeoutMs: 5_000, what: 'the message in process B' },
    );
    expect(got.find(fromConsultee)).toMatchObject({
      consultationId,
      message: { text: 'プロセスAから送信', sender: 'consultee' },
    });
    expect(
      got.some((m) => m.type === 'presence' && m.consultationId === consultationId && m.online === true),
    ).toBe(true);

    // And back: the counselor replies through B, the consultee on A receives it.
    const received = new Promise<string>((resolve) =>
      chat.addEventListener('message', (e) => {
        const m = JSON.parse(String(e.data)) as { type: string; message?: { text: string } };
        if (m.type === 'message' && m.message) resolve(m.message.text);
      }),
    );
    await counselorOnB.request('POST', `/api/consultations/${consultationId}/assign`, {});
    await counselorOnB.request('POST', `/api/consultations/${consultationId}/history-confirm`, {});
    await counselorOnB.request('POST', `/api/consultations/${consultationId}/messages`, {
      clientId: 'b-1',
      text: 'プロセスBから返信',
      kind: 'text',
    });
    expect(await received).toBe('プロセスBから返信');
    chat.close();
    feed.close();
  });

  it('C-08: a desk changed through process B is used at once by process A (desk caches reload)', async () => {
    const admin = await createStaff(a.db, 'admin');
    const adminOnB = await staffClient({ ...a, url: bUrl }, admin.loginId);
    const desk = await a.db
      .selectFrom('desks')
      .select('id')
      .where('slug', '=', 'ijime')
      .executeTakeFirstOrThrow();
    // Process A has the desk in its cache already (the first test used it).
    const patched = await adminOnB.request('PATCH', `/api/desks/${desk.id}`, { riskWords: ['新しい危険語'] });
    expect(patched.status).toBe(200);

    const start = await fetch(`${a.url}/api/consult/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deskSlug: 'ijime' }),
    });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const { consultationId } = (await start.json()) as { consultationId: string };
    const chat = new WebSocket(`${a.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`, {
      headers: { cookie },
    } as never);
    const acked = new Promise<void>((resolve) =>
      chat.addEventListener('message', (e) => {
        if ((JSON.parse(String(e.data)) as { type: string }).type === 'ack') resolve();
      }),
    );
    await new Promise((r) => chat.addEventListener('open', r));
    chat.send(JSON.stringify({ type: 'message', clientId: 'risk-1', text: 'もう新しい危険語です' }));
    await acked;
    const row = await a.db
      .selectFrom('consultations')
      .select('risk_flagged_at')
      .where('id', '=', consultationId)
      .executeTakeFirstOrThrow();
    expect(row.risk_flagged_at).not.toBeNull();
    chat.close();
  });
});
