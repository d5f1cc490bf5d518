import type { TabGroupInput, TabGroupView } from '@madoguchi/contracts/richmenus.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { createLineClients } from '../../platform/line/line-clients.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { addFriend, createTabGroup, shownMenu, tapMenu, twoCellTab } from '../../testing/rich-menu-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';

// Disaster mode's scheduled end (X-01, "scheduled off") and which groups may be shown how (X-01,
// M-03), against the LINE simulator: a switch with `until` ends by itself exactly as a manual
// switch-off; a `kind=disaster` group is shown only by the switch, a `kind=normal` one never by it.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;

const tab = twoCellTab;
const create = (body: TabGroupInput) => createTabGroup(w, admin, body);
const newFriend = (name: string) => addFriend(w, name);
const shown = (userId: string) => shownMenu(w, userId);
const tap = (userId: string, areaIndex: number) => tapMenu(w, userId, areaIndex);
const status = async () =>
  (await (await admin.request('GET', `/api/richmenus/disaster?channelId=${w.channelId}`)).json()) as {
    active: boolean;
    status?: string;
    until?: string | null;
  };
const prepare = (body: Record<string, unknown>) =>
  admin.request('POST', '/api/richmenus/disaster/prepare', { channelId: w.channelId, ...body });
const codeOf = async (r: Response) => ((await r.json()) as { code: string }).code;

let client: ReturnType<ReturnType<typeof createLineClients>['messaging']>;
let normal: Awaited<ReturnType<typeof create>>;
let disaster: Awaited<ReturnType<typeof create>>;

beforeAll(async () => {
  w = await startLineWorld('2700000401');
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  const channels = createChannelsService({
    db: w.server.db,
    cipher: createCipher(w.server.config.ENCRYPTION_KEY),
    publicUrl: w.server.url,
  });
  client = createLineClients({ api: w.sim.url, data: w.sim.url }).messaging(
    (await channels.secrets(w.channelId))!,
  );
  normal = await create({
    channelId: w.channelId,
    name: '通常',
    kind: 'normal',
    tabs: [tab('くらし', 0, 2), tab('手続き', 1, 2)],
  });
  disaster = await create({
    channelId: w.channelId,
    name: '災害',
    kind: 'disaster',
    tabs: [tab('避難', 0, 2), tab('情報', 1, 2)],
  });
  const pub = await admin.request('POST', `/api/richmenus/${normal.id}/publications`, { target: 'default' });
  expect(pub.status).toBe(201);
}, 90_000);
afterAll(async () => w?.close());

