import { createHash } from 'node:crypto';
import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

// GET /_sim/richmenus/effective (read-only, for bench/disaster, X-01): every following friend's
// effective rich menu at once — the per-user link, else the default — counted per menu and by source.

const channelId = CHANNEL.channelId;

describe('effective rich menus in bulk (X-01)', () => {
  let t: TestSimulator;
  let client: messagingApi.MessagingApiClient;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestSimulator();
    client = new messagingApi.MessagingApiClient({ channelAccessToken: CHANNEL.accessToken, baseURL: t.url });
    const blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken: CHANNEL.accessToken,
      baseURL: t.url,
    });
    for (const name of ['a', 'b']) {
      const { richMenuId } = await client.createRichMenu({
        size: { width: 2500, height: 843 },
        selected: false,
        name,
        chatBarText: name,
        areas: [{ bounds: { x: 0, y: 0, width: 100, height: 100 }, action: { type: 'message', text: name } }],
      });
      await blob.setRichMenuImage(richMenuId, new Blob([pngOfSize(2500, 843)], { type: 'image/png' }));
      ids.push(richMenuId);
    }
  });
  afterAll(() => t.close());

  it('X-01: counts the per-user link before the default, the friends without any menu, and hashes the users', async () => {
    const { userIds } = (await t.call('POST', '/_sim/users/bulk', { count: 5, followChannelId: channelId }))
      .body as { userIds: string[] };
    const path = `/_sim/richmenus/effective?channelId=${channelId}`;
    expect((await t.call('GET', path)).body).toMatchObject({ followers: 5, none: 5, byMenu: {} });
    await client.setDefaultRichMenu(ids[0]!);
    await client.linkRichMenuIdToUsers({ richMenuId: ids[1]!, userIds: userIds.slice(0, 2) });
    const r = (await t.call('GET', `${path}&hash=true`)).body as {
      followers: number;
      none: number;
      byMenu: Record<string, { user: number; default: number; md5: string }>;
    };
    expect(r.none).toBe(0);
    expect(r.byMenu[ids[0]!]).toMatchObject({ user: 0, default: 3 });
    expect(r.byMenu[ids[1]!]).toMatchObject({ user: 2, default: 0 });
    const md5 = createHash('md5').update(userIds.slice(0, 2).sort().join(',')).digest('hex');
    expect(r.byMenu[ids[1]!]!.md5).toBe(md5);
  });

  it('X-01: bad input — an unknown channel and a bad hash flag are refused', async () => {
    expect((await t.call('GET', '/_sim/richmenus/effective?channelId=999')).status).toBeGreaterThanOrEqual(
      400,
    );
    expect((await t.call('GET', `/_sim/richmenus/effective?channelId=${channelId}&hash=yes`)).status).toBe(
      400,
    );
  });
});
