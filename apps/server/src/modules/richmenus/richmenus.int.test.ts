import {
  CITY_COLORS,
  type RichMenuAction,
  type RichMenuTabInput,
  type TabGroupInput,
  type TabGroupView,
  templateAreas,
} from '@madoguchi/contracts/richmenus.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { createLineClients } from '../../platform/line/line-clients.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { createPublicationsService } from './publications.service.ts';

// Tabbed rich menus against real PostgreSQL, real HTTP and the LINE simulator (M-01 … M-05, O-08):
// what LINE holds (menus, images, aliases, default, per-user links) is read back from the simulator
// through the official SDK and its /_sim inspection API.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let line: ReturnType<typeof createLineClients>;
let client: ReturnType<ReturnType<typeof createLineClients>['messaging']>;

const SIZE = { width: 2500, height: 1686 };
const LABELS = ['くらし', '手続き', '防災'];

/** A template tab of a 3-tab group: switch areas to the other tabs, 4 content cells (2×2). */
function templateTab(position: number, tabCount = 3, actions?: RichMenuAction[]): RichMenuTabInput {
  const cellActions: RichMenuAction[] = actions ?? [
    { type: 'uri', uri: 'https://www.city.example.jp/gomi/' },
    { type: 'postback', data: 'action=disaster-info', displayText: '防災情報' },
    { type: 'liff', page: 'register' },
    { type: 'message', text: '相談' },
  ];
  return {
    label: LABELS[position]!,
    chatBarText: 'メニュー',
    size: SIZE,
    image: {
      kind: 'template',
      layout: '2x2',
      colors: { ...CITY_COLORS },
      cells: [
        { label: 'ごみの出し方', icon: 'trash' },
        { label: '防災情報', icon: 'shelter' },
        { label: '受信設定', icon: 'form' },
        { label: '相談する', icon: 'consult' },
      ],
    },
    areas: templateAreas('2x2', SIZE, tabCount, position, cellActions, {
      tabs: LABELS,
      cells: ['ごみの出し方', '防災情報', '受信設定', '相談する'],
    }),
  };
}

const group = (over: Partial<TabGroupInput> = {}): TabGroupInput => ({
  channelId: w.channelId,
  name: 'デモ市メニュー',
  kind: 'normal',
  tabs: [templateTab(0), templateTab(1), templateTab(2)],
  ...over,
});

async function create(body: unknown) {
  const r = await admin.request('POST', '/api/richmenus', body);
  return {
    status: r.status,
    body: (await r.json()) as TabGroupView & { code?: string; details?: unknown[] },
  };
}

async function upload(png: Buffer) {
  const r = await fetch(`${w.server.url}/api/media`, {
    method: 'POST',
    headers: {
      cookie: admin.cookie,
      'x-csrf-token': admin.csrfToken,
      'content-type': 'application/octet-stream',
    },
    body: new Uint8Array(png),
  });
  return (await r.json()) as { id: string; width: number; height: number; code?: string };
}

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#0B6BCB' } })
    .png()
    .toBuffer();

async function newFriend(name = '窓口 太郎') {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: name })) as { userId: string };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  await until(`friend ${userId}`, () =>
    w.server.db.selectFrom('friends').select('id').where('line_user_id', '=', userId).executeTakeFirst(),
  );
  return userId;
}

async function setTest(userId: string, isTest: boolean) {
  const f = await w.server.db
    .selectFrom('friends')
    .select('id')
    .where('line_user_id', '=', userId)
    .executeTakeFirstOrThrow();
  expect((await admin.request('PATCH', `/api/friends/${f.id}`, { isTest })).status).toBe(200);
}

const shownMenu = async (userId: string) =>
  (await w.sim$('GET', `/_sim/users/${userId}/richmenu?channelId=${w.line.channelId}`)) as {
    richMenu: { richMenuId: string; areas: { action: Record<string, string> }[] };
    source: 'user' | 'default';
  };

const tabMenuIds = async (groupId: string) =>
  (
    await w.server.db
      .selectFrom('rich_menu_tabs')
      .select(['line_rich_menu_id', 'line_alias_id'])
      .where('group_id', '=', groupId)
      .orderBy('position')
      .execute()
  ).map((t) => ({ menu: t.line_rich_menu_id!, alias: t.line_alias_id }));

