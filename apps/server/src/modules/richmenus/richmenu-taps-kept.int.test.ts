import { CITY_COLORS, type RichMenuTabInput, type TabGroupView } from '@madoguchi/contracts/richmenus.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';

// Tap counts survive an edit (O-08, nothing accepted is lost): PUT /api/richmenus/:id replaces the
// tabs and areas, and the taps counted before are still reported — merged into the current area at
// the same tab and area position with the same label, else as an earlier area.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

const SIZE = { width: 2500, height: 843 };
const half = (x: number) => ({ x, y: 0, width: 1250, height: 843 });
const tabWith = (secondLabel: string): RichMenuTabInput => ({
  label: 'くらし',
  chatBarText: 'メニュー',
  size: SIZE,
  image: {
    kind: 'template',
    layout: '1x2',
    colors: { ...CITY_COLORS },
    cells: [
      { label: 'お知らせ', icon: 'info' },
      { label: secondLabel, icon: 'home' },
    ],
  },
  areas: [
    { ...half(0), label: 'お知らせ', action: { type: 'postback', data: 'news=1' } },
    { ...half(1250), label: secondLabel, action: { type: 'uri', uri: 'https://example.jp/' } },
  ],
});

type Tap = {
  tabId: string | null;
  areaId: string | null;
  label: string | null;
  taps: number;
  tabPosition: number;
  areaPosition: number;
  earlier: boolean;
};
const taps = async (groupId: string) =>
  (await (await admin.request('GET', `/api/richmenus/${groupId}/taps`)).json()) as Tap[];
const view = async (groupId: string) =>
  (await (await admin.request('GET', `/api/richmenus/${groupId}`)).json()) as TabGroupView;

beforeAll(async () => {
  w = await startLineWorld('2700000501');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
}, 60_000);
afterAll(async () => w?.close());

describe('tap counts kept over an edit (O-08)', () => {
  it('O-08: taps recorded (a postback and a /rm/ redirect), the group edited (areas replaced), the earlier taps still reported', async () => {
    const created = await admin.request('POST', '/api/richmenus', {
      channelId: w.channelId,
      name: '通常',
      kind: 'normal',
      tabs: [tabWith('ホームページ')],
    });
    expect(created.status).toBe(201);
    const g = (await created.json()) as TabGroupView;
    const [news, home] = g.tabs[0]!.areas;
    // A friend taps お知らせ (a postback, counted in the dispatch); the ホームページ link is opened twice.
    const pub = (await (
      await admin.request('POST', `/api/richmenus/${g.id}/publications`, { target: 'default' })
    ).json()) as TabGroupView;
    const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: '集計 太郎' })) as {
      userId: string;
    };
    await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
    await w.sim$('POST', `/_sim/users/${userId}/richmenu-tap`, { channelId: w.line.channelId, areaIndex: 0 });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${w.server.url}/rm/${home!.id}`, { redirect: 'manual' });
      expect(r.status).toBe(302);
    }
    await until('the postback tap counted', async () =>
      (await taps(g.id)).find((t) => t.areaId === news!.id && t.taps === 1),
    );
    expect((await taps(g.id)).map((t) => [t.areaId, t.taps, t.earlier])).toEqual([
      [news!.id, 1, false],
      [home!.id, 2, false],
    ]);

    // Unpublished and edited: the areas are replaced; お知らせ stays where it was, the link is renamed.
    const ended = await admin.request(
      'DELETE',
      `/api/richmenus/${g.id}/publications/${pub.publications[0]!.id}`,
    );
    expect(ended.status).toBe(200);
    const put = await admin.request('PUT', `/api/richmenus/${g.id}`, {
      name: '通常（改）',
      kind: 'normal',
      tabs: [tabWith('市のサイト')],
    });
    expect(put.status).toBe(200);
    const edited = await view(g.id);
    const [news2, site] = edited.tabs[0]!.areas;
    expect(news2!.id).not.toBe(news!.id);
    const after = await taps(g.id);
    expect(after).toEqual([
      {
        tabId: edited.tabs[0]!.id,
        areaId: news2!.id,
        label: 'お知らせ',
        taps: 1,
        tabPosition: 0,
        areaPosition: 0,
        earlier: false,
      },
      {
        tabId: edited.tabs[0]!.id,
        areaId: site!.id,
        label: '市のサイト',
        taps: 0,
        tabPosition: 0,
        areaPosition: 1,
        earlier: false,
      },
      {
        tabId: edited.tabs[0]!.id,
        areaId: null,
        label: 'ホームページ',
        taps: 2,
        tabPosition: 0,
        areaPosition: 1,
        earlier: true,
      },
    ]);
    // New taps add to the kept ones; the rows of the replaced areas are still in the table.
    await fetch(`${w.server.url}/rm/${site!.id}`, { redirect: 'manual' });
    expect((await taps(g.id)).find((t) => t.areaId === site!.id)!.taps).toBe(1);
    const kept = await w.server.db
      .selectFrom('rich_menu_taps')
      .select(['area_id', 'area_label', 'taps'])
      .where('group_id', '=', g.id)
      .where('area_id', 'is', null)
      .orderBy('area_label')
      .execute();
    expect(kept).toEqual([
      { area_id: null, area_label: 'お知らせ', taps: 1 },
      { area_id: null, area_label: 'ホームページ', taps: 2 },
    ]);
  });
});
