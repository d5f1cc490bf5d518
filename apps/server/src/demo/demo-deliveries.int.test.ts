import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { createDeliveriesService } from '../modules/deliveries/deliveries.service.ts';
import { DELIVERY_RUN_JOB } from '../modules/deliveries/delivery-runner.ts';
import { getRegistrationForm } from '../modules/forms/forms.service.ts';
import { listSegments } from '../modules/segments/segments.service.ts';
import { createCipher } from '../platform/crypto.ts';
import { createJobs, type Jobs } from '../platform/jobs.ts';
import { addFriends, receivedBy } from '../testing/delivery-world.ts';
import { type LineWorld, startLineWorld } from '../testing/line-world.ts';
import { createStaff } from '../testing/test-server.ts';
import {
  DEMO_SCHEDULED_TITLE,
  DEMO_SEGMENT_NAME,
  DEMO_SENT_TITLE,
  nextMondayNineJst,
  seedDemoDeliveries,
} from './demo-deliveries.ts';
import { demoAnswers, ensureDemoRegistrationForm, seedDemoRegistrations } from './demo-registration.ts';

// The demo city's segment and deliveries (G-04, G-07, G-10): a saved segment, a delivery really sent
// through the pipeline to exactly the virtual friends in the segment (the simulator's records), with
// clicks through the counted redirect, and one scheduled for next Monday 09:00 JST — created once.

let w: LineWorld;
let jobs: Jobs;
const users: string[] = [];

/** Hand-computed audience of the demo segment: registered friends whose demo answers fall in it. */
async function expectedAudience(): Promise<string[]> {
  const form = await getRegistrationForm(w.server.db, w.channelId);
  const id = (key: string, label: string) =>
    form.items.find((i) => i.key === key)!.choices.find((c) => c.label === label)!.id;
  const registered = new Set(
    (
      await w.server.db
        .selectFrom('form_responses as r')
        .innerJoin('friends as f', 'f.id', 'r.friend_id')
        .select('f.line_user_id')
        .where('r.form_id', '=', form.id)
        .execute()
    ).map((r) => r.line_user_id),
  );
  const wards = [id('area', '美浜区'), id('area', '稲毛区')];
  return users.filter((u) => {
    if (!registered.has(u)) return false;
    const a = demoAnswers(form, u) as { topics: string[]; area: { ward: string } };
    return a.topics.includes(id('topics', '子育て')) && wards.includes(a.area.ward);
  });
}

beforeAll(async () => {
  w = await startLineWorld('2600000001');
  await createStaff(w.server.db, 'admin', 'admin');
  jobs = createJobs(w.server.databaseUrl, () => {});
  await jobs.start({ workers: false });
  await ensureDemoRegistrationForm(w.server.db, w.channelId);
  // The simulator's user IDs are random and the answers follow from them: add virtual friends until
  // the segment has a few members, so the delivery really goes somewhere.
  while ((await expectedAudience()).length < 3 && users.length < 400) {
    users.push(...(await addFriends(w, { id: w.channelId, lineChannelId: w.line.channelId }, 20)));
    await seedDemoRegistrations(w.server.db, createCipher(w.server.config.ENCRYPTION_KEY), w.channelId);
  }
});
afterAll(async () => {
  await jobs?.stop();
  await w?.close();
});

const channels = () =>
  createChannelsService({
    db: w.server.db,
    cipher: createCipher(w.server.config.ENCRYPTION_KEY),
    publicUrl: w.server.url,
  });

const seed = () =>
  seedDemoDeliveries({
    db: w.server.db,
    channels: channels(),
    channelId: w.channelId,
    runNow: () => void jobs.send(DELIVERY_RUN_JOB, {}),
    tap: { serverUrl: w.server.url, simulatorUrl: w.sim.url, lineChannelId: w.line.channelId },
    waitMs: 30_000,
  });

const deliveries = () =>
  createDeliveriesService({ db: w.server.db, channels: channels(), runNow: () => {} }).list({
    channelId: w.channelId,
    limit: 200,
  });

