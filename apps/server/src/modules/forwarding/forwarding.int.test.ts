import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ForwardingItemPage,
  ForwardingTargetCreated,
  ForwardingTargetView,
} from '@madoguchi/contracts/forwarding.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioWith } from '../../testing/chatbot-scenarios.ts';
import { followEvent, lineUserId, postWebhook, textEvent } from '../../testing/line-webhook.ts';
import {
  createStaff,
  insertTestChannel,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { until, waitFor } from '../../testing/wait-for.ts';

// Webhook forwarding (W-01) end to end: real webhooks into the running server, real PostgreSQL, and
// a real HTTP target on 127.0.0.1 (allow-listed, as an operator would allow an internal server).
// The retry window is shortened to 4 s and the first backoff to 50 ms so a dead letter happens
// within the test; the timeout is 500 ms so a slow target is cut off.

type Behaviour = 'ok' | 'fail' | 'redirect' | 'slow';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the target answered. */
  status: number;
}

/** The city's server: answers per path as told, and records every request. */
class Target {
  readonly requests: Received[] = [];
  readonly behaviour = new Map<string, Behaviour>();
  server!: Server;
  url = '';

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const b = this.behaviour.get(path) ?? 'ok';
        const status = b === 'ok' || b === 'slow' ? 200 : b === 'fail' ? 500 : 302;
        this.requests.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        const answer = () => {
          if (res.destroyed) return;
          if (b === 'redirect') res.writeHead(302, { location: `${this.url}/elsewhere` }).end('moved');
          else if (b === 'fail') res.writeHead(500).end(`down for maintenance ${'x'.repeat(3000)}`);
          else res.writeHead(200).end('ok');
        };
        if (b === 'slow') setTimeout(answer, 2000);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to `path` the target accepted (2xx), in arrival order. */
  accepted(path: string) {
    return this.requests.filter((r) => r.path === path && r.status === 200);
  }

  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
const target = new Target();
let channelSeq = 2000001400;

beforeAll(async () => {
  await target.start();
  server = await startTestServer({
    FORWARDING_ALLOWED_CIDRS: '127.0.0.1/32',
    FORWARDING_RETRY_BASE_MS: '50',
    FORWARDING_RETRY_WINDOW_MS: '4000',
    FORWARDING_TIMEOUT_MS: '500',
  });
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
}, 90_000);
afterAll(async () => {
  await server?.close();
  await target.close();
});

/** A channel of its own for each test (its targets see only its events). */
async function channel() {
  const secret = `secret-${channelSeq}`;
  const ch = await insertTestChannel(server, { lineChannelId: String(channelSeq++), channelSecret: secret });
  return { id: ch.id, secret, post: (events: unknown[]) => postWebhook(server.url, ch.id, secret, events) };
}

async function addTarget(channelId: string, path: string, extra: Record<string, unknown> = {}) {
  const r = await admin.request('POST', '/api/forwarding/targets', {
    channelId,
    name: `転送先 ${path}`,
    url: `${target.url}${path}`,
    ...extra,
  });
  expect(r.status, await r.clone().text()).toBe(201);
  return (await r.json()) as ForwardingTargetCreated;
}

const items = async (targetId: string, query = '') => {
  const r = await admin.request('GET', `/api/forwarding/targets/${targetId}/items${query}`);
  expect(r.status).toBe(200);
  return (await r.json()) as ForwardingItemPage;
};

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64');
const eventIdsOf = (rs: Received[]) =>
  rs.map((r) => (JSON.parse(r.body) as { events: { webhookEventId: string }[] }).events[0]!.webhookEventId);

describe('webhook forwarding (W-01)', () => {
  it('W-01: the event is forwarded as LINE sent it, signed with the target secret; the secret is shown once and sealed', async () => {
    const ch = await channel();
    const t = await addTarget(ch.id, '/signed');
    expect(t.generatedSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const user = lineUserId();
    const event = followEvent(user);
    const body = JSON.stringify({ destination: `U${'0'.repeat(32)}`, events: [event] });
    expect((await ch.post([event])).status).toBe(200);

    const [got] = await until('the forwarded follow', async () => {
      const a = target.accepted('/signed');
      return a.length > 0 ? a : null;
    });
    const parsed = JSON.parse(got!.body) as { destination: string; events: unknown[] };
    expect(parsed.destination).toBe(`U${'0'.repeat(32)}`);
    expect(parsed.events).toEqual([event]);
    // The target verifies it as it would verify LINE: HMAC-SHA256 of the raw body with its secret.
    expect(got!.headers['x-line-signature']).toBe(sign(t.generatedSecret!, got!.body));
    // LINE's own signature of the original body, kept in another header; and the event's ID.
    expect(got!.headers['x-madoguchi-original-signature']).toBe(sign(ch.secret, body));
    expect(got!.headers['x-madoguchi-event-id']).toBe(event.webhookEventId);

    const list = (await (
      await admin.request('GET', `/api/forwarding/targets?channelId=${ch.id}`)
    ).json()) as (ForwardingTargetView & { generatedSecret?: string; secret?: string })[];
    expect(list).toHaveLength(1);
    expect(list[0]!.generatedSecret).toBeUndefined();
    expect(list[0]!.secret).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(t.generatedSecret!);
    const stored = await server.db
      .selectFrom('forwarding_targets')
      .select('secret_enc')
      .where('id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(t.generatedSecret!);
    await waitFor(
      async () => (await items(t.id)).items[0]?.state,
      (s) => s === 'sent',
      { what: 'the item marked sent' },
    );
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'forwarding.target.create')
      .where('target_id', '=', t.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.detail)).not.toContain(t.generatedSecret!);
  });

  it('W-01: the event filter forwards only the chosen types; a secret given by staff is used', async () => {
    const ch = await channel();
    const secret = 'city-foryou-secret-0001';
    await addTarget(ch.id, '/follows', { eventTypes: ['follow'], secret });
    const user = lineUserId();
    const follow = followEvent(user);
    await ch.post([textEvent(user, 'こんにちは'), follow]);
    const [got] = await until('the follow', async () => {
      const a = target.accepted('/follows');
      return a.length > 0 ? a : null;
    });
    expect(got!.headers['x-line-signature']).toBe(sign(secret, got!.body));
    // The message of the same body (dispatched first, in the same batch) was not queued for it.
    const queued = await server.db
      .selectFrom('forwarding_items')
      .innerJoin('forwarding_targets', 'forwarding_targets.id', 'forwarding_items.target_id')
      .select('forwarding_items.event_type')
      .where('forwarding_targets.channel_id', '=', ch.id)
      .execute();
    expect(queued.map((q) => q.event_type)).toEqual(['follow']);
    expect(eventIdsOf(target.accepted('/follows'))).toEqual([follow.webhookEventId]);
  });

  it('W-01: "only unhandled" skips a message a scenario answered, forwards an unknown one (also when the fallback answered it); "always" forwards both', async () => {
    const ch = await channel();
    const text = (id: string, t: string) => ({
      id,
      title: '',
      position: { x: 0, y: 0 },
      type: 'message' as const,
      messages: [{ kind: 'text' as const, text: t }],
      next: null,
    });
    await scenarioWith(admin, ch.id, 'gomi', {
      name: 'ごみ',
      triggers: [{ kind: 'keyword', match: 'exact', words: ['ごみの日'] }],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [text('a', '月曜と木曜です')] },
    });
    await scenarioWith(admin, ch.id, 'fallback', {
      name: 'わからないとき',
      triggers: [{ kind: 'fallback' }],
      timeoutMinutes: 30,
      graph: { start: 'a', nodes: [text('a', 'すみません、わかりませんでした')] },
    });
    const unhandled = await addTarget(ch.id, '/unhandled', { eventTypes: ['message'] });
    await addTarget(ch.id, '/always', { eventTypes: ['message'], messageMode: 'always' });
    const user = lineUserId();
    const known = textEvent(user, 'ごみの日', Date.now());
    const unknown = textEvent(user, '給付金のお知らせはありますか', Date.now() + 1);
    await ch.post([known]);
    await ch.post([unknown]);
    await until('both at /always', async () => target.accepted('/always').length >= 2 || null);
    await until('one at /unhandled', async () => target.accepted('/unhandled').length >= 1 || null);
    expect(eventIdsOf(target.accepted('/always'))).toEqual([known.webhookEventId, unknown.webhookEventId]);
    expect(eventIdsOf(target.accepted('/unhandled'))).toEqual([unknown.webhookEventId]);
    // The chatbot did answer the keyword (that is what made it "handled").
    const replies = await server.db
      .selectFrom('line_outbox')
      .select('id')
      .where('channel_id', '=', ch.id)
      .where('kind', '=', 'reply')
      .execute();
    expect(replies).toHaveLength(2);
    expect((await items(unhandled.id)).items).toHaveLength(1);
  });

  it('W-01: a target down (500) for a while, then back: every event arrives exactly once, in order per user', async () => {
    const ch = await channel();
    target.behaviour.set('/flaky', 'fail');
    const t = await addTarget(ch.id, '/flaky');
    const users = [lineUserId(), lineUserId(), lineUserId()];
    const sent = new Map<string, string[]>(users.map((u) => [u, []]));
    const now = Date.now();
    for (let i = 0; i < 5; i++) {
      // One body per round with an event of each user, interleaved.
      const events = users.map((u, j) => textEvent(u, `メッセージ ${i}`, now + i * 10 + j));
      for (const [j, u] of users.entries()) sent.get(u)!.push(events[j]!.webhookEventId);
      expect((await ch.post(events)).status).toBe(200);
    }
    await until(
      'failed attempts while down',
      async () => target.requests.filter((r) => r.path === '/flaky').length >= 3 || null,
    );
    await new Promise((r) => setTimeout(r, 800));
    target.behaviour.set('/flaky', 'ok');
    await until('all 15 accepted', async () => target.accepted('/flaky').length >= 15 || null);
    await waitFor(
      async () => (await items(t.id, '?state=sent&limit=200')).items.length,
      (n) => n === 15,
      { what: '15 items sent' },
    );
    const accepted = target.accepted('/flaky');
    const ids = eventIdsOf(accepted);
    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(15);
    for (const u of users) {
      const order = accepted
        .filter(
          (r) =>
            (JSON.parse(r.body) as { events: { source: { userId: string } }[] }).events[0]!.source.userId ===
            u,
        )
        .map(
          (r) => (JSON.parse(r.body) as { events: { webhookEventId: string }[] }).events[0]!.webhookEventId,
        );
      expect(order).toEqual(sent.get(u));
    }
    // A redelivery of an event already forwarded is not forwarded again (dedupe by webhookEventId).
    const before = target.requests.length;
    const again = { ...textEvent(users[0]!, 'x'), webhookEventId: sent.get(users[0]!)![0]! };
    await ch.post([{ ...again, deliveryContext: { isRedelivery: true } }]);
    const list = await items(t.id, '?limit=200');
    expect(list.items).toHaveLength(15);
    expect(list.items.some((i) => i.failures > 0)).toBe(true);
    expect(target.requests.length).toBe(before);
  });

  it('W-01: after the retry window an item is dead-lettered with the answer excerpt; 再送 (one, then all) delivers it', async () => {
    const ch = await channel();
    target.behaviour.set('/dead', 'fail');
    const t = await addTarget(ch.id, '/dead');
    const a = textEvent(lineUserId(), '一件目');
    const b = textEvent(lineUserId(), '二件目');
    await ch.post([a, b]);
    const dead = await waitFor(
      () => items(t.id, '?state=dead'),
      (p) => p.items.length === 2,
      { timeoutMs: 20_000, what: 'two dead letters' },
    );
    const first = dead.items.find((i) => i.webhookEventId === a.webhookEventId)!;
    expect(first.lastStatus).toBe(500);
    expect(first.lastError).toBe('HTTP 500');
    expect(first.failures).toBeGreaterThan(2);
    expect(first.responseExcerpt?.startsWith('down for maintenance')).toBe(true);
    expect(Buffer.byteLength(first.responseExcerpt!)).toBeLessThanOrEqual(1024);
    const listed = (await (
      await admin.request('GET', `/api/forwarding/targets?channelId=${ch.id}`)
    ).json()) as ForwardingTargetView[];
    expect(listed[0]!.stats).toMatchObject({ dead: 2, queued: 0, sent: 0 });
    expect(listed[0]!.stats.failed).toBeGreaterThan(4);

    target.behaviour.set('/dead', 'ok');
    const one = await admin.request('POST', `/api/forwarding/targets/${t.id}/items/${first.id}/resend`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ resent: 1 });
    await until('the resent one', async () => target.accepted('/dead').length >= 1 || null);
    expect(eventIdsOf(target.accepted('/dead'))).toEqual([a.webhookEventId]);
    const all = await admin.request('POST', `/api/forwarding/targets/${t.id}/resend`);
    expect(await all.json()).toEqual({ resent: 1 });
    await until('the other one', async () => target.accepted('/dead').length >= 2 || null);
    expect(eventIdsOf(target.accepted('/dead'))).toEqual([a.webhookEventId, b.webhookEventId]);
    const actions = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', t.id)
      .where('action', 'like', 'forwarding.%resend')
      .execute();
    expect(actions.map((x) => x.action).sort()).toEqual([
      'forwarding.item.resend',
      'forwarding.target.resend',
    ]);
  }, 40_000);

