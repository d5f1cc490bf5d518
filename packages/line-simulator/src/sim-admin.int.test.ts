import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import { CHANNEL, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const channelId = CHANNEL.channelId;
const dir = mkdtempSync(join(tmpdir(), 'line-sim-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('/_sim admin API (O-02: training without a LINE account)', () => {
  let t: TestSimulator;

  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.close());

  it('lists channels without secrets; upserts idempotently', async () => {
    const again = await t.call('POST', '/_sim/channels', {
      ...CHANNEL,
      name: '改名市',
      webhookUrl: t.receiver.url,
    });
    expect(again.status).toBe(200);
    const list = await t.call('GET', '/_sim/channels');
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({
      channelId,
      name: '改名市',
      botUserId: expect.stringMatching(/^U[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(list.body)).not.toContain(CHANNEL.channelSecret);
    expect(JSON.stringify(list.body)).not.toContain(CHANNEL.accessToken);
  });

  it('creates users (201) and lists them with per-channel follow state', async () => {
    const created = await t.call('POST', '/_sim/users', {
      displayName: '中村',
      pictureUrl: 'https://example.com/a.png',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      userId: expect.stringMatching(/^U[0-9a-f]{32}$/),
      displayName: '中村',
      pictureUrl: 'https://example.com/a.png',
    });
    const fixed = `U${'f'.repeat(32)}`;
    expect((await t.call('POST', '/_sim/users', { displayName: 'x', userId: fixed })).body.userId).toBe(
      fixed,
    );
    expect((await t.call('POST', '/_sim/users', { displayName: 'x', userId: fixed })).status).toBe(400);
    expect((await t.call('POST', '/_sim/users', {})).body).toEqual({ message: expect.any(String) });
    await t.call('POST', `/_sim/users/${fixed}/follow`, { channelId });
    const users = await t.call('GET', '/_sim/users');
    expect(users.body.find((u: { userId: string }) => u.userId === fixed).follows).toEqual({
      [channelId]: 'following',
    });
    expect(users.body.find((u: { userId: string }) => u.userId === created.body.userId).follows).toEqual({
      [channelId]: 'none',
    });
  });

  it('stats count deliveries per user', async () => {
    const a = await t.createUser('A');
    const b = await t.createUser('B');
    await t.line('POST', '/v2/bot/message/multicast', {
      to: [a, b],
      messages: [{ type: 'text', text: '1' }],
    });
    await t.line('POST', '/v2/bot/message/push', {
      to: a,
      messages: [
        { type: 'text', text: '2' },
        { type: 'text', text: '3' },
      ],
    });
    const stats = await t.call('GET', `/_sim/stats?channelId=${channelId}`);
    expect(stats.body.deliveriesPerUser).toMatchObject({ [a]: 2, [b]: 1 });
    expect(stats.body.messagesPerUser).toMatchObject({ [a]: 3, [b]: 1 });
    expect((await t.call('GET', '/_sim/stats')).status).toBe(400);
  });

  it('streams events to the phone (server-sent events), filtered by user', async () => {
    const user = await t.createUser('SSE');
    const other = await t.createUser('other');
    const controller = new AbortController();
    const open = async (query: string) => {
      const res = await fetch(`${t.url}/_sim/events${query}`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      await reader.read(); // ": connected"
      return reader;
    };
    const all = await open('');
    const mine = await open(`?userId=${user}`);
    await t.line('POST', '/v2/bot/message/push', {
      to: other,
      messages: [{ type: 'text', text: 'not yours' }],
    });
    await t.line('POST', '/v2/bot/message/multicast', {
      to: [other, user],
      messages: [{ type: 'text', text: 'hi' }],
    });
    const decode = async (r: ReadableStreamDefaultReader<Uint8Array>) =>
      new TextDecoder().decode((await r.read()).value);
    expect(await decode(all)).toContain(other);
    const frame = await decode(mine);
    expect(frame).toContain('event: delivery');
    const data = JSON.parse(frame.split('data: ')[1]!);
    expect(data).toEqual({ type: 'delivery', channelId, via: 'multicast', userIds: [user] });
    controller.abort();
  });

  it('answers unknown paths with 404 {message}', async () => {
    expect(await t.call('GET', '/_sim/nothing')).toMatchObject({
      status: 404,
      body: { message: 'Not found' },
    });
    expect((await t.line('GET', '/v2/bot/nothing')).status).toBe(404);
  });
});

describe('virtual phone static files', () => {
  it('serves the built phone at /phone/ and a note when it is not built', async () => {
    const phoneDir = join(dir, 'phone');
    const noPhone = await startSimulator({ phoneDir: join(dir, 'missing') });
    try {
      const note = await fetch(`${noPhone.url}/phone/`);
      expect(note.status).toBe(200);
      expect(await note.text()).toContain('has not been built');
    } finally {
      await noPhone.close();
    }
    mkdirSync(phoneDir);
    writeFileSync(join(phoneDir, 'index.html'), '<!doctype html><title>phone</title>');
    const sim = await startSimulator({ phoneDir });
    try {
      const page = await fetch(`${sim.url}/phone/`);
      expect(await page.text()).toContain('<title>phone</title>');
      const deepLink = await fetch(`${sim.url}/phone/chat/2000000001`);
      expect(await deepLink.text()).toContain('<title>phone</title>');
      expect((await fetch(`${sim.url}/phone/assets/missing.js`)).status).toBe(404);
      const root = await fetch(`${sim.url}/`, { redirect: 'manual' });
      expect(root.headers.get('location')).toBe('/phone/');
    } finally {
      await sim.close();
    }
  });
});

describe('state file (D-04, O-02: a training environment keeps its friends and menus)', () => {
  it('keeps channels, users, follows, rich menus and inboxes across restarts', async () => {
    const stateFile = join(dir, 'state.json');
    const t = await startTestSimulator({ stateFile });
    const user = await t.createUser('永続');
    await t.line('POST', '/v2/bot/message/push', { to: user, messages: [{ type: 'text', text: '保存' }] });
    const { richMenuId } = (
      await t.line('POST', '/v2/bot/richmenu', {
        size: { width: 2500, height: 843 },
        selected: false,
        name: 'm',
        chatBarText: 'menu',
        areas: [
          { bounds: { x: 0, y: 0, width: 2500, height: 843 }, action: { type: 'postback', data: 'x' } },
        ],
      })
    ).body;
    await fetch(`${t.url}/v2/bot/richmenu/${richMenuId}/content`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CHANNEL.accessToken}`, 'content-type': 'image/png' },
      body: pngOfSize(2500, 843),
    });
    await t.line('POST', `/v2/bot/user/${user}/richmenu/${richMenuId}`);
    await t.close();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).version).toBe(1);

    const again = await startSimulator({ stateFile, rateLimits: false });
    try {
      const call = (path: string) => fetch(again.url + path).then((r) => r.json());
      expect((await call(`/_sim/users/${user}/inbox?channelId=${channelId}`)).messages).toEqual([
        expect.objectContaining({ via: 'push', message: { type: 'text', text: '保存' } }),
      ]);
      expect((await call(`/_sim/users/${user}/richmenu?channelId=${channelId}`)).richMenu.richMenuId).toBe(
        richMenuId,
      );
      const push = await fetch(`${again.url}/v2/bot/message/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CHANNEL.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: user, messages: [{ type: 'text', text: 'after restart' }] }),
      });
      expect(push.status).toBe(200);
    } finally {
      await again.close();
    }
  });
});
