import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DisasterModeView } from '@madoguchi/contracts/disaster.ts';
import {
  CITY_COLORS,
  type DisasterPrepared,
  type TabGroupView,
  templateAreas,
} from '@madoguchi/contracts/richmenus.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFriend,
  quickReply,
  quickReplyLabels,
  received,
  receivedAfter,
  say,
  settled,
  tap,
} from '../../testing/line-chat.ts';
import { postbackEvent, postWebhook, textEvent } from '../../testing/line-webhook.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { until } from '../../testing/wait-for.ts';
import { DISASTER_INFO_POSTBACK, disasterInfoText, disasterModeText } from '../disaster/disaster-info.ts';
import { SHELTER_ASK_TEXT } from '../shelters/shelter-line.ts';
import { changeShelterStatus, importShelters } from '../shelters/shelters.service.ts';
import { HELP_TEXT, SAFE_TEXT, WHERE_TEXT } from './scenario-templates.ts';

// The evacuation guidance and 防災情報 in disaster mode, through the real webhook, the
// dispatch, the outbox and the LINE simulator: staff switch disaster mode on with the rich menu API;
// a friend taps the disaster menu's guidance area, answers three questions with the quick reply
// buttons the phone shows, and ends at the shelter search; the location gets the nearest open one.
// Ported from the disaster module's fixed guidance: it is now the chatbot's built-in scenario
// `evacuation` (no scenario created), run by the one engine.

const CONTACT = '防災危機管理課 0120-000-000';
let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
let counselor: Awaited<ReturnType<typeof staffClient>>;
let disasterGroup: string;

const SIZE = { width: 2500, height: 843 };

const REPLY = ['reply'];
const mode = async (client = admin) =>
  (await (
    await client.request('GET', `/api/disaster/status?channelId=${w.channelId}`)
  ).json()) as DisasterModeView;

async function switchDisaster(on: boolean) {
  const prepared = await admin.request('POST', '/api/richmenus/disaster/prepare', {
    channelId: w.channelId,
    on,
    ...(on ? { groupId: disasterGroup } : {}),
  });
  expect(prepared.status).toBe(200);
  const { token } = (await prepared.json()) as DisasterPrepared;
  expect((await admin.request('POST', '/api/richmenus/disaster/confirm', { token })).status).toBe(200);
}

beforeAll(async () => {
  w = await startLineWorld('2600000401', { env: { DISASTER_CONTACT: CONTACT } });
  admin = await staffClient(w.server, (await createStaff(w.server.db, 'admin')).loginId);
  general = await staffClient(w.server, (await createStaff(w.server.db, 'general')).loginId);
  counselor = await staffClient(w.server, (await createStaff(w.server.db, 'counselor')).loginId);
  const file = readFileSync(
    new URL('../shelters/testdata/matsuyama-382019_evacuation_space.csv', import.meta.url),
  );
  await importShelters(w.server.db, file, { dryRun: false });
  for (const name of ['城山公園', '八坂公園']) {
    const { id } = await w.server.db
      .selectFrom('shelters')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    await changeShelterStatus(w.server.db, id, 'open', null);
  }
  // The disaster tab group: its first area starts the guidance, the second asks for the location.
  const r = await admin.request('POST', '/api/richmenus', {
    channelId: w.channelId,
    name: '災害時メニュー',
    kind: 'disaster',
    tabs: [
      {
        label: '災害時',
        chatBarText: '災害時メニュー',
        size: SIZE,
        image: {
          kind: 'template',
          layout: '1x2',
          colors: { ...CITY_COLORS },
          cells: [
            { label: '避難のご案内', icon: 'info' },
            { label: '避難所', icon: 'shelter' },
          ],
        },
        areas: templateAreas('1x2', SIZE, 1, 0, [
          { type: 'postback', data: 'guide=start' },
          { type: 'postback', data: 'action=shelters' },
        ]),
      },
    ],
  });
  expect(r.status).toBe(201);
  const group = (await r.json()) as TabGroupView;
  expect(group.status).toBe('ready');
  disasterGroup = group.id;
}, 90_000);
afterAll(async () => w?.close());

