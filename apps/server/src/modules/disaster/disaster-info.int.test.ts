import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoRichMenu, RICH_MENU_IMAGE } from '../../demo/demo-rich-menu.ts';
import { createCipher } from '../../platform/crypto.ts';
import { createLineClients } from '../../platform/line/line-clients.ts';
import { postbackEvent, postWebhook, textEvent } from '../../testing/line-webhook.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { until } from '../../testing/wait-for.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import { DISASTER_INFO_POSTBACK, disasterInfoText } from './disaster-info.ts';

// 防災情報 (issue 9): until disaster mode exists, the rich menu's 防災情報 and the typed word are
// answered with one fixed notice, through the outbox (after the commit), in a 1:1 chat only. Against
// the LINE simulator: the virtual user's inbox and the simulator's request log show what LINE got.

let w: LineWorld;
const secret = () => `secret-${w.line.channelId}`;
const NOTICE = disasterInfoText();

const newUser = async () => {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: '防災 花子' })) as {
    userId: string;
  };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  return userId;
};
const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: { via: string; message: { type: string; text?: string } }[];
    }
  ).messages;
const notices = async (userId: string) => (await inbox(userId)).filter((m) => m.message.text === NOTICE);

/** The user's events of this type, once every one of them is dispatched. */
const dispatched = (userId: string, type: string, count: number) =>
  until(`${count} ${type} event(s) of ${userId} dispatched`, async () => {
    const rows = await w.server.db
      .selectFrom('line_events')
      .select(['id', 'webhook_event_id', 'dispatched_at'])
      .where('source_user_id', '=', userId)
      .where('type', '=', type)
      .execute();
    return rows.length === count && rows.every((r) => r.dispatched_at) ? rows : null;
  });
const outboxOf = (lineEventId: string) =>
  w.server.db.selectFrom('line_outbox').selectAll().where('line_event_id', '=', lineEventId).execute();
/** Every outbox row of the world has been sent (or given up), so nothing more will reach LINE. */
const outboxDrained = () =>
  until('the outbox drained', async () => {
    const pending = await w.server.db
      .selectFrom('line_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .execute();
    return pending.length === 0;
  });

beforeAll(async () => {
  w = await startLineWorld('2600000101');
  // The demo rich menu, created through the Messaging API against the simulator, as the demo does.
  const channels = createChannelsService({
    db: w.server.db,
    cipher: createCipher(w.server.config.ENCRYPTION_KEY),
    publicUrl: w.server.url,
  });
  const ch = (await channels.secrets(w.channelId))!;
  const line = createLineClients({ api: w.sim.url, data: w.sim.url });
  expect(await ensureDemoRichMenu(line.messaging(ch), line.blob(ch), ch.liffId)).toBe(true);
}, 60_000);
afterAll(async () => w?.close());

describe('防災情報 until disaster mode exists (issue 9)', () => {
  it('the message 防災情報 in a 1:1 chat gets exactly one reply, the fixed notice, recorded in the outbox', async () => {
    const user = await newUser();
    await w.sim$('POST', `/_sim/users/${user}/messages`, {
      channelId: w.line.channelId,
      message: { type: 'text', text: '防災情報' },
    });
    const [event] = await dispatched(user, 'message', 1);
    const [row] = await until('the reply sent', async () => {
      const rows = await outboxOf(event!.id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(row).toMatchObject({ kind: 'reply', status: 'sent', attempts: 1 });
    await outboxDrained();
    expect((await outboxOf(event!.id)).length).toBe(1);
    const box = await inbox(user);
    expect(box.filter((m) => m.via === 'reply').map((m) => m.message.text)).toEqual([NOTICE]);
    expect(NOTICE).toContain('現在、発令中の避難情報はありません');
  });

  it('a tap on the rich menu’s 防災情報 gets the same single reply', async () => {
    const user = await newUser();
    const menu = (await w.sim$('GET', `/_sim/users/${user}/richmenu?channelId=${w.line.channelId}`)) as {
      richMenu: { size: { width: number; height: number }; areas: { action: { data?: string } }[] };
      imageUrl: string;
    };
    expect(menu.richMenu.size).toEqual({ width: 2500, height: 843 });
    // The image LINE holds is the committed picture with its drawn labels.
    const image = Buffer.from(await (await fetch(menu.imageUrl)).arrayBuffer());
    expect(image.equals(readFileSync(RICH_MENU_IMAGE))).toBe(true);
    const index = menu.richMenu.areas.findIndex((a) => a.action.data === DISASTER_INFO_POSTBACK);
    expect(index).toBe(2);
    await w.sim$('POST', `/_sim/users/${user}/richmenu-tap`, {
      channelId: w.line.channelId,
      areaIndex: index,
    });
    const [event] = await dispatched(user, 'postback', 1);
    await until('the reply sent', async () => (await outboxOf(event!.id))[0]?.status === 'sent');
    await outboxDrained();
    expect(await notices(user)).toHaveLength(1);
  });

  it('防災情報 said in a group or room chat gets no reply; other words get none from this handler', async () => {
    const user = `U${randomBytes(16).toString('hex')}`;
    const hex = () => randomBytes(16).toString('hex');
    const inGroup = {
      ...textEvent(user, '防災情報'),
      source: { type: 'group', groupId: `C${hex()}`, userId: user },
    };
    const inRoom = {
      ...textEvent(user, '防災情報'),
      source: { type: 'room', roomId: `R${hex()}`, userId: user },
    };
    const groupTap = {
      ...postbackEvent(user, DISASTER_INFO_POSTBACK),
      source: { type: 'group', groupId: `C${hex()}`, userId: user },
    };
    const otherWord = textEvent(user, '防災情報について教えて');
    const events = [inGroup, inRoom, groupTap, otherWord];
    expect((await postWebhook(w.server.url, w.channelId, secret(), events)).status).toBe(200);
    const messages = await dispatched(user, 'message', 3);
    const postbacks = await dispatched(user, 'postback', 1);
    for (const row of [...messages, ...postbacks]) expect(await outboxOf(row.id)).toEqual([]);
  });
});
