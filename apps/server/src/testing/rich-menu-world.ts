import {
  CITY_COLORS,
  type RichMenuTabInput,
  type TabGroupInput,
  type TabGroupView,
  templateAreas,
} from '@madoguchi/contracts/richmenus.ts';
import { expect } from 'vitest';
import type { LineWorld } from './line-world.ts';
import type { staffClient } from './test-server.ts';
import { until } from './wait-for.ts';

// Test support for the rich menu and disaster-mode tests against the LINE simulator: a two-cell
// template tab, a group created through the API with its LINE IDs, a friend, and what LINE shows.

type Staff = Awaited<ReturnType<typeof staffClient>>;

export const TAB_SIZE = { width: 2500, height: 843 };

/** A 1×2 template tab (避難所 / 防災情報) at `position` of a group of `count` tabs. */
export const twoCellTab = (label: string, position: number, count: number): RichMenuTabInput => ({
  label,
  chatBarText: label,
  size: TAB_SIZE,
  image: {
    kind: 'template',
    layout: '1x2',
    colors: { ...CITY_COLORS },
    cells: [
      { label: '避難所', icon: 'shelter' },
      { label: '防災情報', icon: 'info' },
    ],
  },
  areas: templateAreas('1x2', TAB_SIZE, count, position, [
    { type: 'liff', page: 'shelters' },
    { type: 'postback', data: 'action=disaster-info' },
  ]),
});

/** Creates a tab group through the API (it must be made on LINE) and answers its LINE menus and aliases. */
export async function createTabGroup(w: LineWorld, admin: Staff, body: TabGroupInput) {
  const r = await admin.request('POST', '/api/richmenus', body);
  expect(r.status).toBe(201);
  const v = (await r.json()) as TabGroupView;
  expect(v.status).toBe('ready');
  const tabs = await w.server.db
    .selectFrom('rich_menu_tabs')
    .select(['line_rich_menu_id', 'line_alias_id'])
    .where('group_id', '=', v.id)
    .orderBy('position')
    .execute();
  return {
    id: v.id,
    menus: tabs.map((t) => t.line_rich_menu_id!),
    aliases: tabs.map((t) => t.line_alias_id),
  };
}

export { addFriend } from './line-chat.ts';

/** The menu LINE shows the user: their per-user link, else the default (null: none). */
export const shownMenu = async (w: LineWorld, userId: string) =>
  (await w.sim$('GET', `/_sim/users/${userId}/richmenu?channelId=${w.line.channelId}`)) as {
    richMenu: { richMenuId: string } | null;
    source: 'user' | 'default' | null;
  };

/** A tap on area `areaIndex` of the menu the user sees (a richmenuswitch area switches tabs). */
export const tapMenu = (w: LineWorld, userId: string, areaIndex: number) =>
  w.sim$('POST', `/_sim/users/${userId}/richmenu-tap`, { channelId: w.line.channelId, areaIndex });

/**
 * Gives one friend a personal menu the way a city would: the friend is marked a test friend, a segment
 * of test friends is saved, and the group is published to it; answers the publication (once active) and the friend's ID.
 */
export async function publishToFriend(w: LineWorld, admin: Staff, groupId: string, userId: string) {
  const friend = await w.server.db
    .selectFrom('friends')
    .select('id')
    .where('line_user_id', '=', userId)
    .executeTakeFirstOrThrow();
  expect((await admin.request('PATCH', `/api/friends/${friend.id}`, { isTest: true })).status).toBe(200);
  const segment = (await (
    await admin.request('POST', '/api/segments', {
      channelId: w.channelId,
      name: `テスト友だち ${userId.slice(-6)}`,
      tree: { type: 'test', value: true },
    })
  ).json()) as { id: string };
  await admin.request('POST', `/api/richmenus/${groupId}/publications`, {
    target: 'segment',
    segmentId: segment.id,
  });
  const publication = await until('the segment publication active', async () => {
    const v = (await (await admin.request('GET', `/api/richmenus/${groupId}`)).json()) as TabGroupView;
    return v.publications[0]?.status === 'active' ? v.publications[0] : null;
  });
  return { publication, friendId: friend.id };
}
