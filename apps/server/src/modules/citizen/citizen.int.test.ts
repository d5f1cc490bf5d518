import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { createChannelsService } from '../channels/channels.service.ts';

// The product against the LINE simulator: signed webhooks in, profiles fetched through the
// Messaging API, and citizens signed in with LIFF ID tokens verified by LINE Login (D-03, D-06).

let sim: RunningSimulator;
let server: TestServer;
let channelId: string;
const LINE = {
  channelId: '2100000001',
  secret: 'sim-channel-secret-1',
  token: 'sim-access-token-1',
  login: '2100000002',
  loginSecret: 'sim-login-secret-1',
  liffId: '2100000002-AbCd1234',
};

const simPost = async (path: string, body: unknown) => {
  const r = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status, `${path}: ${r.status}`).toBeLessThan(300);
  return r.json() as Promise<Record<string, unknown>>;
};

async function idTokenFor(userId: string): Promise<string> {
  const { url } = (await simPost('/_sim/liff/open', { userId, liffId: LINE.liffId })) as { url: string };
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('id_token');
  expect(token).toBeTruthy();
  return token!;
}

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
    name: 'シミュレーター市',
    lineChannelId: LINE.channelId,
    channelSecret: LINE.secret,
    accessToken: LINE.token,
    environment: 'production',
    loginChannelId: LINE.login,
    loginChannelSecret: LINE.loginSecret,
    liffId: LINE.liffId,
  });
  channelId = ch.id;
  await simPost('/_sim/channels', {
    channelId: LINE.channelId,
    name: 'シミュレーター市',
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

describe('LINE simulator → product (D-03)', () => {
  it('D-03: a follow from the simulator is stored and the profile is fetched through the Messaging API', async () => {
    const user = (await simPost('/_sim/users', { displayName: '千葉 花子' })) as { userId: string };
    const followed = (await simPost(`/_sim/users/${user.userId}/follow`, { channelId: LINE.channelId })) as {
      webhookStatus: number;
    };
    expect(followed.webhookStatus).toBe(200);
    let friend: { display_name: string | null; status: string } | undefined;
    for (let i = 0; i < 100 && !friend?.display_name; i++) {
      friend = await server.db
        .selectFrom('friends')
        .select(['display_name', 'status'])
        .where('line_user_id', '=', user.userId)
        .executeTakeFirst();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(friend).toEqual({ display_name: '千葉 花子', status: 'following' });
  });
});

describe('citizen sign-in with LIFF ID tokens (D-06)', () => {
  it('D-06: a valid ID token signs the citizen in; the page reads who is signed in from the server', async () => {
    const user = (await simPost('/_sim/users', { displayName: '市民 一郎' })) as { userId: string };
    const res = await fetch(`${server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: await idTokenFor(user.userId), channelId }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { lineUserId: user.userId, displayName: '市民 一郎' } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    const me = await fetch(`${server.url}/api/citizen/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toMatchObject({ user: { lineUserId: user.userId }, channelId });
  });

  it('D-06: a forged or tampered token is refused and no session is created', async () => {
    const user = (await simPost('/_sim/users', { displayName: '偽造 テスト' })) as { userId: string };
    const real = await idTokenFor(user.userId);
    const [h, p, s] = real.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: `U${'f'.repeat(32)}` })).toString(
      'base64url',
    );
    const before = await server.db.selectFrom('citizen_sessions').select('id_hash').execute();
    for (const idToken of [`${h}.${forgedPayload}.${s}`, 'not-a-jwt-at-all', `${h}.${p}.${'A'.repeat(43)}`]) {
      const res = await fetch(`${server.url}/api/citizen/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ idToken, channelId }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('INVALID_ID_TOKEN');
    }
    expect(await server.db.selectFrom('citizen_sessions').select('id_hash').execute()).toHaveLength(
      before.length,
    );
  });

  it('bad input: unknown channel, missing fields, no session cookie', async () => {
    const unknown = await fetch(`${server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: 'x'.repeat(20), channelId: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(unknown.status).toBe(404);
    const missing = await fetch(`${server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe('VALIDATION_FAILED');
    const me = await fetch(`${server.url}/api/citizen/me`);
    expect(me.status).toBe(401);
    const config = await fetch(`${server.url}/api/citizen/config?ch=${channelId}`);
    expect(await config.json()).toMatchObject({ channelId, liffId: LINE.liffId });
  });
});
