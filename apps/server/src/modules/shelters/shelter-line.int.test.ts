import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineUserId, postbackEvent, postWebhook, webhookEventId } from '../../testing/line-webhook.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { until } from '../../testing/wait-for.ts';
import { NO_OPEN_SHELTER_TEXT, SHELTER_ASK_TEXT } from './shelter-line.ts';
import { changeShelterStatus, importShelters } from './shelters.service.ts';

// X-03 in LINE, against the LINE simulator: a location message sent from the virtual phone goes
// through the signed webhook, the dispatch and the outbox, and the phone receives the nearest open
// shelters as a Flex carousel; the word 避難所 gets a quick reply with a location button.

let w: LineWorld;
type Received = {
  via: string;
  message: {
    type: string;
    text?: string;
    altText?: string;
    contents?: { type: string; contents: { body: { contents: { text?: string }[] } }[] };
    quickReply?: { items: { action: { type: string } }[] };
  };
};

const newUser = async () => {
  const { userId } = (await w.sim$('POST', '/_sim/users', { displayName: '避難 太郎' })) as {
    userId: string;
  };
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  return userId;
};
const inbox = async (userId: string) =>
  (
    (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as {
      messages: Received[];
    }
  ).messages;
const replies = (userId: string, n: number) =>
  until(`${n} repl(ies) to ${userId}`, async () => {
    const got = (await inbox(userId)).filter((m) => m.via === 'reply');
    return got.length >= n ? got : null;
  });
const sendLocation = (userId: string, latitude: number, longitude: number) =>
  w.sim$('POST', `/_sim/users/${userId}/messages`, {
    channelId: w.line.channelId,
    message: { type: 'location', title: '現在地', address: '愛媛県松山市', latitude, longitude },
  });
const byName = (name: string) =>
  w.server.db.selectFrom('shelters').select('id').where('name', '=', name).executeTakeFirstOrThrow();

beforeAll(async () => {
  w = await startLineWorld('2600000301');
  const file = readFileSync(new URL('./testdata/matsuyama-382019_evacuation_space.csv', import.meta.url));
  await importShelters(w.server.db, file, { dryRun: false });
}, 60_000);
afterAll(async () => w?.close());

describe('shelter search in LINE (X-03)', () => {
  it('X-03: with no site open, a location gets the plain notice that none is open', async () => {
    const user = await newUser();
    await sendLocation(user, 33.8456, 132.7656);
    const [reply] = await replies(user, 1);
    expect(reply!.message).toMatchObject({ type: 'text', text: NO_OPEN_SHELTER_TEXT });
  });

  it('X-03: a location message through the webhook gets the nearest open shelters (Flex carousel, map links)', async () => {
    for (const name of ['城山公園', '東雲公園', '八坂公園']) {
      await changeShelterStatus(w.server.db, (await byName(name)).id, 'open', null);
    }
    await changeShelterStatus(w.server.db, (await byName('東雲公園')).id, 'full', null);
    const user = await newUser();
    await sendLocation(user, 33.8456, 132.7656);
    const [reply] = await replies(user, 1);
    expect(reply!.message.type).toBe('flex');
    expect(reply!.message.altText).toContain('城山公園');
    const bubbles = reply!.message.contents!.contents;
    const titles = bubbles.map((b) => b.body.contents[0]!.text);
    expect(titles).toEqual(['城山公園', '八坂公園']); // 東雲公園 is full: not offered
    const texts = JSON.stringify(bubbles);
    expect(texts).toContain('開設');
    expect(texts).toContain('更新');
    expect(texts).toContain('https://www.google.com/maps/search/?api=1&query=33.841993,132.761854');
    // No consultation was opened and nothing else answered.
    const consultations = await w.server.db.selectFrom('consultations').select('id').execute();
    expect(consultations).toEqual([]);
    expect((await inbox(user)).filter((m) => m.via === 'reply')).toHaveLength(1);
  });

  it('X-03: the word 避難所 gets a quick reply with a location button', async () => {
    const user = await newUser();
    await w.sim$('POST', `/_sim/users/${user}/messages`, {
      channelId: w.line.channelId,
      message: { type: 'text', text: '避難所' },
    });
    const [reply] = await replies(user, 1);
    expect(reply!.message).toMatchObject({ type: 'text', text: SHELTER_ASK_TEXT });
    expect(reply!.message.quickReply!.items[0]!.action.type).toBe('location');
  });

  it('X-03: a location outside Japan is answered with a short notice, not a search', async () => {
    const user = await newUser();
    await sendLocation(user, 51.5, -0.12);
    const [reply] = await replies(user, 1);
    expect(reply!.message.text).toContain('日本国内');
  });

  it('X-03: the rich menu postback action=shelters asks for the location; in a group chat nothing is answered', async () => {
    const user = lineUserId();
    const secret = `secret-${w.line.channelId}`;
    const tap = postbackEvent(user, 'action=shelters');
    const inGroup = {
      type: 'message',
      mode: 'active',
      timestamp: Date.now(),
      source: { type: 'group', groupId: `C${randomBytes(16).toString('hex')}`, userId: user },
      webhookEventId: webhookEventId(),
      deliveryContext: { isRedelivery: false },
      replyToken: randomBytes(16).toString('hex'),
      message: { id: '1', type: 'location', address: 'x', latitude: 33.8456, longitude: 132.7656 },
    };
    expect((await postWebhook(w.server.url, w.channelId, secret, [tap, inGroup])).status).toBe(200);
    const rows = await until('both events dispatched', async () => {
      const r = await w.server.db
        .selectFrom('line_events')
        .select(['id', 'type', 'dispatched_at'])
        .where('source_user_id', '=', user)
        .execute();
      return r.length === 2 && r.every((x) => x.dispatched_at) ? r : null;
    });
    const outbox = await w.server.db
      .selectFrom('line_outbox')
      .select(['line_event_id'])
      .where(
        'line_event_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    expect(outbox.map((o) => rows.find((r) => r.id === o.line_event_id)!.type)).toEqual(['postback']);
  });
});