describe('demo deliveries (G-04, G-07, G-10)', () => {
  it('nextMondayNineJst: the coming Monday 09:00 Tokyo, a week on from a Monday', () => {
    // Wednesday 12:00 JST → the Monday after.
    expect(nextMondayNineJst(new Date('2026-11-25T03:00:00Z')).toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    // Sunday 23:30 JST → the next day; Monday 08:00 JST → a week later.
    expect(nextMondayNineJst(new Date('2026-11-29T14:30:00Z')).toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    expect(nextMondayNineJst(new Date('2026-11-29T23:00:00Z')).toISOString()).toBe(
      '2026-12-07T00:00:00.000Z',
    );
  });

  it('G-04 G-07 G-10: the seed saves a segment, sends to exactly its friends, schedules one; a second run adds nothing', async () => {
    const monday = nextMondayNineJst(new Date());
    const lines = await seed();
    expect(lines[0]).toBe(`セグメント「${DEMO_SEGMENT_NAME}」を作りました`);
    const day = new Date(monday.getTime() + 9 * 3600_000);
    expect(lines[2]).toBe(
      `配信「${DEMO_SCHEDULED_TITLE}」を ${day.getUTCMonth() + 1}月${day.getUTCDate()}日（月）9:00 に予約しました`,
    );

    // The segment: 子育て AND (美浜区 OR 稲毛区), with the form's choice IDs.
    const form = await getRegistrationForm(w.server.db, w.channelId);
    const topics = form.items.find((i) => i.key === 'topics')!;
    const area = form.items.find((i) => i.key === 'area')!;
    const id = (item: typeof topics, label: string) => item.choices.find((c) => c.label === label)!.id;
    const segments = await listSegments(w.server.db, w.channelId);
    expect(segments.map((s) => s.name)).toEqual([DEMO_SEGMENT_NAME]);
    expect(segments[0]!.tree).toEqual({
      type: 'and',
      children: [
        { type: 'choice', itemId: topics.id, choiceIds: [id(topics, '子育て')], match: 'any' },
        {
          type: 'or',
          children: [
            { type: 'choice', itemId: area.id, choiceIds: [id(area, '美浜区')], match: 'any' },
            { type: 'choice', itemId: area.id, choiceIds: [id(area, '稲毛区')], match: 'any' },
          ],
        },
      ],
    });

    // Hand-computed audience: registered friends whose demo answers fall in the segment.
    const registered = new Set(
      (
        await w.server.db
          .selectFrom('form_responses as r')
          .innerJoin('friends as f', 'f.id', 'r.friend_id')
          .select('f.line_user_id')
          .where('r.form_id', '=', form.id)
          .execute()
      ).map((r) => r.line_user_id),
    );
    const expected = users.filter((u) => {
      if (!registered.has(u)) return false;
      const a = demoAnswers(form, u) as { topics: string[]; area: { ward: string } };
      return (
        a.topics.includes(id(topics, '子育て')) &&
        [id(area, '美浜区'), id(area, '稲毛区')].includes(a.area.ward)
      );
    });

    const list = await deliveries();
    expect(list.map((d) => d.title).sort()).toEqual([DEMO_SCHEDULED_TITLE, DEMO_SENT_TITLE].sort());
    const sent = list.find((d) => d.title === DEMO_SENT_TITLE)!;
    expect(sent.audience).toEqual({ kind: 'segment', segmentId: segments[0]!.id });
    expect(sent.createdByName).toBe('admin さん');
    expect(sent).toMatchObject({ status: 'sent', recipients: expected.length, sent: expected.length });
    const taps = Math.ceil(expected.length / 2);
    expect(lines[1]).toBe(
      `配信「${DEMO_SENT_TITLE}」を ${expected.length} 人に送りました${taps > 0 ? `（${taps} 人がリンクをタップ）` : ''}`,
    );
    // The simulator's records: exactly the segment's friends got one delivery, nobody else any.
    const got = await receivedBy(w, { id: w.channelId, lineChannelId: w.line.channelId }, users);
    expect(users.filter((_, i) => got[i] === 1).sort()).toEqual([...expected].sort());
    expect(got.every((n) => n <= 1)).toBe(true);
    // Every other recipient tapped the counted link.
    const clicks = await w.server.db
      .selectFrom('delivery_clicks as c')
      .innerJoin('delivery_links as l', 'l.id', 'c.link_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('l.delivery_id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(Number(clicks.n)).toBe(taps);

    const scheduled = list.find((d) => d.title === DEMO_SCHEDULED_TITLE)!;
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.scheduledAt?.toISOString()).toBe(monday.toISOString());
    expect(JSON.stringify(scheduled.messages)).toContain('https://www.city.example.jp/bousai/kunren');

    // Again: nothing new, nothing sent twice.
    expect(await seed()).toEqual([]);
    expect((await deliveries()).length).toBe(2);
    expect((await listSegments(w.server.db, w.channelId)).length).toBe(1);
    expect(await receivedBy(w, { id: w.channelId, lineChannelId: w.line.channelId }, users)).toEqual(got);
  });

  it('for a channel without the demo registration form, the seed does nothing', async () => {
    const other = createChannelsService({
      db: w.server.db,
      cipher: createCipher(w.server.config.ENCRYPTION_KEY),
      publicUrl: w.server.url,
    });
    const ch = await other.create({
      name: 'フォームなし',
      lineChannelId: '2600000099',
      channelSecret: 's',
      accessToken: 't',
      environment: 'production',
    });
    expect(
      await seedDemoDeliveries({ db: w.server.db, channels: other, channelId: ch.id, runNow: null }),
    ).toEqual([]);
    expect((await deliveries()).length).toBe(2);
  });
});
