import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { signLineBody } from '../../platform/line/signature.ts';
import {
  followEvent,
  lineUserId,
  postWebhook,
  textEvent,
  unfollowEvent,
} from '../../testing/line-webhook.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';

let server: TestServer;
let channelId: string;
const secret = 'webhook-test-secret-0123456789';

const count = async (table: 'line_events' | 'friends' | 'friend_events') =>
  Number(
    (
      await server.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  server = await startTestServer({ LINE_API_BASE_URL: 'http://127.0.0.1:9' });
  const channels = createChannelsService({
    db: server.db,
    cipher: createCipher(server.config.ENCRYPTION_KEY),
    publicUrl: server.config.PUBLIC_URL,
  });
  const ch = await channels.create({
    name: 'テスト',
    lineChannelId: '1234567890',
    channelSecret: secret,
    accessToken: 'token-abcdefgh',
    environment: 'production',
  });
  channelId = ch.id;
});
afterAll(async () => server?.close());

describe('LINE webhook intake (D-03)', () => {
  it('D-03: a bad signature gets 401 and nothing is stored', async () => {
    const before = await count('line_events');
    const res = await postWebhook(server.url, channelId, secret, [followEvent(lineUserId())], {
      signature: 'AAAA',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    const wrongSecret = await postWebhook(server.url, channelId, 'another-secret', [
      followEvent(lineUserId()),
    ]);
    expect(wrongSecret.status).toBe(401);
    const missing = await fetch(`${server.url}/webhooks/line/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [followEvent(lineUserId())] }),
    });
    expect(missing.status).toBe(401);
    expect(await count('line_events')).toBe(before);
  });

  it('D-03: the signature header name is case-insensitive', async () => {
    const res = await postWebhook(server.url, channelId, secret, [textEvent(lineUserId(), 'こんにちは')], {
      headerName: 'X-Line-Signature',
    });
    expect(res.status).toBe(200);
  });

  it('D-03: an empty events array (LINE verify button) gets 200', async () => {
    const res = await postWebhook(server.url, channelId, secret, []);
    expect(res.status).toBe(200);
  });

  it('D-03: the same event twice (and as a redelivery) is stored once', async () => {
    const event = textEvent(lineUserId(), '重複テスト');
    const before = await count('line_events');
    expect((await postWebhook(server.url, channelId, secret, [event])).status).toBe(200);
    expect((await postWebhook(server.url, channelId, secret, [event])).status).toBe(200);
    const redelivered = { ...event, deliveryContext: { isRedelivery: true } };
    expect((await postWebhook(server.url, channelId, secret, [redelivered])).status).toBe(200);
    expect(await count('line_events')).toBe(before + 1);
  });

  it('D-03: 200 events in one request are all stored', async () => {
    const before = await count('line_events');
    const events = Array.from({ length: 200 }, (_, i) => textEvent(lineUserId(), `メッセージ ${i}`));
    const res = await postWebhook(server.url, channelId, secret, events);
    expect(res.status).toBe(200);
    expect(await count('line_events')).toBe(before + 200);
  });

  it('S-02: event payloads are encrypted at rest', async () => {
    const marker = `秘密のメッセージ-${Date.now()}`;
    await postWebhook(server.url, channelId, secret, [textEvent(lineUserId(), marker)]);
    const stored = await sql<{ n: string; total: string }>`
      select count(*) filter (where position(convert_to(${marker}, 'UTF8') in payload_enc) > 0) as n, count(*) as total
      from line_events`.execute(server.db);
    const rows = stored.rows;
    expect(Number(rows[0]!.total)).toBeGreaterThan(0);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('an unknown channel gets 404; malformed JSON with a valid signature gets 400 and nothing is stored', async () => {
    const unknown = await postWebhook(server.url, '00000000-0000-4000-8000-000000000000', secret, []);
    expect(unknown.status).toBe(404);
    const before = await count('line_events');
    const body = '{"events": [';
    const res = await fetch(`${server.url}/webhooks/line/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(secret, body) },
      body,
    });
    expect(res.status).toBe(400);
    expect(await count('line_events')).toBe(before);
  });

  it('an oversized body gets 413 and the server keeps running', async () => {
    const big = 'x'.repeat(server.config.BODY_LIMIT_BYTES + 10);
    const res = await fetch(`${server.url}/webhooks/line/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(secret, big) },
      body: big,
    });
    expect(res.status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('friends: follow / block / re-follow (D-07, O-08)', () => {
  it('D-07: follow, unfollow and re-follow are tracked with timestamps', async () => {
    const user = lineUserId();
    const t0 = Date.now() - 60_000;
    await postWebhook(server.url, channelId, secret, [followEvent(user, t0)]);
    const followed = await waitFor(
      () => server.db.selectFrom('friends').selectAll().where('line_user_id', '=', user).executeTakeFirst(),
      (f) => f?.status === 'following',
    );
    expect(followed?.status).toBe('following');
    expect(followed?.followed_at?.getTime()).toBe(t0);

    await postWebhook(server.url, channelId, secret, [unfollowEvent(user, t0 + 1000)]);
    const blocked = await waitFor(
      () => server.db.selectFrom('friends').selectAll().where('line_user_id', '=', user).executeTakeFirst(),
      (f) => f?.status === 'blocked',
    );
    expect(blocked?.unfollowed_at?.getTime()).toBe(t0 + 1000);

    await postWebhook(server.url, channelId, secret, [
      followEvent(user, t0 + 2000, { follow: { isUnblocked: true } }),
    ]);
    const again = await waitFor(
      () => server.db.selectFrom('friends').selectAll().where('line_user_id', '=', user).executeTakeFirst(),
      (f) => f?.status === 'following',
    );
    expect(again?.follow_count).toBe(2);
    expect(again?.first_followed_at?.getTime()).toBe(t0);
    const kinds = await server.db
      .selectFrom('friend_events')
      .select('kind')
      .where('friend_id', '=', again!.id)
      .orderBy('occurred_at')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['follow', 'unfollow', 'refollow']);
  });

  it('D-07: an older event delivered late does not overwrite a newer state', async () => {
    const user = lineUserId();
    const t0 = Date.now() - 60_000;
    await postWebhook(server.url, channelId, secret, [unfollowEvent(user, t0 + 5000)]);
    await waitFor(
      () => server.db.selectFrom('friends').selectAll().where('line_user_id', '=', user).executeTakeFirst(),
      (f) => !!f,
    );
    await postWebhook(server.url, channelId, secret, [followEvent(user, t0)]);
    await waitFor(
      () =>
        server.db
          .selectFrom('friend_events')
          .selectAll()
          .innerJoin('friends', 'friends.id', 'friend_events.friend_id')
          .where('friends.line_user_id', '=', user)
          .execute(),
      (rows) => rows.length === 2,
    );
    const f = await server.db
      .selectFrom('friends')
      .selectAll()
      .where('line_user_id', '=', user)
      .executeTakeFirstOrThrow();
    expect(f.status).toBe('blocked');
  });
});
