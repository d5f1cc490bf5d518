import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLineBody } from '../../platform/line/signature.ts';
import { followEvent, lineUserId, textEvent, webhookEventId } from '../../testing/line-webhook.ts';
import {
  createStaff,
  insertTestChannel,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';

// Webhook event validation (D-03 intake, S-04 DoS countermeasures, O-03 monitoring): a malformed
// event is kept aside as rejected while the good events of its body are stored, dispatched and
// answered 200, so LINE never redelivers a body that cannot succeed.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
const secret = 'webhook-validation-secret-0123456789';
const DESTINATION = `U${'0'.repeat(32)}`;

async function addChannel(lineChannelId: string) {
  const ch = await insertTestChannel(server, {
    name: `検証 ${lineChannelId}`,
    lineChannelId,
    channelSecret: secret,
    accessToken: 'token-abcdefgh',
  });
  return ch.id;
}

/** Posts a signed body; `rawEvents` are JSON texts spliced in as they are (deep nesting, 1e20). */
function postRaw(channelId: string, events: unknown[], rawEvents: string[] = []) {
  const parts = [...events.map((e) => JSON.stringify(e)), ...rawEvents];
  const body = `{"destination":"${DESTINATION}","events":[${parts.join(',')}]}`;
  return fetch(`${server.url}/webhooks/line/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(secret, body) },
    body,
  });
}

const storedIds = async (channelId: string) =>
  (
    await server.db
      .selectFrom('line_events')
      .select(['webhook_event_id', 'dispatched_at'])
      .where('channel_id', '=', channelId)
      .execute()
  ).map((r) => r.webhook_event_id);

const rejectedRows = (channelId: string) =>
  server.db
    .selectFrom('line_events_rejected')
    .select(['event_key', 'type', 'reason', 'detail'])
    .where('channel_id', '=', channelId)
    .orderBy('id')
    .execute();

function unsendEvent(at: number) {
  return {
    type: 'unsend',
    mode: 'active',
    timestamp: at,
    source: { type: 'user', userId: lineUserId() },
    webhookEventId: webhookEventId(),
    deliveryContext: { isRedelivery: false },
    unsend: { messageId: String(at) },
  };
}

beforeAll(async () => {
  // Room for 10,000 events in one body (about 2 MB).
  server = await startTestServer({ LINE_API_BASE_URL: 'http://127.0.0.1:9', BODY_LIMIT_BYTES: '8388608' });
  const account = await createStaff(server.db, 'admin');
  admin = await staffClient(server, account.loginId, STRONG_PASSWORD);
});
afterAll(async () => server?.close());

describe('webhook events are validated one by one (D-03, S-04)', () => {
  it('D-03/S-04/O-03: 1 malformed + 2 good events → 200; the 2 are stored and dispatched, the 1 is kept aside and visible', async () => {
    const channelId = await addChannel('3000000001');
    const a = lineUserId();
    const b = lineUserId();
    const good = [followEvent(a), followEvent(b)];
    const bad = followEvent('U-not-a-user-id');
    const res = await postRaw(channelId, [good[0], bad, good[1]]);
    expect(res.status).toBe(200);

    expect((await storedIds(channelId)).sort()).toEqual(good.map((e) => e.webhookEventId).sort());
    const dispatched = await waitFor(
      () =>
        server.db
          .selectFrom('line_events')
          .select('dispatched_at')
          .where('channel_id', '=', channelId)
          .execute(),
      (rows) => rows.every((r) => r.dispatched_at !== null),
    );
    expect(dispatched.map((r) => r.dispatched_at !== null)).toEqual([true, true]);
    const friends = await waitFor(
      () =>
        server.db
          .selectFrom('friends')
          .select(['line_user_id', 'status'])
          .where('channel_id', '=', channelId)
          .execute(),
      (rows) => rows.length === 2,
    );
    expect(friends.map((f) => f.line_user_id).sort()).toEqual([a, b].sort());

    const rejected = await rejectedRows(channelId);
    expect(rejected).toEqual([
      { event_key: bad.webhookEventId, type: 'follow', reason: 'INVALID_ID', detail: 'source.userId' },
    ]);

    // Operators see it: the staff route (channels.manage), and a count in /metrics.
    const list = await admin.request('GET', `/api/line-events/rejected?channelId=${channelId}`);
    expect(list.status).toBe(200);
    const json = (await list.json()) as {
      total: number;
      items: { reason: string; type: string; detail: string; payload: { source: { userId: string } } }[];
    };
    expect(json.total).toBe(1);
    expect(json.items[0]).toMatchObject({ reason: 'INVALID_ID', type: 'follow', detail: 'source.userId' });
    expect(json.items[0]!.payload.source.userId).toBe('U-not-a-user-id');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/madoguchi_line_events_rejected_total\{reason="INVALID_ID"\} [1-9]/);
  });

  it('S-08: the rejected list needs channels.manage; a general account (channels.view) gets 403, no session 401', async () => {
    const general = await createStaff(server.db, 'general');
    const client = await staffClient(server, general.loginId, STRONG_PASSWORD);
    expect((await client.request('GET', '/api/line-events/rejected')).status).toBe(403);
    expect((await fetch(`${server.url}/api/line-events/rejected`)).status).toBe(401);
    const badQuery = await admin.request('GET', '/api/line-events/rejected?limit=100000');
    expect(badQuery.status).toBe(400);
  });

  it('S-04: deep nesting, NUL, lone surrogates, timestamp 1e20, bad user/group/room IDs, a huge string and a missing field are each rejected; the good event next to them is stored', async () => {
    const channelId = await addChannel('3000000002');
    const goodOne = textEvent(lineUserId(), '正しいイベント');
    const base = () => textEvent(lineUserId(), 'x');
    const deep = `{"type":"message","mode":"active","timestamp":${Date.now()},"webhookEventId":"${webhookEventId()}","deliveryContext":{"isRedelivery":false},"source":{"type":"user","userId":"${lineUserId()}"},"message":{"id":"1","type":"text","quoteToken":"q","text":"深い"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const cases: [reason: string, event: unknown][] = [
      ['INVALID_TEXT', { ...base(), message: { id: '1', type: 'text', quoteToken: 'q', text: 'a\u0000b' } }],
      ['INVALID_TEXT', { ...base(), message: { id: '1', type: 'text', quoteToken: 'q', text: 'a\ud800b' } }],
      ['NUMBER_OUT_OF_RANGE', { ...base(), timestamp: 1e20 }],
      ['TIMESTAMP_OUT_OF_RANGE', { ...base(), timestamp: 5 }],
      ['INVALID_ID', { ...base(), source: { type: 'user', userId: `U${'0'.repeat(31)}` } }],
      ['INVALID_ID', { ...base(), source: { type: 'group', groupId: 'G123', userId: lineUserId() } }],
      ['INVALID_ID', { ...base(), source: { type: 'room', roomId: `C${'a'.repeat(32)}` } }],
      [
        'STRING_TOO_LONG',
        { ...base(), message: { id: '1', type: 'text', quoteToken: 'q', text: 'あ'.repeat(30_000) } },
      ],
      ['SCHEMA', (({ mode: _m, ...rest }) => rest)(base())],
      ['SCHEMA', { ...base(), message: { id: '1', type: 'text', quoteToken: 'q', text: 42 } }],
      ['INVALID_EVENT_ID', { ...base(), webhookEventId: '' }],
      ['NOT_AN_OBJECT', 'just a string'],
    ];
    const res = await postRaw(channelId, [goodOne, ...cases.map(([, e]) => e)], [deep]);
    expect(res.status).toBe(200);
    expect(await storedIds(channelId)).toEqual([goodOne.webhookEventId]);
    const rejected = await rejectedRows(channelId);
    expect(rejected.map((r) => r.reason)).toEqual([...cases.map(([reason]) => reason), 'TOO_DEEP']);
    // Nothing of the rejected events' content in the reason (it names the field).
    expect(rejected.find((r) => r.reason === 'STRING_TOO_LONG')?.detail).toBe('message.text');
    // The deep event is kept, cut at the nesting bound, and readable by operators.
    const list = await admin.request('GET', `/api/line-events/rejected?channelId=${channelId}&limit=1`);
    const newest = (
      (await list.json()) as { items: { reason: string; payload: { message: { text: string } } }[] }
    ).items[0]!;
    expect(newest.reason).toBe('TOO_DEEP');
    expect(newest.payload.message.text).toBe('深い');
  });

  it('D-03: an unknown event type that LINE adds later is stored as a base event, not rejected', async () => {
    const channelId = await addChannel('3000000003');
    const future = { ...unsendEvent(Date.now()), type: 'somethingNew', somethingNew: { a: 1 } };
    expect((await postRaw(channelId, [future])).status).toBe(200);
    expect(await storedIds(channelId)).toEqual([future.webhookEventId]);
    expect(await rejectedRows(channelId)).toEqual([]);
  });

  it('D-03/S-04: 10,000 events in one body → 200, all stored once (chunked inserts); a redelivery stores nothing twice', async () => {
    const channelId = await addChannel('3000000004');
    const t0 = Date.now() - 3_600_000;
    // unsend events: no subscriber, so the test measures intake rather than the handlers.
    const events = Array.from({ length: 10_000 }, (_, i) => unsendEvent(t0 + i));
    const res = await postRaw(channelId, events);
    expect(res.status).toBe(200);
    const count = async () =>
      Number(
        (
          await server.db
            .selectFrom('line_events')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('channel_id', '=', channelId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(10_000);
    const distinct = await server.db
      .selectFrom('line_events')
      .select((eb) => eb.fn.count<string>('webhook_event_id').distinct().as('n'))
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    expect(Number(distinct.n)).toBe(10_000);

    // LINE redelivers the same body (and again with one malformed event in it): nothing twice.
    const again = await postRaw(channelId, events);
    expect(again.status).toBe(200);
    expect(await count()).toBe(10_000);
    const withBad = [...events.slice(0, 9_999), { ...unsendEvent(t0), timestamp: 1e20 }];
    expect((await postRaw(channelId, withBad)).status).toBe(200);
    expect((await postRaw(channelId, withBad)).status).toBe(200);
    expect(await count()).toBe(10_000);
    expect((await rejectedRows(channelId)).map((r) => r.reason)).toEqual(['NUMBER_OUT_OF_RANGE']);
  }, 60_000);

  it('D-03: redelivering a body with malformed events (isRedelivery: true) keeps each event once', async () => {
    const channelId = await addChannel('3000000005');
    const good = textEvent(lineUserId(), 'こんにちは');
    const noId = { ...textEvent(lineUserId(), 'x'), webhookEventId: 42 };
    const badUser = textEvent('Uxyz', 'x');
    expect((await postRaw(channelId, [good, noId, badUser])).status).toBe(200);
    const redelivered = [good, noId, badUser].map((e) => ({ ...e, deliveryContext: { isRedelivery: true } }));
    expect((await postRaw(channelId, redelivered)).status).toBe(200);
    expect(await storedIds(channelId)).toEqual([good.webhookEventId]);
    expect((await rejectedRows(channelId)).map((r) => r.reason)).toEqual(['INVALID_EVENT_ID', 'INVALID_ID']);
  });
});

describe('the webhook envelope and URL (D-03, S-04)', () => {
  it('S-04: channel IDs that are not ours get 404 CHANNEL_NOT_FOUND, never 500', async () => {
    const ids = [
      'not-a-uuid',
      '------------------------------------',
      '0000000000000000000000000000000000-0',
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '00000000-0000-4000-8000-00000000000g',
      randomUUID(),
      'x'.repeat(90),
    ];
    for (const id of ids) {
      const res = await fetch(`${server.url}/webhooks/line/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': 'AAAA' },
        body: '{"destination":"x","events":[]}',
      });
      expect([id, res.status]).toEqual([id, 404]);
      expect(((await res.json()) as { code: string }).code).toMatch(/NOT_FOUND/);
    }
    // A NUL in the path is refused by the input rule for every route (400); never a 500.
    const nul = await fetch(`${server.url}/webhooks/line/%00`, { method: 'POST', body: '{}' });
    expect(nul.status).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
  });

  it('S-04: a wrong envelope is 400 as a whole (after the signature), and nothing is stored', async () => {
    const channelId = await addChannel('3000000006');
    const event = JSON.stringify(followEvent(lineUserId()));
    const bodies: [string, string][] = [
      ['INVALID_WEBHOOK_BODY', `{"events":[${event}]}`],
      ['INVALID_WEBHOOK_BODY', `{"destination":"Ubad","events":[${event}]}`],
      ['INVALID_WEBHOOK_BODY', `{"destination":"${DESTINATION}","events":{"0":${event}}}`],
      ['INVALID_WEBHOOK_BODY', `[${event}]`],
      [
        'TOO_MANY_EVENTS',
        `{"destination":"${DESTINATION}","events":[${Array.from({ length: 10_001 }, () => '{}').join(',')}]}`,
      ],
    ];
    for (const [code, body] of bodies) {
      const res = await fetch(`${server.url}/webhooks/line/${channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': signLineBody(secret, body) },
        body,
      });
      expect([code, res.status]).toEqual([code, 400]);
      expect(((await res.json()) as { code: string }).code).toBe(code);
    }
    // The signature is checked first: a wrong envelope with a bad signature is 401.
    const unsigned = await fetch(`${server.url}/webhooks/line/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': randomBytes(32).toString('base64') },
      body: '[]',
    });
    expect(unsigned.status).toBe(401);
    expect(await storedIds(channelId)).toEqual([]);
    expect(await rejectedRows(channelId)).toEqual([]);
  });
});