async function publish(groupId: string, body: unknown) {
  const r = await admin.request('POST', `/api/richmenus/${groupId}/publications`, body);
  return { status: r.status, body: (await r.json()) as TabGroupView & { code?: string } };
}

async function unpublish(groupId: string, publicationId: string) {
  const r = await admin.request('DELETE', `/api/richmenus/${groupId}/publications/${publicationId}`);
  return { status: r.status, body: (await r.json()) as TabGroupView & { code?: string } };
}

async function menusOnLine() {
  return (await client.getRichMenuList()).richmenus.map((m) => m.richMenuId);
}

beforeAll(async () => {
  w = await startLineWorld('2700000101');
  const a = await createStaff(w.server.db, 'admin');
  admin = await staffClient(w.server, a.loginId);
  const g = await createStaff(w.server.db, 'general');
  general = await staffClient(w.server, g.loginId);
  const channels = createChannelsService({
    db: w.server.db,
    cipher: createCipher(w.server.config.ENCRYPTION_KEY),
    publicUrl: w.server.url,
  });
  const ch = (await channels.secrets(w.channelId))!;
  line = createLineClients({ api: w.sim.url, data: w.sim.url });
  client = line.messaging(ch);
}, 60_000);
afterAll(async () => w?.close());

describe('tab groups on LINE (M-01, M-03)', () => {
  it('M-03: a 3-tab template group becomes 3 menus with images, 3 aliases, and switchTab areas become richmenuswitch to the tab alias', async () => {
    const before = (await menusOnLine()).length;
    const { status, body } = await create(group());
    expect(status).toBe(201);
    expect(body.status).toBe('ready');
    expect(body.tabs.map((t) => t.onLine)).toEqual([true, true, true]);
    const tabs = await tabMenuIds(body.id);
    expect((await menusOnLine()).length).toBe(before + 3);
    const aliases = (await client.getRichMenuAliasList()).aliases;
    for (const t of tabs) expect(aliases).toContainEqual({ richMenuAliasId: t.alias, richMenuId: t.menu });
    // Tab 1: switch areas to tabs 2 and 3, then the cells.
    const menu = await client.getRichMenu(tabs[0]!.menu);
    const areaIds = body.tabs[0]!.areas.map((a) => a.id);
    expect(menu.areas[0]!.action).toEqual({
      type: 'richmenuswitch',
      richMenuAliasId: tabs[1]!.alias,
      data: `rm=${areaIds[0]}&tab=1`,
      label: '手続き',
    });
    expect(menu.areas[1]!.action).toMatchObject({ type: 'richmenuswitch', richMenuAliasId: tabs[2]!.alias });
    // M-05: a web link goes through the counted redirect, a LIFF page opens the citizen page.
    expect(menu.areas[2]!.action).toEqual({
      type: 'uri',
      uri: `${w.server.config.PUBLIC_URL}/rm/${areaIds[2]}`,
      label: 'ごみの出し方',
    });
    expect(menu.areas[3]!.action).toEqual({
      type: 'postback',
      data: `action=disaster-info&rm=${areaIds[3]}`,
      displayText: '防災情報',
      label: '防災情報',
    });
    expect(menu.areas[4]!.action).toEqual({
      type: 'uri',
      uri: `https://liff.line.me/${w.line.liffId}?page=register`,
      label: '受信設定',
    });
    expect(menu.chatBarText).toBe('メニュー');
    expect(menu.selected).toBe(true);
    // The image LINE got is the template drawn by the server.
    const img = await fetch(`${w.sim.url}/_sim/richmenus/${tabs[0]!.menu}/image`);
    expect(img.status).toBe(200);
    expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).width).toBe(2500);
    // Staff never see alias or LINE IDs.
    expect(JSON.stringify(body)).not.toContain(tabs[0]!.alias);
    expect(JSON.stringify(body)).not.toContain(tabs[0]!.menu);
  });

  it('M-02: the preview image of a tab is served to staff', async () => {
    const { body } = await create(group({ name: 'プレビュー' }));
    const r = await admin.request('GET', `/api/richmenus/${body.id}/tabs/${body.tabs[1]!.id}/image`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
  });
});

