import { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, jpegOfSize, pngOfSize, startTestSimulator, type TestSimulator } from './testing/harness.ts';

const channelId = CHANNEL.channelId;

function tabMenu(name: string, otherAlias: string): messagingApi.RichMenuRequest {
  return {
    size: { width: 2500, height: 843 },
    selected: true,
    name,
    chatBarText: 'メニュー',
    areas: [
      {
        bounds: { x: 0, y: 0, width: 1250, height: 843 },
        action: { type: 'richmenuswitch', richMenuAliasId: otherAlias, data: `switch-to=${otherAlias}` },
      },
      {
        bounds: { x: 1250, y: 0, width: 625, height: 843 },
        action: { type: 'postback', data: `tab=${name}` },
      },
      { bounds: { x: 1875, y: 0, width: 625, height: 843 }, action: { type: 'message', text: '問い合わせ' } },
    ],
  };
}

describe('rich menus (D-03)', () => {
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
    user = await t.createUser('田中');
  });
  afterAll(() => t.close());

  it('validates rich menu objects like LINE', async () => {
    const bad = await t.line('POST', '/v2/bot/richmenu', {
      size: { width: 2500, height: 2500 },
      selected: false,
      name: 'x',
      chatBarText: 'This text is too long',
      areas: [{ bounds: { x: 0, y: 0, width: 100, height: 100 }, action: { type: 'postback' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(
      expect.arrayContaining([
        { message: 'Length must be between 0 and 14', property: 'chatBarText' },
        { message: 'The aspect ratio (width / height) must be 1.45 or more', property: 'size' },
        { message: 'must be specified', property: 'areas[0].action.data' },
      ]),
    );
    await expect(client.validateRichMenuObject(tabMenu('a', 'b'))).resolves.toEqual({});
  });

  it('creates, reads, lists and deletes menus through the official SDK', async () => {
    const { richMenuId } = await client.createRichMenu(tabMenu('tmp', 'x'));
    expect(richMenuId).toMatch(/^richmenu-[0-9a-f]{32}$/);
    const menu = await client.getRichMenu(richMenuId);
    expect(menu).toMatchObject({ richMenuId, name: 'tmp', chatBarText: 'メニュー' });
    expect((await client.getRichMenuList()).richmenus.map((m) => m.richMenuId)).toContain(richMenuId);
    await client.deleteRichMenu(richMenuId);
    const gone = await t.line('GET', `/v2/bot/richmenu/${richMenuId}`);
    expect(gone.status).toBe(404);
  });

  it('checks the uploaded image: type, size match, 1 MB, once only', async () => {
    const { richMenuId } = await client.createRichMenu(tabMenu('img', 'x'));
    const upload = (body: Buffer<ArrayBuffer>, type: string) =>
      fetch(`${t.url}/v2/bot/richmenu/${richMenuId}/content`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CHANNEL.accessToken}`, 'content-type': type },
        body,
      });
    expect((await upload(pngOfSize(2500, 1686), 'image/png')).status).toBe(400);
    expect((await upload(pngOfSize(2500, 843, 1024 * 1024 + 1), 'image/png')).status).toBe(400);
    expect((await upload(pngOfSize(2500, 843), 'image/jpeg')).status).toBe(400);
    const ok = await upload(jpegOfSize(2500, 843), 'image/jpeg');
    expect(ok.status).toBe(200);
    expect((await upload(jpegOfSize(2500, 843), 'image/jpeg')).status).toBe(400);
    const download = await fetch(`${t.url}/v2/bot/richmenu/${richMenuId}/content`, {
      headers: { authorization: `Bearer ${CHANNEL.accessToken}` },
    });
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(jpegOfSize(2500, 843))).toBe(true);
  });

  it('default menu, per-user link, aliases, tap and richmenuswitch', async () => {
    const a = (await client.createRichMenu(tabMenu('a', 'tab-b'))).richMenuId;
    const b = (await client.createRichMenu(tabMenu('b', 'tab-a'))).richMenuId;
    // Linking needs an image first, as on LINE.
    const early = await t.line('POST', `/v2/bot/user/all/richmenu/${a}`);
    expect(early.status).toBe(400);
    await blob.setRichMenuImage(a, new Blob([pngOfSize(2500, 843)], { type: 'image/png' }));
    await blob.setRichMenuImage(b, new Blob([pngOfSize(2500, 843)], { type: 'image/png' }));
    await client.setDefaultRichMenu(a);
    expect(await client.getDefaultRichMenuId()).toEqual({ richMenuId: a });
    await client.createRichMenuAlias({ richMenuAliasId: 'tab-a', richMenuId: a });
    await client.createRichMenuAlias({ richMenuAliasId: 'tab-b', richMenuId: b });
    const dup = await t.line('POST', '/v2/bot/richmenu/alias', { richMenuAliasId: 'tab-a', richMenuId: b });
    expect(dup.status).toBe(400);
    expect((await client.getRichMenuAliasList()).aliases).toHaveLength(2);

    // The user sees the default menu; no per-user link yet.
    let seen = await t.call('GET', `/_sim/users/${user}/richmenu?channelId=${channelId}`);
    expect(seen.body.richMenu.richMenuId).toBe(a);
    expect(seen.body.richMenu.areas).toHaveLength(3);
    const image = await fetch(seen.body.imageUrl);
    expect(image.status).toBe(200);
    expect((await t.line('GET', `/v2/bot/user/${user}/richmenu`)).status).toBe(404);

    // Tap a postback area and a message area.
    const post = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 1 });
    expect(post.body.event).toMatchObject({ type: 'postback', postback: { data: 'tab=a' } });
    expect(post.body.webhookStatus).toBe(200);
    const msg = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 2 });
    expect(msg.body.event).toMatchObject({ type: 'message', message: { type: 'text', text: '問い合わせ' } });

    // Switch tabs through the alias.
    const sw = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 0 });
    expect(sw.body.event).toMatchObject({
      type: 'postback',
      postback: { data: 'switch-to=tab-b', params: { newRichMenuAliasId: 'tab-b', status: 'SUCCESS' } },
    });
    seen = await t.call('GET', `/_sim/users/${user}/richmenu?channelId=${channelId}`);
    expect(seen.body.richMenu.richMenuId).toBe(b);
    expect(await client.getRichMenuIdOfUser(user)).toEqual({ richMenuId: b });

    // Re-point an alias, then unknown alias.
    await client.updateRichMenuAlias('tab-a', { richMenuId: b });
    expect(await client.getRichMenuAlias('tab-a')).toEqual({ richMenuAliasId: 'tab-a', richMenuId: b });
    await client.deleteRichMenuAlias('tab-a');
    const broken = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 0 });
    expect(broken.body.event.postback.params).toEqual({
      newRichMenuAliasId: 'tab-a',
      status: 'RICHMENU_ALIAS_ID_NOTFOUND',
    });

    // Per-user link / unlink and bulk operations.
    await client.linkRichMenuIdToUser(user, a);
    expect(await client.getRichMenuIdOfUser(user)).toEqual({ richMenuId: a });
    await client.unlinkRichMenuIdFromUser(user);
    const other = await t.createUser('鈴木');
    await client.linkRichMenuIdToUsers({ richMenuId: b, userIds: [user, other] });
    expect(await client.getRichMenuIdOfUser(other)).toEqual({ richMenuId: b });
    await client.unlinkRichMenuIdFromUsers({ userIds: [user, other] });
    seen = await t.call('GET', `/_sim/users/${other}/richmenu?channelId=${channelId}`);
    expect(seen.body.richMenu.richMenuId).toBe(a); // back to the default

    await client.cancelDefaultRichMenu();
    expect((await t.call('GET', `/_sim/users/${other}/richmenu?channelId=${channelId}`)).status).toBe(404);
    expect(
      (await t.call('POST', `/_sim/users/${other}/richmenu-tap`, { channelId, areaIndex: 0 })).status,
    ).toBe(404);
  });

  it('uri areas answer the URI (and a LIFF URL opens with credentials)', async () => {
    await t.call('POST', '/_sim/channels', {
      ...CHANNEL,
      webhookUrl: t.receiver.url,
      liffApps: [{ liffId: '2000000002-abcdEFGH', endpointUrl: 'http://localhost:5173/liff' }],
    });
    const { richMenuId } = await client.createRichMenu({
      size: { width: 2500, height: 843 },
      selected: false,
      name: 'links',
      chatBarText: 'リンク',
      areas: [
        {
          bounds: { x: 0, y: 0, width: 1250, height: 843 },
          action: { type: 'uri', uri: 'https://example.com/' },
        },
        {
          bounds: { x: 1250, y: 0, width: 1250, height: 843 },
          action: { type: 'uri', uri: 'https://liff.line.me/2000000002-abcdEFGH/forms/1' },
        },
      ],
    });
    await blob.setRichMenuImage(richMenuId, new Blob([pngOfSize(2500, 843)], { type: 'image/png' }));
    await client.linkRichMenuIdToUser(user, richMenuId);
    const plain = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 0 });
    expect(plain.body).toMatchObject({ uri: 'https://example.com/', action: { type: 'uri' } });
    expect(plain.body.event).toBeUndefined();
    const liff = await t.call('POST', `/_sim/users/${user}/richmenu-tap`, { channelId, areaIndex: 1 });
    expect(liff.body.liffUrl).toMatch(/^http:\/\/localhost:5173\/liff\/forms\/1#id_token=/);
  });
});
