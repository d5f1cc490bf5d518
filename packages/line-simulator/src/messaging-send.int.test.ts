import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const text = (t: string) => ({ type: 'text', text: t });

describe('Messaging API: sending (real HTTP)', () => {
  let t: TestSimulator;
  let now = Date.now();
  let alice: string;
  let bob: string;
  let blocked: string;
  let stranger: string;

  beforeAll(async () => {
    t = await startTestSimulator({ clock: () => now });
    alice = await t.createUser('Alice');
    bob = await t.createUser('Bob');
    blocked = await t.createUser('Blocked');
    await t.call('POST', `/_sim/users/${blocked}/unfollow`, { channelId: CHANNEL.channelId });
    stranger = await t.createUser('Stranger', { follow: false });
  });
  afterAll(() => t.close());

  const inbox = async (userId: string) =>
    (await t.call('GET', `/_sim/users/${userId}/inbox?channelId=${CHANNEL.channelId}`)).body.messages;

  it('authenticates with the channel access token (401 as LINE words it)', async () => {
    const res = await t.call(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('x')] },
      {
        authorization: 'Bearer wrong',
      },
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      message: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
    });
  });

  it('push answers sentMessages and x-line-request-id, and lands in the inbox', async () => {
    const res = await t.line('POST', '/v2/bot/message/push', { to: alice, messages: [text('お知らせ')] });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-line-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.sentMessages).toHaveLength(1);
    expect(res.body.sentMessages[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      quoteToken: expect.any(String),
    });
    const messages = await inbox(alice);
    expect(messages.at(-1)).toMatchObject({
      id: res.body.sentMessages[0].id,
      via: 'push',
      message: text('お知らせ'),
    });
  });

  it('rejects 6 messages, 5,001 characters and an unknown type with LINE 400 bodies (D-03)', async () => {
    const six = await t.line('POST', '/v2/bot/message/push', {
      to: alice,
      messages: Array(6).fill(text('x')),
    });
    expect(six.status).toBe(400);
    expect(six.body).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Size must be between 1 and 5', property: 'messages' }],
    });
    const long = await t.line('POST', '/v2/bot/message/push', {
      to: alice,
      messages: [text('a'.repeat(5001))],
    });
    expect(long.body).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Length must be between 0 and 5000', property: 'messages[0].text' }],
    });
    const badType = await t.line('POST', '/v2/bot/message/push', {
      to: alice,
      messages: [{ type: 'txt', text: 'a' }, text('')],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toBe('The request body has 2 error(s)');
    expect(badType.body.details).toEqual([
      {
        message: expect.stringMatching(/^Must be one of the following values: \[text,/),
        property: 'messages[0].type',
      },
      { message: 'May not be empty', property: 'messages[1].text' },
    ]);
  });

  it('answers unparsable JSON with 400', async () => {
    const res = await fetch(`${t.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CHANNEL.accessToken}`, 'content-type': 'application/json' },
      body: '{"to":',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/JSON/);
  });

  it('push to a user who blocked the account, or who never followed, fails like LINE', async () => {
    for (const to of [blocked, stranger, `U${'0'.repeat(32)}`]) {
      const res = await t.line('POST', '/v2/bot/message/push', { to, messages: [text('x')] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ message: 'Failed to send messages' });
    }
    expect(await inbox(blocked)).toEqual([]);
    const malformed = await t.line('POST', '/v2/bot/message/push', { to: 'alice', messages: [text('x')] });
    expect(malformed.status).toBe(400);
  });

  it('multicast skips non-friends silently and rejects 501 recipients (G-12)', async () => {
    const res = await t.line('POST', '/v2/bot/message/multicast', {
      to: [alice, bob, blocked, stranger],
      messages: [text('一斉'), text('二通目')],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await inbox(bob)).slice(-2).map((m: { message: unknown }) => m.message)).toEqual([
      text('一斉'),
      text('二通目'),
    ]);
    expect(await inbox(blocked)).toEqual([]);
    expect(await inbox(stranger)).toEqual([]);

    const tooMany = await t.line('POST', '/v2/bot/message/multicast', {
      to: Array.from({ length: 501 }, () => alice),
      messages: [text('x')],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({
      message: 'The request body has 1 error(s)',
      details: [{ message: 'Size must be between 1 and 500', property: 'to' }],
    });
  });

  it('a retry key accepted once answers 409 and never delivers twice (G-12)', async () => {
    const key = '123e4567-e89b-12d3-a456-426614174000';
    const before = (await inbox(bob)).length;
    const body = { to: [alice, bob, blocked], messages: [text('再送テスト')] };
    const first = await t.line('POST', '/v2/bot/message/multicast', body, { 'X-Line-Retry-Key': key });
    expect(first.status).toBe(200);
    const second = await t.line('POST', '/v2/bot/message/multicast', body, { 'X-Line-Retry-Key': key });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ message: 'The retry key is already accepted' });
    expect(second.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect((await inbox(bob)).length).toBe(before + 1);

    const record = await t.call('GET', `/_sim/retry-keys/${key}`);
    expect(record.body).toMatchObject({ key, acceptedRequestId: first.headers.get('x-line-request-id') });
    expect(record.body.recipients.sort()).toEqual([alice, bob].sort());

    const pushKey = '9f0b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b';
    const p1 = await t.line(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('p')] },
      {
        'X-Line-Retry-Key': pushKey,
      },
    );
    const p2 = await t.line(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('p')] },
      {
        'X-Line-Retry-Key': pushKey,
      },
    );
    expect(p2.status).toBe(409);
    expect(p2.body).toEqual({
      message: 'The retry key is already accepted',
      sentMessages: p1.body.sentMessages,
    });

    const invalid = await t.line(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('p')] },
      {
        'X-Line-Retry-Key': 'not-a-uuid',
      },
    );
    expect(invalid.status).toBe(400);
  });

  it('a retry key of a rejected request is not consumed', async () => {
    const key = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const bad = await t.line(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('')] },
      {
        'X-Line-Retry-Key': key,
      },
    );
    expect(bad.status).toBe(400);
    const good = await t.line(
      'POST',
      '/v2/bot/message/push',
      { to: alice, messages: [text('ok')] },
      {
        'X-Line-Retry-Key': key,
      },
    );
    expect(good.status).toBe(200);
  });

  it('reply tokens work once, and only within one minute', async () => {
    const event = (
      await t.call('POST', `/_sim/users/${alice}/messages`, {
        channelId: CHANNEL.channelId,
        message: text('こんにちは'),
      })
    ).body.event;
    const reply = (token: string) =>
      t.line('POST', '/v2/bot/message/reply', { replyToken: token, messages: [text('返信')] });

    const first = await reply(event.replyToken);
    expect(first.status).toBe(200);
    expect(first.body.sentMessages).toHaveLength(1);
    expect((await inbox(alice)).at(-1)).toMatchObject({ via: 'reply', message: text('返信') });
    const again = await reply(event.replyToken);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ message: 'Invalid reply token' });

    const late = (
      await t.call('POST', `/_sim/users/${alice}/postback`, { channelId: CHANNEL.channelId, data: 'a=1' })
    ).body.event;
    now += 60_001;
    expect((await reply(late.replyToken)).body).toEqual({ message: 'Invalid reply token' });
    expect((await reply('0'.repeat(32))).status).toBe(400);
  });

  it('broadcast reaches every follower; narrowcast is accepted (202) and reports progress', async () => {
    const b = await t.line('POST', '/v2/bot/message/broadcast', { messages: [text('全員へ')] });
    expect(b.status).toBe(200);
    expect((await inbox(bob)).at(-1)).toMatchObject({ via: 'broadcast' });
    expect(await inbox(stranger)).toEqual([]);

    const n = await t.line('POST', '/v2/bot/message/narrowcast', { messages: [text('ナロー')] });
    expect(n.status).toBe(202);
    const requestId = n.headers.get('x-line-request-id');
    let progress = await t.line('GET', `/v2/bot/message/progress/narrowcast?requestId=${requestId}`);
    for (let i = 0; i < 20 && progress.body.phase !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      progress = await t.line('GET', `/v2/bot/message/progress/narrowcast?requestId=${requestId}`);
    }
    expect(progress.body).toMatchObject({ phase: 'succeeded', successCount: 2, targetCount: 2 });
    expect((await inbox(alice)).at(-1)).toMatchObject({ via: 'narrowcast', message: text('ナロー') });
  });

  it('counts quota consumption per recipient and logs every request without the token', async () => {
    const usage = await t.line('GET', '/v2/bot/message/quota/consumption');
    expect(usage.body.totalUsage).toBeGreaterThan(0);
    expect((await t.line('GET', '/v2/bot/message/quota')).body).toEqual({ type: 'none' });
    const log = await t.call(
      'GET',
      `/_sim/requests?channelId=${CHANNEL.channelId}&path=/v2/bot/message/multicast`,
    );
    expect(log.body.length).toBeGreaterThan(0);
    expect(log.body[0]).toMatchObject({
      method: 'POST',
      status: 200,
      body: { messages: [text('一斉'), text('二通目')] },
    });
    expect(log.body[0].headers.authorization).toBeUndefined();
    await t.call('DELETE', '/_sim/requests');
    expect((await t.call('GET', '/_sim/requests')).body).toEqual([]);
  });
});

describe('Messaging API: rate limits', () => {
  it('answers 429 over the configured multicast limit, per channel', async () => {
    const t = await startTestSimulator({ rateLimits: { multicast: { requests: 3, perMs: 60_000 } } });
    try {
      const user = await t.createUser();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await t.line('POST', '/v2/bot/message/multicast', { to: [user], messages: [text(`${i}`)] }))
            .status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await t.line('POST', '/v2/bot/message/multicast', {
        to: [user],
        messages: [text('x')],
      });
      expect(limited.body).toEqual({ message: 'The API rate limit has been exceeded. Try again later.' });
      const push = await t.line('POST', '/v2/bot/message/push', { to: user, messages: [text('push')] });
      expect(push.status).toBe(200);
      const inbox = await t.call('GET', `/_sim/users/${user}/inbox?channelId=${CHANNEL.channelId}`);
      expect(inbox.body.messages).toHaveLength(4);
    } finally {
      await t.close();
    }
  });
});
