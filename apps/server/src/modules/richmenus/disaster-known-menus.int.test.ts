import type { TabGroupInput } from '@madoguchi/contracts/richmenus.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFriends } from '../../testing/delivery-world.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import {
  addFriend,
  createTabGroup,
  publishToFriend,
  shownMenu,
  tapMenu,
  twoCellTab,
} from '../../testing/rich-menu-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';

// The disaster switch links only the friends known to have a per-user menu: those a segment
// publication linked and those LINE linked when they tapped a tab switch (recorded from the
// postback). Everyone else sees the disaster default. No friend's menu is read from LINE, so the
// LINE requests of a switch do not grow with the friends who have no per-user menu.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

const tab = twoCellTab;
const create = (body: TabGroupInput) => createTabGroup(w, admin, body);
const newFriend = (name: string) => addFriend(w, name);
const shown = (userId: string) => shownMenu(w, userId);
const tap = (userId: string, areaIndex: number) => tapMenu(w, userId, areaIndex);

interface Logged {
  seq: number;
  method: string;
  path: string;
}
const requests = async () =>
  (await (
    await fetch(`${w.sim.url}/_sim/requests?channelId=${w.line.channelId}`)
  ).json()) as unknown as Logged[];

const status = async () =>
  (await (await admin.request('GET', `/api/richmenus/disaster?channelId=${w.channelId}`)).json()) as {
    active: boolean;
    status?: string;
  };

async function switchOn(groupId: string) {
  const prep = (await (
    await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      groupId,
      on: true,
    })
  ).json()) as { token: string; friends: number };
  const r = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: prep.token });
  expect(r.status).toBe(200);
  await until('the disaster switch active', async () => (await status()).status === 'active', 90_000);
  return prep;
}

async function switchOff() {
  const prep = (await (
    await admin.request('POST', '/api/richmenus/disaster/prepare', { channelId: w.channelId, on: false })
  ).json()) as { token: string };
  const r = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: prep.token });
  expect(r.status).toBe(200);
  expect(((await r.json()) as { status: string }).status).toBe('ended');
}

let normal: Awaited<ReturnType<typeof create>>;
let disaster: Awaited<ReturnType<typeof create>>;
let seg: Awaited<ReturnType<typeof create>>;
let tapper: string;
let member: string;
let plain: string;

beforeAll(async () => {
  w = await startLineWorld('2700000301');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  normal = await create({
    channelId: w.channelId,
    name: '通常',
    kind: 'normal',
    tabs: [tab('くらし', 0, 3), tab('手続き', 1, 3), tab('子育て', 2, 3)],
  });
  disaster = await create({
    channelId: w.channelId,
    name: '災害',
    kind: 'disaster',
    tabs: [tab('避難', 0, 2), tab('情報', 1, 2)],
  });
  seg = await create({ channelId: w.channelId, name: '対象者', kind: 'normal', tabs: [tab('対象', 0, 1)] });
  const pub = await admin.request('POST', `/api/richmenus/${normal.id}/publications`, { target: 'default' });
  expect(pub.status).toBe(201);
}, 60_000);
afterAll(async () => w?.close());

