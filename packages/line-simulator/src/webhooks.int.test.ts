import { readFileSync } from 'node:fs';
import { validateSignature } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createOpenApiValidator } from './openapi-validator.ts';
import { LINE_OPENAPI_DIR } from './options.ts';
import { CHANNEL, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const webhookSchema = createOpenApiValidator(
  parseYaml(readFileSync(new URL('webhook.yml', LINE_OPENAPI_DIR), 'utf8')),
);
const channelId = CHANNEL.channelId;

describe('webhooks to the product (D-03)', () => {
  let t: TestSimulator;
  let user: string;

  beforeAll(async () => {
    t = await startTestSimulator();
    user = await t.createUser('佐藤 一郎', { follow: false });
  });
  afterAll(() => t.close());

  const lastCall = () => t.receiver.calls.at(-1)!;

  it('follow sends a signed webhook that the official SDK verifies, in webhook.yml shape', async () => {
    const res = await t.call('POST', `/_sim/users/${user}/follow`, { channelId });
    expect(res.status).toBe(200);
    expect(res.body.webhookStatus).toBe(200);
    const call = lastCall();
    expect(call.headers['user-agent']).toBe('LineBotWebhook/2.0');
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    const signature = String(call.headers['x-line-signature']);
    expect(validateSignature(call.body, CHANNEL.channelSecret, signature)).toBe(true);
    expect(validateSignature(call.body, 'another-secret', signature)).toBe(false);
    expect(webhookSchema.validateSchema('CallbackRequest', call.json)).toEqual([]);
    const incomplete = { destination: 'x', events: [{ type: 'follow', timestamp: 1 }] };
    expect(webhookSchema.validateSchema('CallbackRequest', incomplete).length).toBeGreaterThan(0);

    const botUserId = (await t.call('GET', '/_sim/channels')).body[0].botUserId;
    expect(call.json.destination).toBe(botUserId);
    expect(call.json.events[0]).toMatchObject({
      type: 'follow',
      mode: 'active',
      source: { type: 'user', userId: user },
      webhookEventId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      deliveryContext: { isRedelivery: false },
      replyToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      follow: { isUnblocked: false },
    });
    expect(res.body.event).toEqual(call.json.events[0]);
  });

  it('following twice changes nothing', async () => {
    const before = t.receiver.calls.length;
    const res = await t.call('POST', `/_sim/users/${user}/follow`, { channelId });
    expect(res.body).toEqual({ webhookStatus: null, event: null });
    expect(t.receiver.calls.length).toBe(before);
  });

  it('text, image, location and sticker messages follow webhook.yml; image content is retrievable', async () => {
    const png = pngOfSize(10, 10);
    const messages = [
      { type: 'text', text: 'ごみの日はいつ？' },
      { type: 'image', dataUrl: `data:image/png;base64,${png.toString('base64')}` },
      { type: 'location', title: '市役所', address: '東京都千代田区1-1', latitude: 35.68, longitude: 139.76 },
      { type: 'sticker', packageId: '446', stickerId: '1988' },
    ];
    for (const message of messages) {
      const res = await t.call('POST', `/_sim/users/${user}/messages`, { channelId, message });
      expect(res.status).toBe(200);
      expect(webhookSchema.validateSchema('CallbackRequest', lastCall().json)).toEqual([]);
    }
    const events = t.receiver.calls
      .slice(-4)
      .map((c) => c.json.events[0] as Record<string, { [k: string]: unknown }>);
    expect(events[0]!.message).toMatchObject({
      type: 'text',
      text: 'ごみの日はいつ？',
      quoteToken: expect.any(String),
    });
    expect(events[1]!.message).toMatchObject({ type: 'image', contentProvider: { type: 'line' } });
    expect(events[2]!.message).toMatchObject({ type: 'location', title: '市役所', latitude: 35.68 });
    expect(events[3]!.message).toMatchObject({ stickerId: '1988', stickerResourceType: 'STATIC' });

    const content = await fetch(`${t.url}/v2/bot/message/${events[1]!.message!.id}/content`, {
      headers: { authorization: `Bearer ${CHANNEL.accessToken}` },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await content.arrayBuffer()).equals(png)).toBe(true);
  });

  it('postback carries data and params', async () => {
    const res = await t.call('POST', `/_sim/users/${user}/postback`, {
      channelId,
      data: 'action=reserve&slot=3',
      params: { date: '2025-04-01' },
      displayText: '予約する',
    });
    expect(res.body.event).toMatchObject({
      type: 'postback',
      postback: { data: 'action=reserve&slot=3', params: { date: '2025-04-01' } },
      replyToken: expect.any(String),
    });
    expect(webhookSchema.validateSchema('CallbackRequest', lastCall().json)).toEqual([]);
  });

  it('redeliver sends the same event again with isRedelivery: true', async () => {
    const res = await t.call('POST', `/_sim/users/${user}/messages`, {
      channelId,
      message: { type: 'text', text: 'again' },
      redeliver: true,
    });
    expect(res.body.redelivery).toEqual({ webhookStatus: 200 });
    const [a, b] = t.receiver.calls.slice(-2).map((c) => c.json.events[0]!);
    expect(b!.webhookEventId).toBe(a!.webhookEventId);
    expect(a!.deliveryContext).toEqual({ isRedelivery: false });
    expect(b!.deliveryContext).toEqual({ isRedelivery: true });
  });

  it('records every attempt, including failures', async () => {
    t.receiver.status = 500;
    const res = await t.call('POST', `/_sim/users/${user}/messages`, {
      channelId,
      message: { type: 'text', text: 'x' },
    });
    t.receiver.status = 200;
    expect(res.body.webhookStatus).toBe(500);
    const log = await t.call('GET', `/_sim/webhooks?channelId=${channelId}`);
    expect(log.body.at(-1)).toMatchObject({ status: 500, eventTypes: ['message'], isRedelivery: false });
    const again = await t.call('POST', `/_sim/webhooks/${log.body.at(-1).id}/redeliver`);
    expect(again.body.webhookStatus).toBe(200);
    expect(lastCall().json.events[0]!.deliveryContext).toEqual({ isRedelivery: true });
  });

  it('an unreachable webhook URL gives status 0 and an error, not a failure of /_sim', async () => {
    await t.call('POST', '/_sim/channels', { ...CHANNEL, webhookUrl: 'http://127.0.0.1:9/none' });
    const res = await t.call('POST', `/_sim/users/${user}/messages`, {
      channelId,
      message: { type: 'text', text: 'x' },
    });
    expect(res.status).toBe(200);
    expect(res.body.webhookStatus).toBe(0);
    expect(res.body.webhookError).toBeTruthy();
    await t.call('POST', '/_sim/channels', { ...CHANNEL, webhookUrl: t.receiver.url });
  });

  it('unfollow (block) and re-follow with isUnblocked: true', async () => {
    const un = await t.call('POST', `/_sim/users/${user}/unfollow`, { channelId });
    expect(un.body.event).toMatchObject({ type: 'unfollow', source: { userId: user } });
    expect(un.body.event.replyToken).toBeUndefined();
    expect(webhookSchema.validateSchema('CallbackRequest', lastCall().json)).toEqual([]);
    const users = await t.call('GET', '/_sim/users');
    expect(users.body.find((u: { userId: string }) => u.userId === user).follows).toEqual({
      [channelId]: 'blocked',
    });
    const msg = await t.call('POST', `/_sim/users/${user}/messages`, {
      channelId,
      message: { type: 'text', text: 'x' },
    });
    expect(msg.status).toBe(400);
    const again = await t.call('POST', `/_sim/users/${user}/follow`, { channelId });
    expect(again.body.event.follow).toEqual({ isUnblocked: true });
  });

  it('bad input to /_sim answers 400 {message}', async () => {
    for (const [path, body] of [
      [`/_sim/users/${user}/messages`, { channelId, message: { type: 'video' } }],
      [`/_sim/users/${user}/messages`, { channelId, message: { type: 'text', text: '' } }],
      [`/_sim/users/${user}/postback`, { channelId }],
      [`/_sim/users/${user}/follow`, {}],
      ['/_sim/channels', { channelId: 'x' }],
    ] as const) {
      const res = await t.call('POST', path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.message).toEqual(expect.any(String));
    }
    expect((await t.call('POST', `/_sim/users/${user}/follow`, { channelId: 'nope' })).status).toBe(404);
  });
});