describe('防災情報 and the evacuation guidance (X-01, X-02)', () => {
  it('X-02: in normal times 避難 gets no reply from the guidance and 防災情報 the normal notice', async () => {
    expect(await mode()).toEqual({ active: false });
    const user = await addFriend(w, '避難 花子');
    await say(w, user, '避難');
    await say(w, user, '防災情報');
    const [reply] = await receivedAfter(w, user, 0, 1, REPLY);
    await settled(w, user, 3);
    expect((await received(w, user, REPLY)).map((m) => m.message.text)).toEqual([disasterInfoText()]);
    expect(reply!.message.text).toBe(disasterInfoText());
  });

  it('X-01, X-02: disaster mode on — the status names the group and who; 防災情報 says so and asks where; the menu area, three answers, 119/110 and the contact, then the location gets the nearest open shelter', async () => {
    await switchDisaster(true);
    const on = await mode();
    expect(on).toMatchObject({
      active: true,
      groupId: disasterGroup,
      groupName: '災害時メニュー',
      byName: 'admin さん',
    });
    expect(on.active && Date.now() - new Date(on.since).getTime()).toBeLessThan(60_000);
    // Every role that sees the dashboard reads it (its banner); a counselor's role does not.
    expect((await mode(general)).active).toBe(true);
    expect((await counselor.request('GET', `/api/disaster/status?channelId=${w.channelId}`)).status).toBe(
      403,
    );

    const user = await addFriend(w, '避難 花子');
    await say(w, user, '防災情報');
    const [notice, where] = await receivedAfter(w, user, 0, 2, REPLY);
    expect(notice!.message.text).toBe(disasterModeText());
    expect(where!.message.text).toBe(WHERE_TEXT);
    expect(quickReplyLabels(where)).toEqual(['自宅', '外出先', 'その他']);

    // The disaster menu is the one shown; its first area starts the guidance again.
    const menu = (await w.sim$('GET', `/_sim/users/${user}/richmenu?channelId=${w.line.channelId}`)) as {
      richMenu: { areas: { action: { data?: string } }[] };
    };
    expect(menu.richMenu.areas[0]!.action.data).toMatch(/^guide=start&rm=/);
    await w.sim$('POST', `/_sim/users/${user}/richmenu-tap`, { channelId: w.line.channelId, areaIndex: 0 });
    const [again] = await receivedAfter(w, user, 2, 3, REPLY);
    expect(again!.message.text).toBe(WHERE_TEXT);

    await tap(w, user, quickReply(again!, '自宅'));
    const [safe] = await receivedAfter(w, user, 3, 4, REPLY);
    expect(safe!.message.text).toBe(SAFE_TEXT);
    expect(quickReplyLabels(safe)).toEqual(['安全', '危険を感じる']);

    await tap(w, user, quickReply(safe!, '危険を感じる'));
    const [help] = await receivedAfter(w, user, 4, 5, REPLY);
    expect(help!.message.text).toBe(HELP_TEXT);
    expect(quickReplyLabels(help)).toEqual(['必要', '不要']);

    await tap(w, user, quickReply(help!, '必要'));
    const end = await receivedAfter(w, user, 5, 8, REPLY);
    expect(end[0]!.message.text).toContain('119');
    expect(end[0]!.message.text).toContain('110');
    expect(end[0]!.message.text).toContain(CONTACT);
    expect(end[1]!.message.text).toContain('避難所');
    expect(end[2]!.message).toMatchObject({ type: 'text', text: SHELTER_ASK_TEXT });
    expect(end[2]!.message.quickReply!.items[0]!.action.type).toBe('location');

    await w.sim$('POST', `/_sim/users/${user}/messages`, {
      channelId: w.line.channelId,
      message: {
        type: 'location',
        title: '現在地',
        address: '愛媛県松山市',
        latitude: 33.8456,
        longitude: 132.7656,
      },
    });
    const [shelters] = await receivedAfter(w, user, 8, 9, REPLY);
    expect(shelters!.message.type).toBe('flex');
    expect(shelters!.message.altText).toContain('城山公園');
  });

  it('X-02: "help not needed" skips the emergency numbers and still ends at the shelter search; 避難 starts it while the mode is on', async () => {
    const user = await addFriend(w, '避難 花子');
    await say(w, user, '避難');
    const [where] = await receivedAfter(w, user, 0, 1, REPLY);
    await tap(w, user, quickReply(where!, '外出先'));
    const [safe] = await receivedAfter(w, user, 1, 2, REPLY);
    await tap(w, user, quickReply(safe!, '安全'));
    const [help] = await receivedAfter(w, user, 2, 3, REPLY);
    await tap(w, user, quickReply(help!, '不要'));
    const end = await receivedAfter(w, user, 3, 5, REPLY);
    expect(end.map((m) => m.message.text)).toEqual([expect.stringContaining('避難所'), SHELTER_ASK_TEXT]);
    // The messages only: their IDs are digits and may hold 119 by chance.
    expect(JSON.stringify(end.map((m) => m.message))).not.toContain('119');
  });

  it('X-02: damaged guidance data starts again; in a group chat nothing is answered', async () => {
    const user = await addFriend(w, '避難 花子');
    await w.sim$('POST', `/_sim/users/${user}/postback`, {
      channelId: w.line.channelId,
      data: 'guide=help&at=nowhere&safe=yes&help=yes',
    });
    const [first] = await receivedAfter(w, user, 0, 1, REPLY);
    expect(first!.message.text).toBe(WHERE_TEXT);

    const other = `U${randomBytes(16).toString('hex')}`;
    const group = { type: 'group', groupId: `C${randomBytes(16).toString('hex')}`, userId: other };
    const events = [
      { ...postbackEvent(other, 'guide=start'), source: group },
      { ...textEvent(other, '避難'), source: group },
      { ...postbackEvent(other, DISASTER_INFO_POSTBACK), source: group },
    ];
    expect((await postWebhook(w.server.url, w.channelId, `secret-${w.line.channelId}`, events)).status).toBe(
      200,
    );
    const rows = await until('3 group events dispatched', async () => {
      const r = await w.server.db
        .selectFrom('line_events')
        .select(['id', 'dispatched_at'])
        .where('source_user_id', '=', other)
        .execute();
      return r.length === 3 && r.every((x) => x.dispatched_at) ? r : null;
    });
    const outbox = await w.server.db
      .selectFrom('line_outbox')
      .select('id')
      .where(
        'line_event_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(outbox).toEqual([]);
  });

  it('X-01: bad input to GET /api/disaster/status — a malformed channel ID is 400, an unknown one 404, no session 401', async () => {
    const bad = await admin.request('GET', '/api/disaster/status?channelId=abc');
    expect(bad.status).toBe(400);
    const missing = await admin.request('GET', '/api/disaster/status');
    expect(missing.status).toBe(400);
    const unknown = await admin.request('GET', `/api/disaster/status?channelId=${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect((await fetch(`${w.server.url}/api/disaster/status?channelId=${w.channelId}`)).status).toBe(401);
  });

  it('X-01, X-02: switched off, 防災情報 is the normal notice again and 避難 gets no guidance', async () => {
    await switchDisaster(false);
    await until('mode off', async () => !(await mode()).active);
    const user = await addFriend(w, '避難 花子');
    await say(w, user, '避難');
    await say(w, user, '防災情報');
    await receivedAfter(w, user, 0, 1, REPLY);
    await settled(w, user, 3);
    expect((await received(w, user, REPLY)).map((m) => m.message.text)).toEqual([disasterInfoText()]);
  });
});