  it('W-01: a redirect is not followed (a failure with its status); a slow target is cut off by the timeout', async () => {
    const ch = await channel();
    target.behaviour.set('/moved', 'redirect');
    target.behaviour.set('/slow', 'slow');
    const moved = await addTarget(ch.id, '/moved');
    const slow = await addTarget(ch.id, '/slow');
    await ch.post([followEvent(lineUserId())]);
    const m = await waitFor(
      () => items(moved.id),
      (p) => (p.items[0]?.failures ?? 0) > 0,
      { what: 'a failed redirect' },
    );
    expect(m.items[0]!.lastStatus).toBe(302);
    expect(m.items[0]!.lastError).toContain('redirects are not followed');
    expect(target.requests.some((r) => r.path === '/elsewhere')).toBe(false);
    const s = await waitFor(
      () => items(slow.id),
      (p) => (p.items[0]?.failures ?? 0) > 0,
      { what: 'a timed-out attempt' },
    );
    expect(s.items[0]!.lastError).toBe('timeout after 500 ms');
    expect(s.items[0]!.state).toBe('pending');
    // Stop both (their items wait; a paused target is not sent to).
    for (const id of [moved.id, slow.id]) {
      expect((await admin.request('PATCH', `/api/forwarding/targets/${id}`, { enabled: false })).status).toBe(
        200,
      );
    }
  });