describe('publishing (M-01, M-03)', () => {
  it('M-01: published as the default, a friend without a link sees tab 1; a tab tap switches to tab 2 and is counted (O-08)', async () => {
    const { body } = await create(group({ name: '既定メニュー' }));
    const tabs = await tabMenuIds(body.id);
    const friend = await newFriend();
    const p = await publish(body.id, { target: 'default' });
    expect(p.status).toBe(201);
    expect(p.body.publications[0]).toMatchObject({ target: 'default', status: 'active' });
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(tabs[0]!.menu);
    const seen = await shownMenu(friend);
    expect(seen).toMatchObject({ source: 'default', richMenu: { richMenuId: tabs[0]!.menu } });

    // The friend taps the 手続き tab: LINE links tab 2's menu to them and sends the postback.
    await w.sim$('POST', `/_sim/users/${friend}/richmenu-tap`, { channelId: w.line.channelId, areaIndex: 0 });
    expect(await shownMenu(friend)).toMatchObject({
      source: 'user',
      richMenu: { richMenuId: tabs[1]!.menu },
    });
    const areaId = body.tabs[0]!.areas[0]!.id;
    const counted = await until('the tab tap counted', async () => {
      const r = await admin.request('GET', `/api/richmenus/${body.id}/taps`);
      const taps = (await r.json()) as { areaId: string; taps: number }[];
      return taps.find((t) => t.areaId === areaId && t.taps === 1);
    });
    expect(counted.taps).toBe(1);

    // Ending it restores what was there (no default before) and removes the tab link.
    const ended = await unpublish(body.id, p.body.publications[0]!.id);
    expect(ended.body.publications[0]!.status).toBe('ended');
    await expect(client.getDefaultRichMenuId()).rejects.toMatchObject({ status: 404 });
    await expect(shownMenu(friend)).rejects.toThrow(/404/);
  });

  it('M-01: a new default replaces the old one; friends who had switched tabs of the old one (a per-user link outranks the default) see the new one; ending it restores the old one', async () => {
    const a = (await create(group({ name: 'A' }))).body;
    const b = (await create(group({ name: 'B' }))).body;
    const ta = await tabMenuIds(a.id);
    const tb = await tabMenuIds(b.id);
    const friend = await newFriend();
    const pa = (await publish(a.id, { target: 'default' })).body.publications[0]!;
    await w.sim$('POST', `/_sim/users/${friend}/richmenu-tap`, { channelId: w.line.channelId, areaIndex: 1 });
    expect((await shownMenu(friend)).richMenu.richMenuId).toBe(ta[2]!.menu);

    const pb = (await publish(b.id, { target: 'default' })).body.publications[0]!;
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(tb[0]!.menu);
    expect(await shownMenu(friend)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: tb[0]!.menu },
    });

    await unpublish(b.id, pb.id);
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(ta[0]!.menu);
    expect(await shownMenu(friend)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: ta[0]!.menu },
    });
    await unpublish(a.id, pa.id);
    await expect(client.getDefaultRichMenuId()).rejects.toMatchObject({ status: 404 });
  });

  it('M-01: published to a segment, only its friends are linked (bulk link), and ending it unlinks exactly them', async () => {
    const { body } = await create(group({ name: 'セグメント' }));
    const tabs = await tabMenuIds(body.id);
    const inSegment = [await newFriend('対象 一郎'), await newFriend('対象 二郎')];
    const outside = await newFriend('対象外 三郎');
    for (const userId of inSegment) {
      const f = await w.server.db
        .selectFrom('friends')
        .select('id')
        .where('line_user_id', '=', userId)
        .executeTakeFirstOrThrow();
      expect((await admin.request('PATCH', `/api/friends/${f.id}`, { isTest: true })).status).toBe(200);
    }
    const seg = (await (
      await admin.request('POST', '/api/segments', {
        channelId: w.channelId,
        name: 'テスト友だち',
        tree: { type: 'test', value: true },
      })
    ).json()) as { id: string };
    await w.sim$('DELETE', '/_sim/requests');
    const p = await publish(body.id, { target: 'segment', segmentId: seg.id });
    expect(p.status).toBe(201);
    const pubId = p.body.publications[0]!.id;
    const active = await until('the segment publication active', async () => {
      const r = await admin.request('GET', `/api/richmenus/${body.id}`);
      const v = (await r.json()) as TabGroupView;
      return v.publications[0]?.status === 'active' ? v.publications[0] : null;
    });
    expect(active.linkedCount).toBe(2);
    for (const u of inSegment) {
      expect(await shownMenu(u)).toMatchObject({ source: 'user', richMenu: { richMenuId: tabs[0]!.menu } });
    }
    await expect(shownMenu(outside)).rejects.toThrow(/404/);
    const calls = (await w.sim$('GET', '/_sim/requests?path=/v2/bot/richmenu/bulk/link')) as unknown as {
      body: { userIds: string[] };
    }[];
    expect(calls).toHaveLength(1);
    expect([...calls[0]!.body.userIds].sort()).toEqual([...inSegment].sort());

    // A friend of the segment switches tabs; ending the publication unlinks them all the same.
    await w.sim$('POST', `/_sim/users/${inSegment[0]}/richmenu-tap`, {
      channelId: w.line.channelId,
      areaIndex: 0,
    });
    expect((await shownMenu(inSegment[0]!)).richMenu.richMenuId).toBe(tabs[1]!.menu);
    await unpublish(body.id, pubId);
    await until('the segment publication ended', async () => {
      const v = (await (await admin.request('GET', `/api/richmenus/${body.id}`)).json()) as TabGroupView;
      return v.publications[0]?.status === 'ended';
    });
    for (const u of inSegment) await expect(shownMenu(u)).rejects.toThrow(/404/);
    for (const u of inSegment) await setTest(u, false);
  });

  it('M-01: two segment publications over the same friends: ending either one gives each friend the menu they should see', async () => {
    const g1 = (await create(group({ name: '重なり1' }))).body;
    const g2 = (await create(group({ name: '重なり2' }))).body;
    const [m1, m2] = [await tabMenuIds(g1.id), await tabMenuIds(g2.id)];
    const users = [await newFriend('重なり 一'), await newFriend('重なり 二')];
    for (const u of users) await setTest(u, true);
    const seg = (await (
      await admin.request('POST', '/api/segments', {
        channelId: w.channelId,
        name: '重なり',
        tree: { type: 'test', value: true },
      })
    ).json()) as { id: string };
    const activeOf = (groupId: string) =>
      until(`${groupId} active`, async () => {
        const v = (await (await admin.request('GET', `/api/richmenus/${groupId}`)).json()) as TabGroupView;
        return v.publications[0]?.status === 'active' ? v.publications[0] : null;
      });
    const endedOf = (groupId: string) =>
      until(`${groupId} ended`, async () => {
        const v = (await (await admin.request('GET', `/api/richmenus/${groupId}`)).json()) as TabGroupView;
        return v.publications[0]?.status === 'ended';
      });

    // S1 then S2: ending S2 gives back S1's menu; then ending S1 leaves no per-user menu.
    await publish(g1.id, { target: 'segment', segmentId: seg.id });
    const s1 = await activeOf(g1.id);
    await publish(g2.id, { target: 'segment', segmentId: seg.id });
    const s2 = await activeOf(g2.id);
    for (const u of users) expect((await shownMenu(u)).richMenu.richMenuId).toBe(m2[0]!.menu);
    await unpublish(g2.id, s2.id);
    await endedOf(g2.id);
    for (const u of users)
      expect(await shownMenu(u)).toMatchObject({ source: 'user', richMenu: { richMenuId: m1[0]!.menu } });

    // Again S2 over S1, but S1 ends first: the friends stay on S2; when S2 ends they have none.
    await publish(g2.id, { target: 'segment', segmentId: seg.id });
    const s2b = await activeOf(g2.id);
    await unpublish(g1.id, s1.id);
    await endedOf(g1.id);
    for (const u of users) expect((await shownMenu(u)).richMenu.richMenuId).toBe(m2[0]!.menu);
    await unpublish(g2.id, s2b.id);
    await endedOf(g2.id);
    for (const u of users) await expect(shownMenu(u)).rejects.toThrow(/404/);
    for (const u of users) await setTest(u, false);
  });

  it('M-01: a schedule switches on at `from` and off at `until`, restoring the previous default', async () => {
    const before = (await create(group({ name: '通常' }))).body;
    const timed = (await create(group({ name: '期間限定' }))).body;
    const tb = await tabMenuIds(before.id);
    const tt = await tabMenuIds(timed.id);
    const base = (await publish(before.id, { target: 'default' })).body.publications[0]!;
    const from = new Date(Date.now() + 3_600_000);
    const until_ = new Date(Date.now() + 7_200_000);
    const p = await publish(timed.id, {
      target: 'default',
      from: from.toISOString(),
      until: until_.toISOString(),
    });
    expect(p.body.publications[0]).toMatchObject({ status: 'scheduled' });
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(tb[0]!.menu);

    // The cron's step, run at chosen times (a second service on the same database and simulator).
    const channels = createChannelsService({
      db: w.server.db,
      cipher: createCipher(w.server.config.ENCRYPTION_KEY),
      publicUrl: w.server.url,
    });
    const cron = createPublicationsService({
      db: w.server.db,
      channels,
      line,
      publicUrl: w.server.url,
      runNow: () => {},
    });
    await cron.run(new Date(from.getTime() + 1000));
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(tt[0]!.menu);
    await cron.run(new Date(until_.getTime() + 1000));
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(tb[0]!.menu);
    const v = (await (await admin.request('GET', `/api/richmenus/${timed.id}`)).json()) as TabGroupView;
    expect(v.publications[0]!.status).toBe('ended');
    await unpublish(before.id, base.id);
  });
});