describe('disaster switch with the per-user menus we know (X-01)', () => {
  it('X-01: a friend who tapped a tab switch, one with a segment menu and one without a per-user menu all see the disaster menu; off gives each exactly their menu back', async () => {
    [tapper, member, plain] = [
      await newFriend('タブ'),
      await newFriend('セグメント'),
      await newFriend('なし'),
    ];
    // The tapper switches to 子育て (tab 3): LINE links that menu to them (a per-user link).
    await tap(tapper, 1);
    expect(await shown(tapper)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[2] } });
    await until('the tab switch recorded from its postback', () =>
      w.server.db
        .selectFrom('rich_menu_user_menus')
        .select('rich_menu_id')
        .where('line_user_id', '=', tapper)
        .where('rich_menu_id', '=', normal.menus[2]!)
        .where('source', '=', 'switch')
        .executeTakeFirst(),
    );
    // The member gets the segment publication's menu.
    await publishToFriend(w, admin, seg.id, member);
    expect(await shown(member)).toMatchObject({ source: 'user', richMenu: { richMenuId: seg.menus[0] } });
    expect(await shown(plain)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: normal.menus[0] },
    });

    const before = (await requests()).length;
    const prepared = await switchOn(disaster.id);
    expect(prepared.friends).toBe(3);
    expect(await shown(tapper)).toMatchObject({
      source: 'user',
      richMenu: { richMenuId: disaster.menus[0] },
    });
    expect(await shown(member)).toMatchObject({
      source: 'user',
      richMenu: { richMenuId: disaster.menus[0] },
    });
    expect(await shown(plain)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: disaster.menus[0] },
    });

    await switchOff();
    expect(await status()).toEqual({ active: false });
    expect(await shown(tapper)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[2] } });
    expect(await shown(member)).toMatchObject({ source: 'user', richMenu: { richMenuId: seg.menus[0] } });
    expect(await shown(plain)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: normal.menus[0] },
    });

    // No friend's menu was read from LINE; the two known ones went in one bulk link each way.
    const made = (await requests()).slice(before);
    expect(
      made.filter((r) => r.method === 'GET' && /^\/v2\/bot\/user\/[^/]+\/richmenu$/.test(r.path)),
    ).toEqual([]);
    expect(made.filter((r) => r.path === '/v2/bot/richmenu/bulk/link')).toHaveLength(3); // on; off: 2 menus
  });

  it('X-01: the LINE requests of a switch do not grow with friends who have no per-user menu (10 vs 1,010 plain friends)', async () => {
    const cycle = async () => {
      const from = (await requests()).length;
      await switchOn(disaster.id);
      await switchOff();
      const made = (await requests()).slice(from);
      return {
        all: made.length,
        bulk: made.filter((r) => r.path.startsWith('/v2/bot/richmenu/bulk/')).length,
      };
    };
    const channel = { id: w.channelId, lineChannelId: w.line.channelId };
    await addFriends(w, channel, 9); // with `plain`: 10 friends without a per-user menu
    const few = await cycle();
    await addFriends(w, channel, 1_000);
    const many = await cycle();
    expect(many).toEqual(few);
    expect(few.bulk).toBe(3);
    // The known friends still have their own menus afterwards.
    expect(await shown(tapper)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[2] } });
    expect(await shown(member)).toMatchObject({ source: 'user', richMenu: { richMenuId: seg.menus[0] } });
  });

  it('X-01: a tab switch LINE did not carry out (status other than SUCCESS) or to an alias not ours is not recorded', async () => {
    const u = await newFriend('失敗');
    const alias = (
      await w.server.db
        .selectFrom('rich_menu_tabs')
        .select('line_alias_id')
        .where('line_rich_menu_id', '=', normal.menus[1]!)
        .executeTakeFirstOrThrow()
    ).line_alias_id;
    for (const params of [
      { newRichMenuAliasId: alias, status: 'RICHMENU_NOTFOUND' },
      { newRichMenuAliasId: 'someone-elses-alias', status: 'SUCCESS' },
      { newRichMenuAliasId: alias, status: 'SUCCESS' }, // the control: this one is recorded
    ]) {
      await w.sim$('POST', `/_sim/users/${u}/postback`, {
        channelId: w.line.channelId,
        data: 'tab=1',
        params,
      });
    }
    await until('the postbacks dispatched', async () => {
      const rows = await w.server.db
        .selectFrom('line_events')
        .select('dispatched_at')
        .where('source_user_id', '=', u)
        .where('type', '=', 'postback')
        .execute();
      return rows.length === 3 && rows.every((r) => r.dispatched_at);
    });
    const known = await w.server.db
      .selectFrom('rich_menu_user_menus')
      .select('rich_menu_id')
      .where('line_user_id', '=', u)
      .execute();
    expect(known).toEqual([{ rich_menu_id: normal.menus[1] }]);
  });

  it('X-01: a tab tapped during the disaster links the disaster tab; off unlinks it (the friend had none) and gives the tapper their own tab', async () => {
    await switchOn(disaster.id);
    await tap(plain, 0); // 情報 (the disaster group's tab 2)
    expect(await shown(plain)).toMatchObject({ source: 'user', richMenu: { richMenuId: disaster.menus[1] } });
    await tap(tapper, 0);
    expect(await shown(tapper)).toMatchObject({
      source: 'user',
      richMenu: { richMenuId: disaster.menus[1] },
    });
    await switchOff();
    expect(await shown(plain)).toMatchObject({
      source: 'default',
      richMenu: { richMenuId: normal.menus[0] },
    });
    expect(await shown(tapper)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[2] } });
    const known = await w.server.db
      .selectFrom('rich_menu_user_menus')
      .select(['line_user_id', 'rich_menu_id'])
      .where('line_user_id', 'in', [plain, tapper])
      .execute();
    expect(known).toEqual([{ line_user_id: tapper, rich_menu_id: normal.menus[2] }]);
  });

  it('X-01: switched off while it is still linking (4,500 known friends, LINE answering slowly): the switch-off waits for the linking and every friend gets exactly their menu back', async () => {
    const ids = await addFriends(w, { id: w.channelId, lineChannelId: w.line.channelId }, 4_500);
    for (let i = 0; i < ids.length; i += 500) {
      const r = await fetch(`${w.sim.url}/v2/bot/richmenu/bulk/link`, {
        method: 'POST',
        headers: { authorization: `Bearer token-${w.line.channelId}`, 'content-type': 'application/json' },
        body: JSON.stringify({ richMenuId: normal.menus[1], userIds: ids.slice(i, i + 500) }),
      });
      expect(r.status).toBe(202);
    }
    // As if they had tapped 手続き: known to us as LINE's links.
    await w.server.db
      .insertInto('rich_menu_user_menus')
      .values(
        ids.map((u) => ({
          channel_id: w.channelId,
          line_user_id: u,
          rich_menu_id: normal.menus[1]!,
          source: 'switch' as const,
        })),
      )
      .execute();
    const effective = () =>
      w.sim$('GET', `/_sim/richmenus/effective?channelId=${w.line.channelId}&hash=true`);
    const before = await effective();

    // The first 8 bulk links are carried out but answered 1.5 s late: the linking is mid-page
    // (9 calls of 500, 8 in flight) when it is switched off.
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/richmenu/bulk/link',
      method: 'POST',
      when: 'after',
      delayMs: 1_500,
      count: 8,
    });
    const from = (await requests()).length;
    const on = (await (
      await admin.request('POST', '/api/richmenus/disaster/prepare', {
        channelId: w.channelId,
        groupId: disaster.id,
        on: true,
      })
    ).json()) as { token: string };
    expect((await admin.request('POST', '/api/richmenus/disaster/confirm', { token: on.token })).status).toBe(
      200,
    );
    await until('the first wave of bulk links sent', async () => {
      const made = (await requests()).slice(from);
      return made.filter((r) => r.path === '/v2/bot/richmenu/bulk/link').length >= 8;
    });
    expect((await status()).status).toBe('linking');
    await switchOff();
    // Both ways done on LINE (9 bulk links on, 9 back), whatever order they came in.
    await until('18 bulk links', async () => {
      const made = (await requests()).slice(from);
      return made.filter((r) => r.path === '/v2/bot/richmenu/bulk/link').length >= 18;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await effective()).toEqual(before);
  }, 60_000);
});