describe('disaster switch: scheduled end (X-01)', () => {
  it('X-01: bad until values are 400 with a stable code — past, more than 30 days ahead, not a date, on a switch-off', async () => {
    const past = await prepare({
      groupId: disaster.id,
      on: true,
      until: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(await codeOf(past)).toBe('RICHMENU_SCHEDULE_PAST');
    const far = await prepare({
      groupId: disaster.id,
      on: true,
      until: new Date(Date.now() + 31 * 86_400_000).toISOString(),
    });
    expect(far.status).toBe(400);
    expect(await codeOf(far)).toBe('RICHMENU_DISASTER_UNTIL_TOO_FAR');
    const notDate = await prepare({ groupId: disaster.id, on: true, until: '明日の朝' });
    expect(notDate.status).toBe(400);
    expect(await codeOf(notDate)).toBe('VALIDATION_FAILED');
    const onOff = await prepare({ on: false, until: new Date(Date.now() + 3_600_000).toISOString() });
    expect(onOff.status).toBe(400);
    const body = (await onOff.json()) as { code: string; message: string };
    expect(body.code).toBe('RICHMENU_DISASTER_UNTIL_OFF');
    expect(body.message).toMatch(/切り替えるときだけ/);
    // Nothing was switched.
    expect((await status()).active).toBe(false);
  });

  it('X-01: a switch with until a few seconds ahead ends by itself (audited as a scheduled end) and gives a friend back their personal menu', async () => {
    // B taps 手続き: a per-user link (richmenuswitch), recorded from the postback.
    const b = await newFriend('B');
    await tap(b, 0);
    expect((await shown(b)).richMenu?.richMenuId).toBe(normal.menus[1]);
    await until("B's tab switch recorded", () =>
      w.server.db
        .selectFrom('rich_menu_user_menus')
        .select('rich_menu_id')
        .where('line_user_id', '=', b)
        .where('rich_menu_id', '=', normal.menus[1]!)
        .executeTakeFirst(),
    );
    const end = new Date(Date.now() + 6_000);
    const prep = await prepare({ groupId: disaster.id, on: true, until: end.toISOString() });
    expect(prep.status).toBe(200);
    const prepared = (await prep.json()) as { token: string; until: string };
    expect(prepared.until).toBe(end.toISOString());
    const confirm = await admin.request('POST', '/api/richmenus/disaster/confirm', { token: prepared.token });
    expect(confirm.status).toBe(200);
    const s = await status();
    expect(s).toMatchObject({ active: true, until: end.toISOString() });
    const view = (await (
      await admin.request('GET', `/api/disaster/status?channelId=${w.channelId}`)
    ).json()) as {
      active: boolean;
      until: string;
    };
    expect(view).toMatchObject({ active: true, until: end.toISOString() });
    await until(
      'B sees the disaster menu',
      async () => (await shown(b)).richMenu?.richMenuId === disaster.menus[0],
    );

    // Nobody switches it off: it ends at `until`, exactly as a manual switch-off.
    await until('the switch ended by itself', async () => !(await status()).active, 90_000);
    expect(await shown(b)).toMatchObject({ source: 'user', richMenu: { richMenuId: normal.menus[1] } });
    const c = await newFriend('C');
    expect((await shown(c)).richMenu?.richMenuId).toBe(normal.menus[0]);
    const audit = await w.server.db
      .selectFrom('audit_log')
      .select(['action', 'account_id', 'detail'])
      .where('action', '=', 'richmenu.disaster-scheduled-end')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.account_id).toBeNull();
    expect(audit[0]!.detail).toMatchObject({ until: end.toISOString() });
    expect((await status()).active).toBe(false);
  }, 120_000);
});

describe('which groups may be shown how (X-01, M-03)', () => {
  it('X-01: a kind=disaster group cannot be published as a default or segment menu (400 RICHMENU_DISASTER_GROUP_NOT_PUBLISHABLE); the switch refuses a kind=normal group (400 RICHMENU_NOT_DISASTER)', async () => {
    for (const body of [
      { target: 'default' },
      { target: 'segment', segmentId: '00000000-0000-4000-8000-000000000000' },
      { target: 'default', until: new Date(Date.now() + 3_600_000).toISOString() },
    ]) {
      const r = await admin.request('POST', `/api/richmenus/${disaster.id}/publications`, body);
      expect(r.status).toBe(400);
      const e = (await r.json()) as { code: string; message: string };
      expect(e).toEqual(
        expect.objectContaining({
          code: 'RICHMENU_DISASTER_GROUP_NOT_PUBLISHABLE',
          message: '災害用メニューは災害モードの切り替えでのみ表示できます',
        }),
      );
    }
    const view = (await (await admin.request('GET', `/api/richmenus/${disaster.id}`)).json()) as TabGroupView;
    expect(view.publications.filter((p) => p.target !== 'disaster')).toEqual([]);
    const wrong = await prepare({ groupId: normal.id, on: true });
    expect(wrong.status).toBe(400);
    expect(await codeOf(wrong)).toBe('RICHMENU_NOT_DISASTER');
    expect((await status()).active).toBe(false);
  });
});

describe('disaster tabs after a switch-off (X-01)', () => {
  const switchTo = async (on: boolean) => {
    const prep = await prepare(on ? { groupId: disaster.id, on } : { on });
    expect(prep.status).toBe(200);
    const { token } = (await prep.json()) as { token: string };
    const r = await admin.request('POST', '/api/richmenus/disaster/confirm', { token });
    expect(r.status).toBe(200);
    await until(on ? 'the switch active' : 'the switch ended', async () => {
      const s = await status();
      return on ? s.status === 'active' : !s.active;
    });
  };
  /** A tab of the disaster menu tapped on a screen still showing it (LINE's richmenuswitch). */
  const staleTap = (userId: string, aliasId: string) =>
    w.sim$('POST', `/_sim/users/${userId}/action`, {
      channelId: w.line.channelId,
      action: { type: 'richmenuswitch', richMenuAliasId: aliasId, data: 'stale=1' },
    });

  it('X-01: after the off the disaster group aliases lead to the restored default, so a stale disaster tab gives no personal disaster menu; the next on points them back', async () => {
    const d = await newFriend('D');
    await switchTo(true);
    for (const [i, alias] of disaster.aliases.entries()) {
      expect((await client.getRichMenuAlias(alias)).richMenuId).toBe(disaster.menus[i]);
    }
    await switchTo(false);
    for (const alias of disaster.aliases) {
      expect((await client.getRichMenuAlias(alias)).richMenuId).toBe(normal.menus[0]);
    }
    // D's screen still shows the disaster menu and D taps its 情報 tab.
    await staleTap(d, disaster.aliases[1]!);
    const seen = await shown(d);
    expect(disaster.menus).not.toContain(seen.richMenu?.richMenuId);
    expect(seen.richMenu?.richMenuId).toBe(normal.menus[0]);

    // Switched on again: the disaster tabs switch between the disaster menus as before.
    await switchTo(true);
    for (const [i, alias] of disaster.aliases.entries()) {
      expect((await client.getRichMenuAlias(alias)).richMenuId).toBe(disaster.menus[i]);
    }
    await staleTap(d, disaster.aliases[1]!);
    expect((await shown(d)).richMenu?.richMenuId).toBe(disaster.menus[1]);
    await switchTo(false);
    expect(disaster.menus).not.toContain((await shown(d)).richMenu?.richMenuId);
  });
});
