import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { createDesk } from './desks.service.ts';
import { LINE_NOTICE_TEXT } from './line-door.ts';

// LINE is only the door (C-01, C-07): a full consultation from a LINE friend, with every request the
// product sends to the LINE API inspected for consultation text.

let sim: RunningSimulator;
let server: TestServer;
let channelId: string;
const LINE = {
  channelId: '2200000001',
  secret: 'door-secret-1',
  token: 'door-token-1',
  login: '2200000002',
  loginSecret: 'door-login-secret',
  liffId: '2200000002-Door1234',
};
const always = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]),
);

const simCall = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${sim.url}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : null,
  });
  return r.json() as Promise<Record<string, unknown>>;
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, rateLimits: false });
  server = await startTestServer({
    LINE_API_BASE_URL: sim.url,
    LINE_DATA_API_BASE_URL: sim.url,
    LINE_OAUTH_BASE_URL: sim.url,
  });
  const channels = createChannelsService({
    db: server.db,
    cipher: createCipher(server.config.ENCRYPTION_KEY),
    publicUrl: server.url,
  });
  const ch = await channels.create({
    name: '窓口市',
    lineChannelId: LINE.channelId,
    channelSecret: LINE.secret,
    accessToken: LINE.token,
    environment: 'production',
    loginChannelId: LINE.login,
    loginChannelSecret: LINE.loginSecret,
    liffId: LINE.liffId,
  });
  channelId = ch.id;
  const [welfare] = demoDesks(ch.id);
  await createDesk(server.db, { ...welfare!, hours: always, closedOnHolidays: false, closedYearEnd: false });
  await simCall('POST', '/_sim/channels', {
    channelId: LINE.channelId,
    name: '窓口市',
    channelSecret: LINE.secret,
    accessToken: LINE.token,
    webhookUrl: ch.webhookUrl,
    loginChannelId: LINE.login,
    loginChannelSecret: LINE.loginSecret,
    liffApps: [{ liffId: LINE.liffId, endpointUrl: `${server.url}/citizen/?ch=${ch.id}` }],
  });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('LINE is only the door (C-01)', () => {
  it('C-01: a keyword gets a link to our chat page; replies reach LINE only as a content-free notice', async () => {
    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const user = (await simCall('POST', '/_sim/users', { displayName: '窓口 花子' })) as { userId: string };
    await simCall('POST', `/_sim/users/${user.userId}/follow`, { channelId: LINE.channelId });

    // The keyword "相談" is answered with a button that opens the LIFF chat page for the desk.
    await simCall('POST', `/_sim/users/${user.userId}/messages`, {
      channelId: LINE.channelId,
      message: { type: 'text', text: '相談したいです' },
    });
    let inbox: { message: { type: string; template?: { actions: { uri: string }[] } } }[] = [];
    for (let i = 0; i < 50 && inbox.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      inbox = (
        (await simCall('GET', `/_sim/users/${user.userId}/inbox?channelId=${LINE.channelId}`)) as {
          messages: typeof inbox;
        }
      ).messages;
    }
    const link = inbox[0]?.message.template?.actions[0]?.uri;
    expect(link).toBe(`https://liff.line.me/${LINE.liffId}?desk=welfare`);

    // The consultee opens the page (LIFF sign-in) and starts the consultation there.
    const { url } = (await simCall('POST', '/_sim/liff/open', {
      userId: user.userId,
      liffId: LINE.liffId,
      path: '?desk=welfare',
    })) as { url: string };
    expect(new URL(url).searchParams.get('desk')).toBe('welfare');
    const idToken = new URLSearchParams(new URL(url).hash.slice(1)).get('id_token')!;
    const session = await fetch(`${server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken, channelId }),
    });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const start = await fetch(`${server.url}/api/consult/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ deskSlug: 'welfare' }),
    });
    expect(start.status).toBe(200);
    const { consultationId } = (await start.json()) as { consultationId: string };

    const secretText = '借金の返済で生活ができません';
    const ws = new WebSocket(
      `${server.url.replace('http', 'ws')}/ws/consult?consultationId=${consultationId}`,
      { headers: { cookie } } as never,
    );
    await new Promise((r) => ws.addEventListener('open', r));
    const acked = new Promise((r) =>
      ws.addEventListener('message', (e) => String(e.data).includes('"ack"') && r(null)),
    );
    ws.send(JSON.stringify({ type: 'message', clientId: 'l-1', text: secretText }));
    await acked;
    ws.close(); // the consultee leaves the page

    // The counselor answers while the consultee is away.
    const c = await createStaff(server.db, 'counselor');
    const counselor = await staffClient(server, c.loginId);
    await counselor.request('POST', `/api/consultations/${consultationId}/assign`, {});
    await counselor.request('POST', `/api/consultations/${consultationId}/history-confirm`, {});
    const replyText = '返済計画について一緒に考えましょう';
    expect(
      (
        await counselor.request('POST', `/api/consultations/${consultationId}/messages`, {
          clientId: 'r',
          text: replyText,
          kind: 'text',
        })
      ).status,
    ).toBe(201);

    // LINE receives the fixed notice with the link, never the content.
    let notice: { message: { text?: string } } | undefined;
    for (let i = 0; i < 50 && !notice; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const all = (
        (await simCall('GET', `/_sim/users/${user.userId}/inbox?channelId=${LINE.channelId}`)) as {
          messages: { via: string; message: { text?: string } }[];
        }
      ).messages;
      notice = all.find((m) => m.via === 'push');
    }
    expect(notice?.message.text).toContain(LINE_NOTICE_TEXT);
    expect(notice?.message.text).toContain(`https://liff.line.me/${LINE.liffId}?desk=welfare`);

    const requests = JSON.stringify(await simCall('GET', '/_sim/requests'));
    expect(requests.length).toBeGreaterThan(100);
    for (const text of [secretText, replyText, '借金', '返済']) expect(requests).not.toContain(text);
  });

  it('C-07: a counselor starts a conversation with a past consultee out of hours; LINE gets only the notice', async () => {
    const list = (await (
      await (
        await staffClient(server, (await createStaff(server.db, 'supervisor')).loginId)
      ).request('GET', '/api/consultations')
    ).json()) as {
      items: { consulteeId: string; deskId: string }[];
    };
    const past = list.items[0]!;
    const c = await createStaff(server.db, 'counselor');
    const counselor = await staffClient(server, c.loginId);
    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const res = await counselor.request('POST', '/api/consultations/outreach', {
      consulteeId: past.consulteeId,
      deskId: past.deskId,
      text: 'その後いかがですか（相談員より）',
    });
    expect(res.status).toBe(201);
    const requests = JSON.stringify(await simCall('GET', '/_sim/requests'));
    expect(requests).not.toContain('その後いかがですか');
  });
});