describe('tap counts (O-08)', () => {
  it('O-08: a uri area goes through /rm/<area id>, which counts the tap and redirects', async () => {
    const { body } = await create(group({ name: 'リンク' }));
    const area = body.tabs[0]!.areas[2]!;
    expect(area.action).toEqual({ type: 'uri', uri: 'https://www.city.example.jp/gomi/' });
    const r = await fetch(`${w.server.url}/rm/${area.id}`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('https://www.city.example.jp/gomi/');
    const taps = (await (await admin.request('GET', `/api/richmenus/${body.id}/taps`)).json()) as {
      areaId: string;
      taps: number;
    }[];
    expect(taps.find((t) => t.areaId === area.id)!.taps).toBe(1);
    expect((await fetch(`${w.server.url}/rm/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${w.server.url}/rm/not-an-id`)).status).toBe(404);
  });

  it('O-08: a postback area is counted and still reaches the disaster module (防災情報 is answered)', async () => {
    const { body } = await create(group({ name: '防災ポストバック' }));
    const friend = await newFriend();
    const p = (await publish(body.id, { target: 'default' })).body.publications[0]!;
    await w.sim$('POST', `/_sim/users/${friend}/richmenu-tap`, { channelId: w.line.channelId, areaIndex: 3 });
    const areaId = body.tabs[0]!.areas[3]!.id;
    await until('the postback counted', async () => {
      const taps = (await (await admin.request('GET', `/api/richmenus/${body.id}/taps`)).json()) as {
        areaId: string;
        taps: number;
      }[];
      return taps.find((t) => t.areaId === areaId)?.taps === 1;
    });
    await until('the 防災情報 reply', async () => {
      const inbox = (await w.sim$('GET', `/_sim/users/${friend}/inbox?channelId=${w.line.channelId}`)) as {
        messages: { message: { text?: string } }[];
      };
      return inbox.messages.some((m) => m.message.text?.startsWith('防災情報'));
    });
    await unpublish(body.id, p.id);
  });
});

describe('bad input (M-03, M-04)', () => {
  const code = async (body: unknown) => (await create(body)).body.code;

  it('M-03: image too small, too large (> 1 MB), size mismatch; not an image is refused by the upload', async () => {
    const small = await upload(await solid(700, 400));
    const tab = (mediaId: string, size: { width: number; height: number }): RichMenuTabInput => ({
      label: '画像',
      chatBarText: 'メニュー',
      size,
      image: { kind: 'media', mediaId },
      areas: [{ x: 0, y: 0, width: 100, height: 100, action: { type: 'message', text: 'a' } }],
    });
    expect(await code(group({ tabs: [tab(small.id, { width: 700, height: 400 })] }))).toBe('RICHMENU_WIDTH');
    const noise = await sharp(
      Buffer.from(Array.from({ length: 1600 * 1000 * 3 }, () => Math.floor(Math.random() * 256))),
      {
        raw: { width: 1600, height: 1000, channels: 3 },
      },
    )
      .png()
      .toBuffer();
    const big = await upload(noise);
    expect(big.width).toBe(1600);
    expect(await code(group({ tabs: [tab(big.id, { width: 1600, height: 1000 })] }))).toBe(
      'RICHMENU_IMAGE_TOO_LARGE',
    );
    const ok = await upload(await solid(1200, 800));
    expect(await code(group({ tabs: [tab(ok.id, { width: 1250, height: 800 })] }))).toBe(
      'RICHMENU_IMAGE_SIZE_MISMATCH',
    );
    const created = await create(group({ tabs: [tab(ok.id, { width: 1200, height: 800 })] }));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('ready');
    const notImage = await upload(Buffer.from('これは画像ではありません'));
    expect(notImage.code).toBe('MEDIA_UNSUPPORTED');
    expect(
      await code(
        group({ tabs: [tab('00000000-0000-4000-8000-000000000000', { width: 1200, height: 800 })] }),
      ),
    ).toBe('RICHMENU_MEDIA_NOT_FOUND');
  });

  it('M-03: areas outside the image, more than 20, a missing tab, chat-bar text over 14, overlapping areas', async () => {
    const t0 = templateTab(0, 1);
    const outside = {
      ...t0,
      areas: [{ x: 2400, y: 0, width: 200, height: 10, action: { type: 'message' as const, text: 'a' } }],
    };
    expect(await code(group({ tabs: [outside] }))).toBe('RICHMENU_AREA_OUTSIDE');
    const many = {
      ...t0,
      areas: Array.from({ length: 21 }, (_, i) => ({
        x: i * 100,
        y: 0,
        width: 100,
        height: 10,
        action: { type: 'message' as const, text: 'a' },
      })),
    };
    const r = await create(group({ tabs: [many] }));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('RICHMENU_TOO_MANY_AREAS');
    const missing = {
      ...t0,
      areas: [{ x: 0, y: 0, width: 10, height: 10, action: { type: 'switchTab' as const, tab: 1 } }],
    };
    expect(await code(group({ tabs: [missing] }))).toBe('RICHMENU_TAB_MISSING');
    expect(await code(group({ tabs: [{ ...t0, chatBarText: 'あいうえおかきくけこさしすせそ' }] }))).toBe(
      'RICHMENU_CHAT_BAR_TEXT',
    );
    const a = { x: 0, y: 0, width: 100, height: 100, action: { type: 'message' as const, text: 'a' } };
    expect(await code(group({ tabs: [{ ...t0, areas: [a, { ...a, x: 50 }] }] }))).toBe(
      'RICHMENU_AREA_OVERLAP',
    );
    // 3 tabs × (2 switch areas + 6 cells) = 24 > 20 in all.
    const six = (p: number): RichMenuTabInput => ({
      ...templateTab(p),
      image: {
        ...(templateTab(p).image as object),
        layout: '2x3',
        cells: Array(6).fill({ label: '項目', icon: 'info' }),
      } as RichMenuTabInput['image'],
      areas: templateAreas('2x3', SIZE, 3, p, Array(6).fill({ type: 'message', text: 'a' })),
    });
    expect(await code(group({ tabs: [six(0), six(1), six(2)] }))).toBe('RICHMENU_GROUP_TOO_MANY_AREAS');
    const bad = await create(group({ tabs: [] }));
    expect(bad.status).toBe(400);
    const badAction = await create(
      group({ tabs: [{ ...t0, areas: [{ ...a, action: { type: 'uri', uri: 'javascript:alert(1)' } }] }] }),
    );
    expect(badAction.status).toBe(400);
  });

  it('M-01: unknown IDs → 404; a role without richmenus.manage → 403', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.request('GET', `/api/richmenus/${unknown}`)).status).toBe(404);
    expect((await admin.request('DELETE', `/api/richmenus/${unknown}`)).status).toBe(404);
    expect((await admin.request('POST', `/api/richmenus/${unknown}/sync`)).status).toBe(404);
    expect(
      (await admin.request('POST', `/api/richmenus/${unknown}/publications`, { target: 'default' })).status,
    ).toBe(404);
    expect((await admin.request('GET', `/api/richmenus/${unknown}/taps`)).status).toBe(404);
    expect((await create(group({ channelId: unknown }))).status).toBe(404);
    const { body } = await create(group({ name: '404' }));
    expect((await admin.request('DELETE', `/api/richmenus/${body.id}/publications/${unknown}`)).status).toBe(
      404,
    );
    expect((await admin.request('GET', `/api/richmenus/${body.id}/tabs/${unknown}/image`)).status).toBe(404);
    const seg = await publish(body.id, { target: 'segment', segmentId: unknown });
    expect(seg.status).toBe(404);
    expect((await admin.request('GET', '/api/richmenus/not-a-uuid')).status).toBe(400);

    expect((await general.request('GET', '/api/richmenus')).status).toBe(403);
    expect((await general.request('POST', '/api/richmenus', group())).status).toBe(403);
    expect(
      (await general.request('POST', `/api/richmenus/${body.id}/publications`, { target: 'default' })).status,
    ).toBe(403);
    expect((await general.request('DELETE', `/api/richmenus/${body.id}`)).status).toBe(403);
  });

  it('M-01: a published group cannot be changed or deleted (409) until it is unpublished; delete removes its LINE objects', async () => {
    const { body } = await create(group({ name: '削除' }));
    const tabs = await tabMenuIds(body.id);
    const p = (await publish(body.id, { target: 'default' })).body.publications[0]!;
    expect((await admin.request('DELETE', `/api/richmenus/${body.id}`)).status).toBe(409);
    expect((await publish(body.id, { target: 'default' })).body.code).toBe('RICHMENU_ALREADY_PUBLISHED');
    await unpublish(body.id, p.id);
    const upd = await admin.request('PUT', `/api/richmenus/${body.id}`, {
      name: '削除（変更）',
      kind: 'normal',
      tabs: [templateTab(0, 1)],
    });
    expect(upd.status).toBe(200);
    const updated = (await upd.json()) as TabGroupView;
    expect(updated.tabs).toHaveLength(1);
    const menus = await menusOnLine();
    for (const t of tabs) expect(menus).not.toContain(t.menu);
    const now = await tabMenuIds(body.id);
    const del = await admin.request('DELETE', `/api/richmenus/${body.id}`);
    expect(del.status, await del.text()).toBe(204);
    expect(await menusOnLine()).not.toContain(now[0]!.menu);
    const aliases = (await client.getRichMenuAliasList()).aliases.map((x) => x.richMenuAliasId);
    expect(aliases).not.toContain(now[0]!.alias);
    // Audited.
    const actions = (
      await w.server.db.selectFrom('audit_log').select('action').where('target_id', '=', body.id).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'richmenu.create',
        'richmenu.publish',
        'richmenu.unpublish',
        'richmenu.update',
        'richmenu.delete',
      ]),
    );
  });
});

