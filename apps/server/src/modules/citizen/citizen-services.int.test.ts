import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDesks } from '../../demo/demo-desks.ts';
import { ensureDemoRegistrationForm } from '../../demo/demo-registration.ts';
import { insertTestChannel, startTestServer, type TestServer } from '../../testing/test-server.ts';
import { createDesk } from '../consultation/desks.service.ts';

// マイページ lists exactly the services the city has enabled for the channel (issue 9), and the
// citizen header names the city (CITY_NAME, else the production channel's name).

let server: TestServer;
let plain: TestServer;
let channelId: string;
let otherChannelId: string;

const get = (base: TestServer, path: string) => fetch(`${base.url}${path}`);

async function addChannel(
  s: TestServer,
  name: string,
  lineChannelId: string,
  environment: 'production' | 'test',
) {
  const ch = await insertTestChannel(s, {
    name,
    lineChannelId,
    channelSecret: 'secret-secret-secret',
    accessToken: 'token-token-token',
    environment,
    loginChannelId: `${lineChannelId}1`,
    loginChannelSecret: 'login-secret',
    liffId: `${lineChannelId}-liff`,
  });
  return ch.id;
}

beforeAll(async () => {
  server = await startTestServer({ CITY_NAME: 'テスト市' });
  otherChannelId = await addChannel(server, '別の公式アカウント', '2300000002', 'test');
  channelId = await addChannel(server, 'テスト市 公式アカウント', '2300000001', 'production');
  plain = await startTestServer();
  await addChannel(plain, 'テスト用', '2300000012', 'test');
  await addChannel(plain, 'みなと町 公式アカウント', '2300000011', 'production');
});
afterAll(async () => {
  await server?.close();
  await plain?.close();
});

describe('citizen services and site (issue 9)', () => {
  it('lists nothing that is not enabled: no desk, no registration form', async () => {
    const res = await get(server, `/api/citizen/services?ch=${channelId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ services: [] });
  });

  it('lists the desks that take LINE consultees of the channel, then 受信設定 once the form has items', async () => {
    const [welfare, ijime] = demoDesks(channelId);
    await createDesk(server.db, welfare!);
    await createDesk(server.db, { ...ijime!, channelId: otherChannelId }); // another channel's desk
    await createDesk(server.db, { ...ijime!, slug: 'web-only', channelId: null }); // LINE では受け付けない
    expect(await (await get(server, `/api/citizen/services?ch=${channelId}`)).json()).toEqual({
      services: [
        { kind: 'consult', slug: 'welfare', name: welfare!.name, description: welfare!.description },
      ],
    });
    await ensureDemoRegistrationForm(server.db, channelId);
    const { services } = (await (await get(server, `/api/citizen/services?ch=${channelId}`)).json()) as {
      services: { kind: string; slug?: string }[];
    };
    expect(services.map((s) => s.slug ?? s.kind)).toEqual(['welfare', 'register']);
    const other = (await (await get(server, `/api/citizen/services?ch=${otherChannelId}`)).json()) as {
      services: { slug?: string }[];
    };
    expect(other.services.map((s) => s.slug)).toEqual(['ijime']);
  });

  it('Q-01/V-01: 予約 once a booking calendar is open, and each survey open now (not drafts, not closed ones)', async () => {
    const { createChannelsService } = await import('../channels/channels.service.ts');
    const { createCipher } = await import('../../platform/crypto.ts');
    const { seedDemoSurveys } = await import('../../demo/demo-surveys.ts');
    const channels = createChannelsService({
      db: server.db,
      cipher: createCipher(server.config.ENCRYPTION_KEY),
      publicUrl: server.url,
    });
    await seedDemoSurveys(server.db, channels, channelId, server.config.ENCRYPTION_KEY);
    const { services } = (await (await get(server, `/api/citizen/services?ch=${channelId}`)).json()) as {
      services: { kind: string; slug?: string; title?: string }[];
    };
    expect(services.map((s) => s.slug ?? s.title ?? s.kind)).toEqual([
      'welfare',
      'booking',
      '市民満足度アンケート',
      'register',
    ]);
    // Run again: nothing is added twice.
    expect(await seedDemoSurveys(server.db, channels, channelId, server.config.ENCRYPTION_KEY)).toEqual([]);
  });

  it('bad input: a malformed or unknown channel ID', async () => {
    const malformed = await get(server, '/api/citizen/services?ch=not-a-uuid');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).code).toBe('VALIDATION_FAILED');
    expect((await get(server, '/api/citizen/services')).status).toBe(400);
    const unknown = await get(server, '/api/citizen/services?ch=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('CHANNEL_NOT_FOUND');
  });

  it("the header's city name: CITY_NAME, else the production channel's name", async () => {
    expect(await (await get(server, '/api/citizen/site')).json()).toEqual({ cityName: 'テスト市' });
    expect(await (await get(plain, '/api/citizen/site')).json()).toEqual({
      cityName: 'みなと町 公式アカウント',
    });
  });
});
