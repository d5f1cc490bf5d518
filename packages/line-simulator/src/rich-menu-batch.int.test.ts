import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

// Tab switching as LINE does it (https://developers.line.biz/en/docs/messaging-api/switch-rich-menus/):
// richmenuswitch links the alias's menu to the user (a per-user menu, which outranks the default,
// https://developers.line.biz/en/docs/messaging-api/use-per-user-rich-menus/), re-pointing an alias
// changes where the next switch lands, and the batch control endpoint (POST /v2/bot/richmenu/batch)
// replaces or removes the per-user links of everyone linked to a menu (M-03, X-01).

const channelId = CHANNEL.channelId;
const menu = (name: string, alias: string): messagingApi.RichMenuRequest => ({
  size: { width: 2500, height: 843 },
  selected: false,
  name,
  chatBarText: name,
  areas: [
    {
      bounds: { x: 0, y: 0, width: 1250, height: 843 },
      action: { type: 'richmenuswitch', richMenuAliasId: alias, data: `to=${alias}` },
    },
  ],
});

describe('rich menu tabs and batch control (M-03)', () => {
  let t: TestSimulator;
  let client: messagingApi.MessagingApiClient;
  let blob: messagingApi.MessagingApiBlobClient;
  const ids: Record<string, string> = {};

  const seen = async (user: string) =>
    (await t.call('GET', `/_sim/users/${user}/richmenu?channelId=${channelId}`)).body as {
      richMenu: { richMenuId: string };
      source: 'user' | 'default';
    };

  beforeAll(async () => {
    t = await startTestSimulator();
    client = new messagingApi.MessagingApiClient({ channelAccessToken: CHANNEL.accessToken, baseURL: t.url });
    blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken: CHANNEL.accessToken,
      baseURL: t.url,
    });
    for (const [name, alias] of [
      ['a', 'alias-b'],
      ['b', 'alias-a'],
      ['c', 'alias-a'],
    ] as const) {
      ids[name] = (await client.createRichMenu(menu(name, alias))).richMenuId;
      await blob.setRichMenuImage(ids[name]!, new Blob([pngOfSize(2500, 843)], { type: 'image/png' }));
    }
    await client.createRichMenuAlias({ richMenuAliasId: 'alias-a', richMenuId: ids.a! });
    await client.createRichMenuAlias({ richMenuAliasId: 'alias-b', richMenuId: ids.b! });
    await client.setDefaultRichMenu(ids.a!);
  });
  afterAll(() => t.close());

  it('M-03: a switch links the menu to the user, which then outranks a new default', async () => {
    const user = await t.createUser('切替 花子');
    expect(await seen(user)).toMatchObject({ source: 'default', richMenu: { richMenuId: ids.a } });
    await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 0 });
    expect(await seen(user)).toMatchObject({ source: 'user', richMenu: { richMenuId: ids.b } });
    await client.setDefaultRichMenu(ids.c!);
    expect(await seen(user)).toMatchObject({ source: 'user', richMenu: { richMenuId: ids.b } });
    await client.setDefaultRichMenu(ids.a!);
  });

  it('M-03: re-pointing an alias changes where the next switch lands', async () => {
    const user = await t.createUser('別名 次郎');
    await client.updateRichMenuAlias('alias-b', { richMenuId: ids.c! });
    await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 0 });
    expect((await seen(user)).richMenu.richMenuId).toBe(ids.c);
    await client.updateRichMenuAlias('alias-b', { richMenuId: ids.b! });
  });

  it('X-01: batch "link" moves everyone linked to one menu to another, "unlink" and "unlinkAll" remove links', async () => {
    const [u1, u2, u3] = [await t.createUser('一'), await t.createUser('二'), await t.createUser('三')];
    await client.linkRichMenuIdToUsers({ richMenuId: ids.b!, userIds: [u1!, u2!] });
    await client.linkRichMenuIdToUser(u3!, ids.c!);
    const res = await client.richMenuBatchWithHttpInfo({
      operations: [{ type: 'link', from: ids.b!, to: ids.c! }],
    });
    expect(res.httpResponse.status).toBe(202);
    const requestId = res.httpResponse.headers.get('x-line-request-id')!;
    expect(await client.getRichMenuBatchProgress(requestId)).toMatchObject({ phase: 'succeeded' });
    for (const u of [u1!, u2!, u3!])
      expect(await seen(u)).toMatchObject({ source: 'user', richMenu: { richMenuId: ids.c } });

    await client.linkRichMenuIdToUser(u1!, ids.b!);
    await client.richMenuBatch({ operations: [{ type: 'unlink', from: ids.c! }] });
    expect(await seen(u1!)).toMatchObject({ source: 'user', richMenu: { richMenuId: ids.b } });
    expect(await seen(u2!)).toMatchObject({ source: 'default', richMenu: { richMenuId: ids.a } });
    await client.richMenuBatch({ operations: [{ type: 'unlinkAll' }] });
    expect(await seen(u1!)).toMatchObject({ source: 'default' });

    const bad = await t.line('POST', '/v2/bot/richmenu/batch', {
      operations: [{ type: 'link', from: ids.b, to: 'richmenu-00000000000000000000000000000000' }],
    });
    expect(bad.status).toBe(404);
    expect((await t.line('POST', '/v2/bot/richmenu/batch', { operations: [] })).status).toBe(400);
  });
});
