import type { TabGroupInput, TabGroupView } from '@madoguchi/contracts/richmenus.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { createLineClients } from '../../platform/line/line-clients.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import {
  addFriend,
  createTabGroup,
  publishToFriend,
  shownMenu,
  TAB_SIZE,
  tapMenu,
  twoCellTab,
} from '../../testing/rich-menu-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';

// Disaster mode, server side against the LINE simulator: one two-step switch points every
// friend at the disaster menu — also those whose per-user menu outranks the default — and switching
// off gives each friend back exactly the menu they had.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let other: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let client: ReturnType<ReturnType<typeof createLineClients>['messaging']>;
let blob: ReturnType<ReturnType<typeof createLineClients>['blob']>;

const tab = twoCellTab;
const create = (body: TabGroupInput) => createTabGroup(w, admin, body);
const newFriend = (name: string) => addFriend(w, name);
const shown = (userId: string) => shownMenu(w, userId);
const tap = (userId: string, areaIndex: number) => tapMenu(w, userId, areaIndex);

const status = async () =>
  (await (await admin.request('GET', `/api/richmenus/disaster?channelId=${w.channelId}`)).json()) as {
    active: boolean;
    status?: string;
    publicationId?: string;
  };

beforeAll(async () => {
  w = await startLineWorld('2700000201');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  other = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  general = await staffClient(w.server, (await createStaff(w.server.db, 'general')).loginId);
  const channels = createChannelsService({
    db: w.server.db,
    cipher: createCipher(w.server.config.ENCRYPTION_KEY),
    publicUrl: w.server.url,
  });
  const ch = (await channels.secrets(w.channelId))!;
  const line = createLineClients({ api: w.sim.url, data: w.sim.url });
  client = line.messaging(ch);
  blob = line.blob(ch);
}, 60_000);
afterAll(async () => w?.close());

