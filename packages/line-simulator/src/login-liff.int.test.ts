import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const LIFF_ID = '2000000002-AbCdEfGh';
const ENDPOINT = 'http://localhost:5173/citizen';

describe('LINE Login and the LIFF stand-in (D-03)', () => {
  let t: TestSimulator;
  let now = Date.now();
  let user: string;

  beforeAll(async () => {
    t = await startTestSimulator(
      { clock: () => now },
      { liffApps: [{ liffId: LIFF_ID, endpointUrl: ENDPOINT }] },
    );
    user = await t.createUser('伊藤 さくら');
  });
  afterAll(() => t.close());

  const open = async (body: Record<string, unknown>) => {
    const res = await t.call('POST', '/_sim/liff/open', body);
    expect(res.status).toBe(200);
    const url = new URL(res.body.url);
    return { url, fragment: new URLSearchParams(url.hash.slice(1)) };
  };
  const verify = (form: Record<string, string>) =>
    fetch(`${t.url}/oauth2/v2.1/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('opens a LIFF app with an ID token the product verifies like LINE', async () => {
    const { url, fragment } = await open({ userId: user, liffId: LIFF_ID, path: '/forms/7?from=menu' });
    expect(`${url.origin}${url.pathname}${url.search}`).toBe(`${ENDPOINT}/forms/7?from=menu`);
    const idToken = fragment.get('id_token')!;
    const ok = await verify({ id_token: idToken, client_id: CHANNEL.loginChannelId });
    expect(ok).toEqual({
      status: 200,
      body: expect.objectContaining({
        iss: 'https://access.line.me',
        sub: user,
        aud: CHANNEL.loginChannelId,
        name: '伊藤 さくら',
      }),
    });
    expect(ok.body.exp - ok.body.iat).toBe(3600);
    const viaUrl = await open({ userId: user, url: `https://liff.line.me/${LIFF_ID}/forms/7` });
    expect(viaUrl.url.pathname).toBe('/citizen/forms/7');
  });

  it('rejects tampered, foreign-audience and expired ID tokens with LINE errors', async () => {
    const { fragment } = await open({ userId: user, liffId: LIFF_ID });
    const idToken = fragment.get('id_token')!;
    const [h, p, s] = idToken.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'Uother' }),
    );
    expect(
      await verify({
        id_token: `${h}.${forged.toString('base64url')}.${s}`,
        client_id: CHANNEL.loginChannelId,
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Invalid IdToken.' },
    });
    expect((await verify({ id_token: idToken, client_id: '1999999999' })).body).toEqual({
      error: 'invalid_request',
      error_description: 'Invalid IdToken Audience.',
    });
    expect(
      (await verify({ id_token: idToken, client_id: CHANNEL.loginChannelId, nonce: 'x' })).body
        .error_description,
    ).toBe('Invalid IdToken Nonce.');
    now += 3600_000 + 1;
    expect((await verify({ id_token: idToken, client_id: CHANNEL.loginChannelId })).body).toEqual({
      error: 'invalid_request',
      error_description: 'IdToken expired.',
    });
  });

  it('verifies the access token and serves the profile', async () => {
    const { fragment } = await open({ userId: user, liffId: LIFF_ID });
    const accessToken = fragment.get('access_token')!;
    const verified = await t.call('GET', `/oauth2/v2.1/verify?access_token=${accessToken}`);
    expect(verified.body).toMatchObject({ client_id: CHANNEL.loginChannelId, scope: 'profile openid' });
    const profile = await t.call('GET', '/v2/profile', undefined, { authorization: `Bearer ${accessToken}` });
    expect(profile.body).toEqual({ userId: user, displayName: '伊藤 さくら' });
    expect((await t.call('GET', '/v2/profile', undefined, { authorization: 'Bearer nope' })).status).toBe(
      401,
    );
  });

  it('serves a LIFF SDK that takes the credentials from the fragment', async () => {
    const res = await fetch(`${t.url}/liff/sdk.js`);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const source = await res.text();
    const { url } = await open({ userId: user, liffId: LIFF_ID, path: '/home' });

    const storage = new Map<string, string>();
    const location = new URL(url.toString());
    const replaced: string[] = [];
    const window: Record<string, unknown> = {};
    window.parent = window;
    runInNewContext(source, {
      window,
      document: { currentScript: { src: `${t.url}/liff/sdk.js` } },
      location,
      history: { state: null, replaceState: (_s: unknown, _t: string, u: string) => replaced.push(u) },
      sessionStorage: {
        getItem: (k: string) => storage.get(k) ?? null,
        setItem: (k: string, v: string) => storage.set(k, v),
        removeItem: (k: string) => storage.delete(k),
      },
      navigator: { userAgent: 'Mozilla/5.0 (iPhone)', language: 'ja' },
      URL,
      URLSearchParams,
      TextDecoder,
      atob,
      fetch,
    });
    expect(replaced).toEqual(['/citizen/home']);
    const liff = window.liff as {
      init(c: { liffId: string }): Promise<void>;
      isLoggedIn(): boolean;
      isInClient(): boolean;
      getOS(): string;
      getIDToken(): string;
      getDecodedIDToken(): Record<string, unknown>;
      getProfile(): Promise<Record<string, unknown>>;
      getFriendship(): Promise<{ friendFlag: boolean }>;
      sendMessages(m: unknown[]): Promise<void>;
      permanentLink: { createUrlBy(u: string): Promise<string> };
    };
    await liff.init({ liffId: LIFF_ID });
    expect(liff.isLoggedIn()).toBe(true);
    expect(liff.isInClient()).toBe(true);
    expect(liff.getOS()).toBe('ios');
    expect(liff.getDecodedIDToken()).toMatchObject({ sub: user, name: '伊藤 さくら' });
    expect(await liff.getProfile()).toEqual({ userId: user, displayName: '伊藤 さくら' });
    const verified = await verify({ id_token: liff.getIDToken(), client_id: CHANNEL.loginChannelId });
    expect(verified.status).toBe(200);
    expect(await liff.getFriendship()).toEqual({ friendFlag: true });
    await liff.sendMessages([{ type: 'text', text: 'LIFFから送信' }]);
    expect(t.receiver.calls.at(-1)?.json.events[0]).toMatchObject({
      type: 'message',
      message: { text: 'LIFFから送信' },
    });
    expect(await liff.permanentLink.createUrlBy(`${ENDPOINT}/forms/1?x=2`)).toBe(
      `https://liff.line.me/${LIFF_ID}/forms/1?x=2`,
    );
  });

  it('lets a plain browser log in as a virtual user (liff.login())', async () => {
    const page = await fetch(
      `${t.url}/liff/login?liffId=${LIFF_ID}&redirect_uri=${encodeURIComponent(`${ENDPOINT}/x`)}`,
    );
    const html = await page.text();
    expect(html).toContain('伊藤 さくら');
    const href = /href="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&');
    const done = await fetch(t.url + href, { redirect: 'manual' });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toMatch(new RegExp(`^${ENDPOINT}/x#id_token=`));
    const evil = await fetch(
      `${t.url}/liff/login?liffId=${LIFF_ID}&redirect_uri=${encodeURIComponent('http://evil.example/')}`,
    );
    expect(evil.status).toBe(400);
  });
});