  it('W-01: a URL reaching a private, loopback, link-local or mapped address is refused at save with a stable code, and again at send', async () => {
    const ch = await channel();
    for (const url of [
      'http://10.0.0.5/hook',
      'http://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://[::1]:8080/',
      'http://[fd00::1]/',
      'http://[::ffff:10.0.0.1]/',
      'http://0.0.0.0/',
      'http://127.0.0.2/',
      'http://224.0.0.1/',
    ]) {
      const r = await admin.request('POST', '/api/forwarding/targets', { channelId: ch.id, name: 'x', url });
      expect(r.status, url).toBe(400);
      expect(((await r.json()) as { code: string }).code, url).toBe('FORWARDING_URL_PRIVATE_ADDRESS');
    }
    for (const [url, code] of [
      ['ftp://example.com/', 'FORWARDING_URL_INVALID'],
      ['http://user:pass@127.0.0.1/', 'FORWARDING_URL_INVALID'],
      ['http://nonexistent.invalid/', 'FORWARDING_URL_UNRESOLVABLE'],
    ] as const) {
      const r = await admin.request('POST', '/api/forwarding/targets', { channelId: ch.id, name: 'x', url });
      expect(r.status, url).toBe(400);
      expect(((await r.json()) as { code: string }).code, url).toBe(code);
    }
    // The same check at send time: a URL changed behind the API's back is not connected to.
    const t = await addTarget(ch.id, '/private');
    await server.db
      .updateTable('forwarding_targets')
      .set({ url: 'http://10.0.0.5/hook' })
      .where('id', '=', t.id)
      .execute();
    await ch.post([followEvent(lineUserId())]);
    const p = await waitFor(
      () => items(t.id),
      (x) => (x.items[0]?.failures ?? 0) > 0,
      { what: 'a refused attempt' },
    );
    expect(p.items[0]!.lastError).toContain('not allowed');
    expect(p.items[0]!.lastStatus).toBeNull();
    await admin.request('PATCH', `/api/forwarding/targets/${t.id}`, { enabled: false });
  });

