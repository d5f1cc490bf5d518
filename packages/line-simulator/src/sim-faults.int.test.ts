import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './testing/harness.ts';

// /_sim/faults: LINE's failures on demand, so clients' retry and rate-limit handling can be tested (G-12).

describe('/_sim/faults (injected LINE failures)', () => {
  let t: TestSimulator;
  let user: string;

  beforeAll(async () => {
    t = await startTestSimulator();
    user = await t.createUser();
  });
  afterAll(() => t.close());

  const multicast = (retryKey?: string) =>
    t.line(
      'POST',
      '/v2/bot/message/multicast',
      { to: [user], messages: [{ type: 'text', text: 'お知らせ' }] },
      retryKey ? { 'x-line-retry-key': retryKey } : {},
    );
  const inboxSize = async () =>
    (await t.call('GET', `/_sim/users/${user}/inbox?channelId=2000000001`)).body.messages.length as number;

  it('"before": the next requests get 429 with Retry-After and nothing is delivered', async () => {
    const added = await t.call('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      status: 429,
      count: 2,
      retryAfter: 1,
    });
    expect(added.status).toBe(201);
    const before = await inboxSize();
    for (let i = 0; i < 2; i++) {
      const r = await multicast(randomUUID());
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body).toEqual({ message: 'The API rate limit has been exceeded. Try again later.' });
    }
    expect(await inboxSize()).toBe(before);
    expect((await multicast(randomUUID())).status).toBe(200);
    expect(await inboxSize()).toBe(before + 1);
    expect((await t.call('GET', '/_sim/faults')).body).toEqual([]);
    const all = (await t.call('GET', '/_sim/faults?all=true')).body as { hits: number }[];
    expect(all.at(-1)!.hits).toBe(2);
    // The request log shows what the client saw.
    const log = (await t.call('GET', '/_sim/requests?path=/v2/bot/message/multicast')).body as {
      status: number;
    }[];
    expect(log.slice(-3).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('"after": the request is carried out, the answer is a 500; the retry with the same key gets 409', async () => {
    await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/multicast', status: 500, when: 'after' });
    const key = randomUUID();
    const before = await inboxSize();
    const first = await multicast(key);
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ message: 'Internal server error' });
    expect(await inboxSize()).toBe(before + 1);
    const again = await multicast(key);
    expect(again.status).toBe(409);
    expect(again.headers.get('x-line-accepted-request-id')).toBeTruthy();
    expect(await inboxSize()).toBe(before + 1);
    expect((await t.call('GET', `/_sim/retry-keys/${key}`)).body.recipients).toEqual([user]);
  });

  it('"after" with only a delay answers late; skip lets requests through first; a fault can be limited to a channel and cleared', async () => {
    await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/multicast', when: 'after', delayMs: 300 });
    const t0 = Date.now();
    expect((await multicast()).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/multicast', status: 502, skip: 1 });
    expect((await multicast()).status).toBe(200);
    expect((await multicast()).status).toBe(502);
    expect((await multicast()).status).toBe(200);
    await t.call('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      status: 503,
      channelId: 'other',
    });
    expect((await multicast()).status).toBe(200);
    expect((await t.call('DELETE', '/_sim/faults')).status).toBe(200);
    expect((await t.call('GET', '/_sim/faults')).body).toEqual([]);
  });

  it('bad input is 400', async () => {
    expect((await t.call('POST', '/_sim/faults', { status: 500 })).status).toBe(400);
    expect((await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/push' })).status).toBe(400);
    expect((await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/push', status: 200 })).status).toBe(
      400,
    );
    expect(
      (await t.call('POST', '/_sim/faults', { path: '/v2/bot/message/push', status: 500, when: 'later' }))
        .status,
    ).toBe(400);
  });
});