describe('disaster switch (X-01)', () => {
  it('X-01: on points every friend at the disaster menu (also per-user ones we know of); exactly one concurrent switch wins; off restores each friend exactly', async () => {
    const normal = await create({
      channelId: w.channelId,
      name: '通常',
      kind: 'normal',
      tabs: [tab('くらし', 0, 3), tab('手続き', 1, 3), tab('子育て', 2, 3)],
    });
    const disaster = await create({
      channelId: w.channelId,
      name: '災害',
      kind: 'disaster',
      tabs: [tab('避難', 0, 2), tab('情報', 1, 2)],
    });
    const pub = (await (
      await admin.request('POST', `/api/richmenus/${normal.id}/publications`, { target: 'default' })
    ).json()) as TabGroupView;
    // A: sees the default. B: switched to 手続き (a per-user link). C: linked by another tool to X.
    const [a, b, c] = [await newFriend('A'), await newFriend('B'), await newFriend('C')];
    await tap(b, 0);
    expect((await shown(b)).richMenu?.richMenuId).toBe(normal.menus[1]);
    await until("B's tab switch recorded from its postback", () =>
      w.server.db
        .selectFrom('rich_menu_user_menus')
        .select('rich_menu_id')
        .where('line_user_id', '=', b)
        .where('rich_menu_id', '=', normal.menus[1]!)
        .executeTakeFirst(),
    );
    const x = (
      await client.createRichMenu({
        size: TAB_SIZE,
        selected: false,
        name: '他システム',
        chatBarText: '他',
        areas: [{ bounds: { x: 0, y: 0, width: 100, height: 100 }, action: { type: 'message', text: 'x' } }],
      })
    ).richMenuId;
    const png = await (await fetch(`${w.sim.url}/_sim/richmenus/${normal.menus[0]}/image`)).arrayBuffer();
    await blob.setRichMenuImage(x, new Blob([new Uint8Array(png)], { type: 'image/png' }));
    await client.linkRichMenuIdToUser(c, x);

    // Prepare: a normal group is refused; the disaster group gives a token and the friend count.
    const wrong = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      groupId: normal.id,
      on: true,
    });
    expect(((await wrong.json()) as { code: string }).code).toBe('RICHMENU_NOT_DISASTER');
    const prep = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      groupId: disaster.id,
      on: true,
    });
    expect(prep.status).toBe(200);
    const prepared = (await prep.json()) as { token: string; friends: number; groupName: string };
    expect(prepared).toMatchObject({ friends: 3, groupName: '災害' });
    // Another account cannot use it; a forged token is refused.
    const stolen = await other.request('POST', '/api/richmenus/disaster/confirm', { token: prepared.token });
    expect(((await stolen.json()) as { code: string }).code).toBe('RICHMENU_DISASTER_TOKEN');
    const forged = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: 'x'.repeat(40) });
    expect(forged.status).toBe(400);

    // Two confirms at once: exactly one wins.
    const both = await Promise.all([
      admin.request('POST', '/api/richmenus/disaster/confirm', { token: prepared.token }),
      admin.request('POST', '/api/richmenus/disaster/confirm', { token: prepared.token }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await until('the disaster menu linked to everyone', async () => (await status()).status === 'active');

    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(disaster.menus[0]);
    for (const u of [a, b]) expect((await shown(u)).richMenu?.richMenuId).toBe(disaster.menus[0]);
    // C's menu was linked by another tool: out of our knowledge, C keeps it (README, case c).
    expect(await shown(c)).toMatchObject({ source: 'user', richMenu: { richMenuId: x } });
    // The normal menu's aliases lead to the disaster menu too (a tab tapped on a stale menu).
    for (const alias of normal.aliases) {
      expect((await client.getRichMenuAlias(alias)).richMenuId).toBe(disaster.menus[0]);
    }
    // Normal publishing waits until the switch is off.
    const blocked = await admin.request('POST', `/api/richmenus/${normal.id}/publications`, {
      target: 'default',
    });
    expect(((await blocked.json()) as { code: string }).code).toBe('RICHMENU_DISASTER_ACTIVE');
    // Friends use the disaster tabs.
    await tap(a, 0);
    expect((await shown(a)).richMenu?.richMenuId).toBe(disaster.menus[1]);

    // Off, in two steps.
    const off = (await (
      await admin.request('POST', '/api/richmenus/disaster/prepare', { channelId: w.channelId, on: false })
    ).json()) as { token: string };
    const done = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: off.token });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { status: string }).status).toBe('ended');
    expect(await status()).toEqual({ active: false });

    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(normal.menus[0]);
    expect(await shown(a)).toMatchObject({ source: 'default', richMenu: { richMenuId: normal.menus[0] } });
    expect(await shown(b)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[1] } });
    expect(await shown(c)).toMatchObject({ source: 'user', richMenu: { richMenuId: x } });
    for (const [i, alias] of normal.aliases.entries()) {
      expect((await client.getRichMenuAlias(alias)).richMenuId).toBe(normal.menus[i]);
    }
    const again = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: off.token });
    expect(((await again.json()) as { code: string }).code).toBe('RICHMENU_DISASTER_NOT_ACTIVE');

    const actions = (
      await w.server.db
        .selectFrom('audit_log')
        .select(['action', 'result'])
        .where('action', 'like', 'richmenu.disaster%')
        .execute()
    ).map((r) => `${r.action}:${r.result}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'richmenu.disaster-prepare:success',
        'richmenu.disaster-switch:success',
        'richmenu.disaster-switch:failure',
      ]),
    );
    await admin.request('DELETE', `/api/richmenus/${normal.id}/publications/${pub.publications[0]!.id}`);
  });

  it('X-01: publications ending during the disaster do not take its menu away; switching off gives the state they leave', async () => {
    const normal = await create({
      channelId: w.channelId,
      name: '通常2',
      kind: 'normal',
      tabs: [tab('くらし', 0, 2), tab('手続き', 1, 2)],
    });
    const seg = await create({
      channelId: w.channelId,
      name: 'セグメント2',
      kind: 'normal',
      tabs: [tab('対象', 0, 1)],
    });
    const disaster = await create({
      channelId: w.channelId,
      name: '災害2',
      kind: 'disaster',
      tabs: [tab('避難', 0, 1)],
    });
    const [b, c] = [await newFriend('B2'), await newFriend('C2')];
    const pn = (
      (await (
        await admin.request('POST', `/api/richmenus/${normal.id}/publications`, { target: 'default' })
      ).json()) as TabGroupView
    ).publications[0]!;
    await tap(b, 0); // B switches to 手続き: a per-user link to the normal group's menu
    const { publication: ps, friendId: fcId } = await publishToFriend(w, admin, seg.id, c);
    expect((await shown(c)).richMenu?.richMenuId).toBe(seg.menus[0]);

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
    await until('the disaster menu active', async () => (await status()).status === 'active');
    for (const u of [b, c]) expect((await shown(u)).richMenu?.richMenuId).toBe(disaster.menus[0]);

    // Both normal publications are ended meanwhile: the disaster menu stays for everyone.
    await admin.request('DELETE', `/api/richmenus/${normal.id}/publications/${pn.id}`);
    const segEnd = (await (
      await admin.request('DELETE', `/api/richmenus/${seg.id}/publications/${ps.id}`)
    ).json()) as TabGroupView;
    expect(segEnd.publications[0]!.status).toBe('ending');
    await until('the segment ending waits for the disaster menu', async () => {
      const v = (await (await admin.request('GET', `/api/richmenus/${seg.id}`)).json()) as TabGroupView;
      return v.publications[0]?.error?.includes('災害用メニュー');
    });
    expect((await client.getDefaultRichMenuId()).richMenuId).toBe(disaster.menus[0]);
    for (const u of [b, c]) expect((await shown(u)).richMenu?.richMenuId).toBe(disaster.menus[0]);

    // Off: no default was set before ours, the normal group's link is not given back to B.
    const off = (await (
      await admin.request('POST', '/api/richmenus/disaster/prepare', { channelId: w.channelId, on: false })
    ).json()) as { token: string };
    expect(
      (await admin.request('POST', '/api/richmenus/disaster/confirm', { token: off.token })).status,
    ).toBe(200);
    await expect(client.getDefaultRichMenuId()).rejects.toMatchObject({ status: 404 });
    await expect(shown(b)).rejects.toThrow(/404/);
    // The segment's ending goes on at once (woken by the switch-off) and unlinks C.
    await until(
      'the segment publication ended',
      async () => {
        const v = (await (await admin.request('GET', `/api/richmenus/${seg.id}`)).json()) as TabGroupView;
        return v.publications[0]?.status === 'ended';
      },
      90_000,
    );
    await expect(shown(c)).rejects.toThrow(/404/);
    await admin.request('PATCH', `/api/friends/${fcId}`, { isTest: false });
  });

  it('X-01: bad input and permissions', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const r1 = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      on: true,
    });
    expect(((await r1.json()) as { code: string }).code).toBe('RICHMENU_DISASTER_GROUP_REQUIRED');
    const r2 = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      groupId: unknown,
      on: true,
    });
    expect(r2.status).toBe(404);
    const r3 = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: unknown,
      on: false,
    });
    expect(r3.status).toBe(404);
    const r4 = await admin.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      on: false,
    });
    expect(((await r4.json()) as { code: string }).code).toBe('RICHMENU_DISASTER_NOT_ACTIVE');
    const r5 = await general.request('POST', '/api/richmenus/disaster/prepare', {
      channelId: w.channelId,
      on: false,
    });
    expect(r5.status).toBe(403);
    const r6 = await general.request('POST', '/api/richmenus/disaster/confirm', { token: 'x'.repeat(40) });
    expect(r6.status).toBe(403);
  });
});
