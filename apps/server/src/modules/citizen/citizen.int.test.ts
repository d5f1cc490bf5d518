import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { waitFor } from '../../testing/wait-for.ts';

// The product against the LINE simulator: signed webhooks in, profiles fetched through the
// Messaging API, and citizens signed in with LIFF ID tokens verified by LINE Login (D-03, D-06).

let w: LineWorld;

beforeAll(async () => {
  w = await startLineWorld('2100000001');
});
afterAll(async () => w?.close());

const newUser = async (displayName: string) =>
  (await w.sim$('POST', '/_sim/users', { displayName })) as { userId: string };

describe('LINE simulator → product (D-03)', () => {
  it('D-03: a follow from the simulator is stored and the profile is fetched through the Messaging API', async () => {
    const user = await newUser('千葉 花子');
    const followed = (await w.sim$('POST', `/_sim/users/${user.userId}/follow`, {
      channelId: w.line.channelId,
    })) as { webhookStatus: number };
    expect(followed.webhookStatus).toBe(200);
    const friend = await waitFor(
      () =>
        w.server.db
          .selectFrom('friends')
          .select(['display_name', 'status'])
          .where('line_user_id', '=', user.userId)
          .executeTakeFirst(),
      (f) => !!f?.display_name,
      { timeoutMs: 10_000, what: 'the friend with a profile' },
    );
    expect(friend).toEqual({ display_name: '千葉 花子', status: 'following' });
  });
});

describe('citizen sign-in with LIFF ID tokens (D-06)', () => {
  const signIn = (idToken: string, channelId = w.channelId) =>
    fetch(`${w.server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken, channelId }),
    });

  it('D-06: a valid ID token signs the citizen in; the page reads who is signed in from the server', async () => {
    const user = await newUser('市民 一郎');
    const res = await signIn((await w.idTokenFor(user.userId)).idToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { lineUserId: user.userId, displayName: '市民 一郎' } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    const me = await fetch(`${w.server.url}/api/citizen/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toMatchObject({ user: { lineUserId: user.userId }, channelId: w.channelId });
  });

  it('D-06: a forged or tampered token is refused and no session is created', async () => {
    const user = await newUser('偽造 テスト');
    const real = (await w.idTokenFor(user.userId)).idToken;
    const [h, p, s] = real.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: `U${'f'.repeat(32)}` })).toString(
      'base64url',
    );
    const before = await w.server.db.selectFrom('citizen_sessions').select('id_hash').execute();
    for (const idToken of [`${h}.${forgedPayload}.${s}`, 'not-a-jwt-at-all', `${h}.${p}.${'A'.repeat(43)}`]) {
      const res = await signIn(idToken);
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('INVALID_ID_TOKEN');
    }
    expect(await w.server.db.selectFrom('citizen_sessions').select('id_hash').execute()).toHaveLength(
      before.length,
    );
  });

  it('bad input: unknown channel, missing fields, no session cookie', async () => {
    expect((await signIn('x'.repeat(20), '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const missing = await fetch(`${w.server.url}/api/citizen/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).code).toBe('VALIDATION_FAILED');
    expect((await fetch(`${w.server.url}/api/citizen/me`)).status).toBe(401);
    const config = await fetch(`${w.server.url}/api/citizen/config?ch=${w.channelId}`);
    expect(await config.json()).toMatchObject({ channelId: w.channelId, liffId: w.line.liffId });
  });
});