describe('LINE failing half-way (M-01)', () => {
  it('M-01: a bulk link LINE refuses is retried by the job (backoff) until every segment friend is linked', async () => {
    const { body } = await create(group({ name: '再試行' }));
    const tabs = await tabMenuIds(body.id);
    const friend = await newFriend('再試行 花子');
    const f = await w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', friend)
      .executeTakeFirstOrThrow();
    await admin.request('PATCH', `/api/friends/${f.id}`, { isTest: true });
    const seg = (await (
      await admin.request('POST', '/api/segments', {
        channelId: w.channelId,
        name: '再試行',
        tree: { type: 'test', value: true },
      })
    ).json()) as { id: string };
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/richmenu/bulk/link',
      method: 'POST',
      status: 500,
      count: 1,
    });
    await publish(body.id, { target: 'segment', segmentId: seg.id });
    const failed = await until('the first bulk link refused', async () => {
      const v = (await (await admin.request('GET', `/api/richmenus/${body.id}`)).json()) as TabGroupView;
      return v.publications[0]?.error ? v.publications[0] : null;
    });
    expect(failed.status).toBe('linking');
    expect(failed.error).toContain('LINE');

    // The sweep's next run after the backoff (run at a chosen time by a second service).
    const channels = createChannelsService({
      db: w.server.db,
      cipher: createCipher(w.server.config.ENCRYPTION_KEY),
      publicUrl: w.server.url,
    });
    const cron = createPublicationsService({
      db: w.server.db,
      channels,
      line,
      publicUrl: w.server.url,
      runNow: () => {},
    });
    await cron.run(new Date(Date.now() + 60_000));
    const v = (await (await admin.request('GET', `/api/richmenus/${body.id}`)).json()) as TabGroupView;
    expect(v.publications[0]).toMatchObject({ status: 'active', error: null });
    expect(v.publications[0]!.linkedCount).toBeGreaterThanOrEqual(1);
    expect(await shownMenu(friend)).toMatchObject({
      source: 'user',
      richMenu: { richMenuId: tabs[0]!.menu },
    });
    await unpublish(body.id, v.publications[0]!.id);
    await until('ended', async () => {
      const x = (await (await admin.request('GET', `/api/richmenus/${body.id}`)).json()) as TabGroupView;
      return x.publications[0]?.status === 'ended';
    });
    await admin.request('PATCH', `/api/friends/${f.id}`, { isTest: false });
  });

  it('M-01: LINE refusing the 2nd menu leaves the group failed with what exists recorded; sync finishes it without duplicates', async () => {
    const before = (await menusOnLine()).length;
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/richmenu',
      method: 'POST',
      status: 500,
      skip: 1,
      count: 1,
    });
    const { status, body } = await create(group({ name: '障害' }));
    expect(status).toBe(201);
    expect(body.status).toBe('failed');
    expect(body.error).toContain('LINE');
    expect(body.tabs.map((t) => t.onLine)).toEqual([false, false, false]);
    expect((await menusOnLine()).length).toBe(before + 1);
    expect((await publish(body.id, { target: 'default' })).body.code).toBe('RICHMENU_NOT_READY');

    // Two clicks on 再登録 at once: one makes the menus, the other waits its turn (409) or finds them made.
    const both = await Promise.all([
      admin.request('POST', `/api/richmenus/${body.id}/sync`),
      admin.request('POST', `/api/richmenus/${body.id}/sync`),
    ]);
    for (const r of both) expect([200, 409]).toContain(r.status);
    const synced = (await (await admin.request('GET', `/api/richmenus/${body.id}`)).json()) as TabGroupView;
    expect(synced.status).toBe('ready');
    expect(synced.tabs.map((t) => t.onLine)).toEqual([true, true, true]);
    expect((await menusOnLine()).length).toBe(before + 3);
    const tabs = await tabMenuIds(body.id);
    const aliases = (await client.getRichMenuAliasList()).aliases;
    for (const t of tabs) expect(aliases).toContainEqual({ richMenuAliasId: t.alias, richMenuId: t.menu });
  });

  it('M-01: a menu LINE made although its answer was lost is found by its name and removed; sync leaves exactly one per tab', async () => {
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/richmenu',
      method: 'POST',
      status: 500,
      when: 'after',
      skip: 1,
      count: 1,
    });
    const { body } = await create(group({ name: '応答消失' }));
    expect(body.status).toBe('failed');
    const ofGroup = async () =>
      (await client.getRichMenuList()).richmenus.filter((m) =>
        body.tabs.some((t) => m.name.endsWith(`#${t.id}`)),
      );
    expect(await ofGroup()).toHaveLength(2); // tab 1, and tab 2's menu we never heard of
    const synced = (await (
      await admin.request('POST', `/api/richmenus/${body.id}/sync`)
    ).json()) as TabGroupView;
    expect(synced.status).toBe('ready');
    const tabs = await tabMenuIds(body.id);
    expect((await ofGroup()).map((m) => m.richMenuId).sort()).toEqual(tabs.map((t) => t.menu).sort());
  });

  it('M-01: a failed alias creation is retried by sync (the alias made before is re-pointed, not duplicated)', async () => {
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/richmenu/alias',
      method: 'POST',
      status: 500,
      when: 'after',
      skip: 1,
      count: 1,
    });
    const { body } = await create(group({ name: '別名障害' }));
    expect(body.status).toBe('failed');
    const synced = (await (
      await admin.request('POST', `/api/richmenus/${body.id}/sync`)
    ).json()) as TabGroupView;
    expect(synced.status).toBe('ready');
    const tabs = await tabMenuIds(body.id);
    const aliases = (await client.getRichMenuAliasList()).aliases;
    for (const t of tabs)
      expect(aliases.filter((a) => a.richMenuAliasId === t.alias)).toEqual([
        { richMenuAliasId: t.alias, richMenuId: t.menu },
      ]);
  });
});
