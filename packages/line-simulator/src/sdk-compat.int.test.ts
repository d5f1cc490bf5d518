import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const channelId = CHANNEL.channelId;
const text = (t: string) => ({ type: 'text' as const, text: t });

describe('the official @line/bot-sdk agrees with the simulator (D-03, D-04)', () => {
  let t: TestSimulator;
  let client: messagingApi.MessagingApiClient;
  let blob: messagingApi.MessagingApiBlobClient;
  let user: string;

  beforeAll(async () => {
    t = await startTestSimulator();
    client = new messagingApi.MessagingApiClient({ channelAccessToken: CHANNEL.accessToken, baseURL: t.url });
    blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken: CHANNEL.accessToken,
      baseURL: t.url,
    });
    user = await t.createUser('高橋');
  });
  afterAll(() => t.close());

  it('pushes, multicasts, broadcasts and narrowcasts', async () => {
    const pushed = await client.pushMessage({ to: user, messages: [text('push')] });
    expect(pushed.sentMessages[0]?.id).toMatch(/^\d+$/);
    await expect(client.multicast({ to: [user], messages: [text('multicast')] })).resolves.toEqual({});
    await expect(client.broadcast({ messages: [text('broadcast')] })).resolves.toEqual({});
    const narrow = await client.narrowcastWithHttpInfo({ messages: [text('narrowcast')] });
    expect(narrow.httpResponse.status).toBe(202);
    const requestId = narrow.httpResponse.headers.get('x-line-request-id')!;
    await new Promise((r) => setTimeout(r, 20));
    expect(await client.getNarrowcastProgress(requestId)).toMatchObject({
      phase: 'succeeded',
      successCount: 1,
    });
    const inbox = await t.call('GET', `/_sim/users/${user}/inbox?channelId=${channelId}`);
    expect(inbox.body.messages.map((m: { via: string }) => m.via)).toEqual([
      'push',
      'multicast',
      'broadcast',
      'narrowcast',
    ]);
  });

  it('surfaces LINE errors as HTTPFetchError with LINE bodies', async () => {
    const key = randomUUID();
    await client.pushMessage({ to: user, messages: [text('once')] }, key);
    const error = await client
      .pushMessage({ to: user, messages: [text('once')] }, key)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPFetchError);
    expect((error as HTTPFetchError).status).toBe(409);
    expect(JSON.parse((error as HTTPFetchError).body).message).toBe('The retry key is already accepted');
    const invalid = await client
      .pushMessage({ to: user, messages: Array(6).fill(text('x')) })
      .catch((e: HTTPFetchError) => e);
    expect((invalid as HTTPFetchError).status).toBe(400);
    await expect(client.validatePush({ messages: [text('ok')] })).resolves.toEqual({});
    await expect(client.validatePush({ messages: [text('')] })).rejects.toBeInstanceOf(HTTPFetchError);
  });

  it('reads profile, bot info, followers (paged) and quota', async () => {
    expect(await client.getProfile(user)).toEqual({ userId: user, displayName: '高橋' });
    expect(await client.getBotInfo()).toMatchObject({ displayName: CHANNEL.name, chatMode: 'bot' });
    const bulk = await t.call('POST', '/_sim/users/bulk', { count: 5, followChannelId: channelId });
    const first = await client.getFollowers(undefined, 4);
    expect(first.userIds).toHaveLength(4);
    const second = await client.getFollowers(first.next, 4);
    expect(second.next).toBeUndefined();
    expect([...first.userIds, ...second.userIds]).toEqual([user, ...bulk.body.userIds]);
    expect(await client.getMessageQuota()).toEqual({ type: 'none' });
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBeGreaterThan(0);
  });

  it('gets the content of an image the user sent, shows the loading animation', async () => {
    const png = pngOfSize(4, 4);
    const sent = await t.call('POST', `/_sim/users/${user}/messages`, {
      channelId,
      message: { type: 'image', dataUrl: `data:image/png;base64,${png.toString('base64')}` },
    });
    const stream = await blob.getMessageContent(sent.body.event.message.id);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(png)).toBe(true);
    await expect(client.showLoadingAnimation({ chatId: user, loadingSeconds: 10 })).resolves.toEqual({});
  });

  it('sets and tests the webhook endpoint', async () => {
    await client.setWebhookEndpoint({ endpoint: t.receiver.url });
    expect(await client.getWebhookEndpoint()).toEqual({ endpoint: t.receiver.url, active: true });
    const test = await client.testWebhookEndpoint({});
    expect(test).toMatchObject({ success: true, statusCode: 200 });
    expect(t.receiver.calls.at(-1)?.json.events).toEqual([]);
  });

  it('multicasts to 4,000 users in batches of 500 with retry keys: each recipient exactly once (G-12)', async () => {
    const channel2 = { ...CHANNEL, channelId: '2000000009', accessToken: 'token-9', webhookUrl: '' };
    await t.call('POST', '/_sim/channels', channel2);
    const bulk = await t.call('POST', '/_sim/users/bulk', {
      count: 4000,
      followChannelId: channel2.channelId,
    });
    const ids: string[] = bulk.body.userIds;
    const c2 = new messagingApi.MessagingApiClient({ channelAccessToken: 'token-9', baseURL: t.url });
    const batches = Array.from({ length: 8 }, (_, i) => ({
      key: randomUUID(),
      to: ids.slice(i * 500, i * 500 + 500),
    }));
    await Promise.all(batches.map((b) => c2.multicast({ to: b.to, messages: [text('防災情報')] }, b.key)));
    // A crashed sender retries every batch: all are answered 409 and nobody gets a second copy.
    const retries = await Promise.all(
      batches.map((b) =>
        c2.multicast({ to: b.to, messages: [text('防災情報')] }, b.key).catch((e: HTTPFetchError) => e),
      ),
    );
    expect(retries.every((r) => r instanceof HTTPFetchError && r.status === 409)).toBe(true);
    const stats = await t.call('GET', `/_sim/stats?channelId=${channel2.channelId}&perUser=false`);
    expect(stats.body).toMatchObject({
      usersWithDeliveries: 4000,
      totalDeliveries: 4000,
      deliveriesHistogram: { 1: 4000 },
    });
    const key = await t.call('GET', `/_sim/retry-keys/${batches[3]!.key}`);
    expect(key.body.recipients).toEqual(batches[3]!.to);
  });
});