  it('W-01: bad input on every endpoint answers 4xx with a code, never 5xx; staff without channels.manage are refused', async () => {
    const ch = await channel();
    const t = await addTarget(ch.id, '/bad-input');
    const other = await addTarget(ch.id, '/bad-input-2');
    const cases: [string, string, unknown, number, string?][] = [
      ['GET', '/api/forwarding/targets', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/forwarding/targets?channelId=nope', undefined, 400, 'VALIDATION_FAILED'],
      [
        'GET',
        '/api/forwarding/targets?channelId=00000000-0000-4000-8000-000000000000',
        undefined,
        404,
        'NOT_FOUND',
      ],
      ['POST', '/api/forwarding/targets', {}, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: 'not a url' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: `${target.url}/x`, secret: 'short' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: `${target.url}/x`, eventTypes: ['nope'] },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: `${target.url}/x`, eventTypes: [] },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: `${target.url}/x`, messageMode: 'sometimes' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: 'a', url: `${target.url}/x`, extra: 1 },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: '<b>', url: `${target.url}/x` },
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/api/forwarding/targets',
        { channelId: ch.id, name: t.name, url: `${target.url}/x` },
        409,
        'FORWARDING_TARGET_NAME_TAKEN',
      ],
      ['POST', '/api/forwarding/targets', '{"channelId":', 400],
      ['PATCH', `/api/forwarding/targets/${t.id}`, {}, 400, 'VALIDATION_FAILED'],
      [
        'PATCH',
        `/api/forwarding/targets/${t.id}`,
        { url: 'http://10.1.2.3/' },
        400,
        'FORWARDING_URL_PRIVATE_ADDRESS',
      ],
      ['PATCH', `/api/forwarding/targets/${t.id}`, { name: other.name }, 409, 'FORWARDING_TARGET_NAME_TAKEN'],
      ['PATCH', '/api/forwarding/targets/nope', { enabled: true }, 400, 'VALIDATION_FAILED'],
      [
        'PATCH',
        '/api/forwarding/targets/00000000-0000-4000-8000-000000000000',
        { enabled: true },
        404,
        'FORWARDING_TARGET_NOT_FOUND',
      ],
      ['DELETE', '/api/forwarding/targets/nope', undefined, 400, 'VALIDATION_FAILED'],
      [
        'DELETE',
        '/api/forwarding/targets/00000000-0000-4000-8000-000000000000',
        undefined,
        404,
        'FORWARDING_TARGET_NOT_FOUND',
      ],
      ['GET', `/api/forwarding/targets/${t.id}/items?state=lost`, undefined, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/forwarding/targets/${t.id}/items?before=-1`, undefined, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/forwarding/targets/${t.id}/items?limit=100000`, undefined, 400, 'VALIDATION_FAILED'],
      [
        'GET',
        '/api/forwarding/targets/00000000-0000-4000-8000-000000000000/items',
        undefined,
        404,
        'FORWARDING_TARGET_NOT_FOUND',
      ],
      ['POST', `/api/forwarding/targets/${t.id}/items/abc/resend`, undefined, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        `/api/forwarding/targets/${t.id}/items/999999999/resend`,
        undefined,
        404,
        'FORWARDING_ITEM_NOT_FOUND',
      ],
      ['POST', '/api/forwarding/targets/nope/resend', undefined, 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/api/forwarding/targets/00000000-0000-4000-8000-000000000000/resend',
        undefined,
        404,
        'FORWARDING_TARGET_NOT_FOUND',
      ],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await admin.request(method, path, body);
      const text = await r.text();
      expect(r.status, `${method} ${path} ${text}`).toBe(status);
      const answer = JSON.parse(text) as { code: string; message: string };
      if (code) expect(answer.code, `${method} ${path}`).toBe(code);
      expect(answer.message.length).toBeGreaterThan(0);
    }
    // An item of one target named under another (object-level check), and one not dead: refused.
    await ch.post([followEvent(lineUserId())]);
    const item = await waitFor(
      () => items(other.id),
      (p) => p.items[0]?.state === 'sent',
      { what: 'a sent item' },
    );
    const foreign = await admin.request(
      'POST',
      `/api/forwarding/targets/${t.id}/items/${item.items[0]!.id}/resend`,
    );
    expect(foreign.status).toBe(404);
    const notDead = await admin.request(
      'POST',
      `/api/forwarding/targets/${other.id}/items/${item.items[0]!.id}/resend`,
    );
    expect(notDead.status).toBe(409);
    expect(((await notDead.json()) as { code: string }).code).toBe('FORWARDING_ITEM_NOT_DEAD');

    const general = await staffClient(
      server,
      (await createStaff(server.db, 'general')).loginId,
      STRONG_PASSWORD,
    );
    for (const [method, path, body] of [
      ['GET', `/api/forwarding/targets?channelId=${ch.id}`, undefined],
      ['POST', '/api/forwarding/targets', { channelId: ch.id, name: 'z', url: `${target.url}/z` }],
      ['PATCH', `/api/forwarding/targets/${t.id}`, { enabled: false }],
      ['DELETE', `/api/forwarding/targets/${t.id}`, undefined],
      ['POST', `/api/forwarding/targets/${t.id}/resend`, undefined],
    ] as const) {
      expect((await general.request(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    // Deleting removes the target and what waited for it.
    expect((await admin.request('DELETE', `/api/forwarding/targets/${other.id}`)).status).toBe(204);
    expect((await items(t.id)).items.length).toBeGreaterThan(0);
  });
});
