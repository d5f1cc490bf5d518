import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs, type Jobs } from '../../platform/jobs.ts';
import {
  addChannel,
  addFriends,
  insertMedia,
  multicastRequests,
  receivedBy,
  type TestChannel,
} from '../../testing/delivery-world.ts';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { createStaff, staffClient } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/wait-for.ts';
import { insertRole } from '../accounts/roles.repository.ts';
import { audienceQuery } from '../segments/segments.service.ts';
import {
  cancelEditable,
  findDelivery,
  insertBatches,
  insertDelivery,
  lockDueDelivery,
  markSending,
} from './deliveries.repository.ts';
import type { DeliveryView } from './deliveries.schema.ts';
import { audienceTree } from './delivery-audience.ts';
import { DELIVERY_RUN_JOB } from './delivery-runner.ts';
import { expandDueSeries, startDueDelivery } from './delivery-start.ts';
import { nextOccurrence, type Recurrence } from './recurrence.ts';

// The delivery pipeline against the LINE simulator (G-05, G-07, G-08, G-09, G-12): validation, drafts,
// immediate / scheduled / recurring sending, changes and cancellation until the start (and the race
// between a cancel and a start), test deliveries that never reach production, LINE's 429 / 5xx / 4xx,
// progress, and permissions.

let w: LineWorld;
let admin: Awaited<ReturnType<typeof staffClient>>;
let jobs: Jobs;

beforeAll(async () => {
  w = await startLineWorld('2400000001', {
    env: { DELIVERY_MAX_ATTEMPTS: '3', DELIVERY_RETRY_BASE_MS: '200' },
  });
  const staff = await createStaff(w.server.db, 'admin');
  admin = await staffClient(w.server, staff.loginId);
  // A queue client of its own, to run the scheduler as the minute's sweep would.
  jobs = createJobs(w.server.databaseUrl, () => {});
  await jobs.start({ workers: false });
});
afterAll(async () => {
  await jobs?.stop();
  await w?.close();
});

const text = (t = 'ごみ収集日が変わります。詳しくは https://www.city.example.jp/gomi をご覧ください。') => ({
  type: 'text',
  text: t,
});

async function create(body: Record<string, unknown>, client = admin) {
  const r = await client.request('POST', '/api/deliveries', body);
  return { status: r.status, body: (await r.json()) as DeliveryView & { code?: string; details?: unknown } };
}
const get = async (id: string) =>
  (await (await admin.request('GET', `/api/deliveries/${id}`)).json()) as DeliveryView;
const untilDone = (id: string, timeoutMs = 20_000) =>
  waitFor(
    () => get(id),
    (d) => d.status === 'sent' || d.status === 'failed',
    { timeoutMs },
  );
const batches = (id: string) =>
  w.server.db
    .selectFrom('delivery_batches')
    .selectAll()
    .where('delivery_id', '=', id)
    .orderBy('batch_no')
    .execute();

describe('bad input is refused and nothing is sent (G-05, G-07, G-08)', () => {
  let ch: TestChannel;
  beforeAll(async () => {
    ch = await addChannel(w);
    await addFriends(w, ch, 3);
  });

  it('G-05: 6 messages, 5,001 characters, unknown media, bad imagemap → clear codes', async () => {
    const base = {
      channelId: ch.id,
      title: 'お知らせ',
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    };
    const six = await create({ ...base, messages: Array(6).fill(text('a')) });
    expect(six.status).toBe(400);
    expect(six.body.code).toBe('TOO_MANY_MESSAGES');
    const long = await create({ ...base, messages: [text('あ'.repeat(5001))] });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('TEXT_TOO_LONG');
    expect(long.body.details).toEqual([{ path: 'messages.0.text', message: expect.any(String) }]);
    const media = await create({
      ...base,
      messages: [{ type: 'image', mediaId: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(media.status).toBe(400);
    expect(media.body.code).toBe('MEDIA_NOT_FOUND');
    const area = await create({
      ...base,
      messages: [
        {
          type: 'imagemap',
          mediaId: await insertMedia(w.server.db),
          altText: '地図',
          baseSize: { width: 1040, height: 500 },
          actions: [{ type: 'message', text: 'a', area: { x: 1000, y: 0, width: 100, height: 100 } }],
        },
      ],
    });
    expect(area.status).toBe(400);
    expect(area.body.code).toBe('MESSAGE_INVALID');
    const none = await create({ ...base, messages: [] });
    expect(none.body.code).toBe('MESSAGE_INVALID');
  });

  it('G-04/G-07: invalid audiences → AUDIENCE_INVALID / SEGMENT_INVALID', async () => {
    const base = { channelId: ch.id, title: 'お知らせ', messages: [text()], schedule: { mode: 'now' } };
    const seg = await create({
      ...base,
      audience: { kind: 'segment', segmentId: '00000000-0000-4000-8000-000000000001' },
    });
    expect(seg.status).toBe(400);
    expect(seg.body.code).toBe('AUDIENCE_INVALID');
    const tree = await create({
      ...base,
      audience: {
        kind: 'tree',
        tree: {
          type: 'choice',
          itemId: '00000000-0000-4000-8000-000000000002',
          choiceIds: ['1'],
          match: 'any',
        },
      },
    });
    expect(tree.status).toBe(400);
    expect(tree.body.code).toBe('SEGMENT_INVALID');
    const shape = await create({ ...base, audience: { kind: 'tree', tree: { type: 'and', children: [] } } });
    expect(shape.status).toBe(400);
    expect(shape.body.code).toBe('SEGMENT_INVALID');
    const kind = await create({ ...base, audience: { kind: 'everyone' } });
    expect(kind.status).toBe(400);
    expect(kind.body.code).toBe('VALIDATION_FAILED');
  });

  it('G-07/G-08: a schedule in the past and invalid recurrences → SCHEDULE_IN_PAST / RECURRENCE_INVALID', async () => {
    const base = { channelId: ch.id, title: 'お知らせ', messages: [text()], audience: { kind: 'all' } };
    const past = await create({
      ...base,
      schedule: { mode: 'at', at: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('SCHEDULE_IN_PAST');
    const recurrences = [
      { kind: 'weekly', weekdays: [7], time: '09:00', from: '2030-01-01' },
      { kind: 'weekly', weekdays: [1], time: '25:00', from: '2030-01-01' },
      { kind: 'weekly', weekdays: [1], time: '09:00', from: '2030-02-30' },
      { kind: 'weekly', weekdays: [1], time: '09:00', from: '2030-03-01', until: '2030-02-01' },
      {
        kind: 'monthly',
        rule: { type: 'nthWeekday', nth: 6, weekday: 1 },
        time: '09:00',
        from: '2030-01-01',
      },
      // Valid in form, but no day in the range matches (no 31st in February).
      {
        kind: 'monthly',
        rule: { type: 'dates', dates: [31] },
        time: '09:00',
        from: '2030-02-01',
        until: '2030-02-28',
      },
      // Over already.
      {
        kind: 'weekly',
        weekdays: [1, 2, 3, 4, 5, 6, 0],
        time: '09:00',
        from: '2020-01-01',
        until: '2020-12-31',
      },
    ];
    for (const recurrence of recurrences) {
      const r = await create({ ...base, schedule: { mode: 'now' }, recurrence });
      expect(r.status, JSON.stringify(recurrence)).toBe(400);
      expect(r.body.code, JSON.stringify(recurrence)).toBe('RECURRENCE_INVALID');
    }
  });

  it('G-07: none of the refused requests stored or sent anything', async () => {
    const rows = await w.server.db
      .selectFrom('deliveries')
      .select('id')
      .where('channel_id', '=', ch.id)
      .execute();
    expect(rows).toEqual([]);
    expect(await multicastRequests(w, ch)).toEqual([]);
  });
});

describe('permissions (G-07)', () => {
  it('G-07: deliveries.create may draft and test but not send, schedule or cancel; others get 403', async () => {
    const ch = await addChannel(w);
    await addFriends(w, ch, 1, { isTest: true });
    const role = await insertRole(w.server.db, { name: '配信作成のみ', permissions: ['deliveries.create'] });
    const drafter = await staffClient(w.server, (await createStaff(w.server.db, role!.id)).loginId);
    const base = { channelId: ch.id, title: '下書き', messages: [text()], audience: { kind: 'all' } };
    const draft = await create({ ...base, schedule: { mode: 'draft' } }, drafter);
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe('draft');
    expect((await create({ ...base, schedule: { mode: 'now' } }, drafter)).status).toBe(403);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect((await create({ ...base, schedule: { mode: 'at', at } }, drafter)).status).toBe(403);
    expect(
      (await drafter.request('PATCH', `/api/deliveries/${draft.body.id}`, { schedule: { mode: 'now' } }))
        .status,
    ).toBe(403);
    expect(
      (await drafter.request('PATCH', `/api/deliveries/${draft.body.id}`, { title: '直した' })).status,
    ).toBe(200);
    expect((await drafter.request('POST', `/api/deliveries/${draft.body.id}/cancel`)).status).toBe(403);
    expect((await drafter.request('POST', `/api/deliveries/${draft.body.id}/test`, {})).status).toBe(201);

    const general = await staffClient(w.server, (await createStaff(w.server.db, 'general')).loginId);
    expect((await create({ ...base, schedule: { mode: 'draft' } }, general)).status).toBe(403);
    expect((await general.request('GET', '/api/deliveries')).status).toBe(403);
    expect((await general.request('GET', `/api/deliveries/${draft.body.id}`)).status).toBe(403);
    expect((await get(draft.body.id)).status).toBe('draft');
  });
});

describe('immediate delivery (G-05, G-07, G-12)', () => {
  it('G-12: 1,200 friends → 3 multicasts of ≤ 500 with stored retry keys; each friend gets it once; progress while sending', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 1_200);
    const mediaId = await insertMedia(w.server.db);
    // The second multicast answers late, so progress can be seen while the delivery runs.
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      channelId: ch.lineChannelId,
      when: 'after',
      delayMs: 1500,
      skip: 1,
    });
    const created = await create({
      channelId: ch.id,
      title: 'ごみ収集日の変更',
      messages: [text(), { type: 'image', mediaId }],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const during = await waitFor(
      () => get(id),
      (d) => d.status === 'sending' && d.progress.batchesSent >= 1,
    );
    expect(during.recipients).toBe(1_200);
    expect(during.progress.batches).toBe(3);
    expect(during.progress.batchesPending).toBeGreaterThanOrEqual(1);
    expect(during.sent).toBeLessThan(1_200);

    const done = await untilDone(id);
    expect(done).toMatchObject({ status: 'sent', recipients: 1_200, sent: 1_200, failed: 0, error: null });
    expect(done.progress).toEqual({ batches: 3, batchesSent: 3, batchesFailed: 0, batchesPending: 0 });
    expect(done.finishedAt).not.toBeNull();

    const stored = await batches(id);
    expect(stored.map((b) => b.user_ids.length)).toEqual([500, 500, 200]);
    const requests = await multicastRequests(w, ch);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['x-line-retry-key']))).toEqual(
      new Set(stored.map((b) => b.retry_key)),
    );
    for (const r of requests) expect(r.body.to.length).toBeLessThanOrEqual(500);
    // Converted at send time: the image is a public URL; the link goes through the click counter.
    const [first] = requests;
    expect(first!.body.messages[1]).toEqual({
      type: 'image',
      originalContentUrl: `${w.server.config.PUBLIC_URL}/media/${mediaId}`,
      previewImageUrl: `${w.server.config.PUBLIC_URL}/media/${mediaId}/preview`,
    });
    expect(String(first!.body.messages[0]!.text)).toContain(`${w.server.config.PUBLIC_URL}/r/`);
    expect(new Set(await receivedBy(w, ch, users))).toEqual(new Set([1]));
    // Once it has started, it can be neither changed nor cancelled.
    const patch = await admin.request('PATCH', `/api/deliveries/${id}`, { title: 'x' });
    expect(patch.status).toBe(409);
    expect(((await patch.json()) as { code: string }).code).toBe('DELIVERY_STARTED');
    expect((await admin.request('POST', `/api/deliveries/${id}/cancel`)).status).toBe(409);
  });

  it('G-07: an audience of nobody is sent at once with 0 recipients', async () => {
    const ch = await addChannel(w);
    const r = await create({
      channelId: ch.id,
      title: '誰もいない',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    const done = await untilDone(r.body.id);
    expect(done).toMatchObject({ status: 'sent', recipients: 0, sent: 0 });
  });
});

describe('scheduled delivery, changes and cancellation (G-07)', () => {
  it('G-07: scheduled a few seconds ahead → sent at that time', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 5);
    const at = new Date(Date.now() + 2_500);
    const r = await create({
      channelId: ch.id,
      title: '予約配信',
      messages: [text('予約のお知らせ')],
      audience: { kind: 'all' },
      schedule: { mode: 'at', at: at.toISOString() },
    });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('scheduled');
    expect(new Date(r.body.scheduledAt!).getTime()).toBe(at.getTime());
    expect(await receivedBy(w, ch, users)).toEqual([0, 0, 0, 0, 0]);
    const done = await untilDone(r.body.id, 15_000);
    expect(done.status).toBe('sent');
    expect(new Date(done.startedAt!).getTime()).toBeGreaterThanOrEqual(at.getTime());
    expect(await receivedBy(w, ch, users)).toEqual([1, 1, 1, 1, 1]);
  });

  it('G-07: a scheduled delivery can be changed and cancelled until it starts; nothing is sent', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 2);
    const r = await create({
      channelId: ch.id,
      title: '変更前',
      messages: [text('変更前')],
      audience: { kind: 'all' },
      schedule: { mode: 'at', at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    const id = r.body.id;
    const later = new Date(Date.now() + 7_200_000);
    const patched = await admin.request('PATCH', `/api/deliveries/${id}`, {
      title: '変更後',
      messages: [text('変更後の本文')],
      schedule: { mode: 'at', at: later.toISOString() },
    });
    expect(patched.status).toBe(200);
    const view = (await patched.json()) as DeliveryView;
    expect(view).toMatchObject({ title: '変更後', status: 'scheduled', messages: [text('変更後の本文')] });
    expect(new Date(view.scheduledAt!).getTime()).toBe(later.getTime());
    // Back to a draft, and scheduled again.
    expect(
      (
        (await (
          await admin.request('PATCH', `/api/deliveries/${id}`, { schedule: { mode: 'draft' } })
        ).json()) as DeliveryView
      ).status,
    ).toBe('draft');
    await admin.request('PATCH', `/api/deliveries/${id}`, {
      schedule: { mode: 'at', at: later.toISOString() },
    });
    const past = await admin.request('PATCH', `/api/deliveries/${id}`, {
      schedule: { mode: 'at', at: new Date(Date.now() - 1000).toISOString() },
    });
    expect(((await past.json()) as { code: string }).code).toBe('SCHEDULE_IN_PAST');
    const cancelled = await admin.request('POST', `/api/deliveries/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as DeliveryView).status).toBe('cancelled');
    const after = await admin.request('PATCH', `/api/deliveries/${id}`, { title: 'x' });
    expect(after.status).toBe(409);
    expect(((await after.json()) as { code: string }).code).toBe('DELIVERY_CANCELLED');
    // Made due by hand: the scheduler leaves a cancelled delivery alone.
    await w.server.db
      .updateTable('deliveries')
      .set({ scheduled_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await jobs.send(DELIVERY_RUN_JOB, {});
    await new Promise((r) => setTimeout(r, 1500));
    expect((await get(id)).status).toBe('cancelled');
    expect(await receivedBy(w, ch, users)).toEqual([0, 0]);
    const list = (await (
      await admin.request('GET', `/api/deliveries?channelId=${ch.id}`)
    ).json()) as DeliveryView[];
    expect(list.map((d) => d.id)).toEqual([id]);
  });

  it('G-07: cancel and start at the same time end with exactly one winner (20 races + both orders forced)', async () => {
    const ch = await addChannel(w);
    const db = w.server.db;
    // Nobody matches, so a start that wins sends nothing.
    const audience = { kind: 'tree', tree: { type: 'followedAt', to: '2000-01-01' } };
    // Due at once, stored directly (no scheduler run is queued, so only this test starts it).
    const scheduled = async () =>
      (
        await insertDelivery(db, {
          channelId: ch.id,
          title: '競合',
          messages: [text()],
          audience,
          isTest: false,
          status: 'scheduled',
          scheduledAt: new Date(Date.now() - 1),
          recurrence: null,
          seriesId: null,
          createdBy: null,
        })
      ).id;
    let cancelWins = 0;
    let startWins = 0;
    for (let i = 0; i < 20; i++) {
      const id = await scheduled();
      const [, cancelled] = await Promise.all([
        startDueDelivery(db, w.server.config.PUBLIC_URL),
        i % 2 === 0 ? cancelEditable(db, id) : admin.request('POST', `/api/deliveries/${id}/cancel`),
      ]);
      const ok = cancelled !== undefined && (!(cancelled instanceof Response) || cancelled.status === 200);
      const row = (await findDelivery(db, id))!;
      const rowBatches = await batches(id);
      if (ok) {
        cancelWins++;
        expect(row.status).toBe('cancelled');
        expect(row.started_at).toBeNull();
        expect(rowBatches).toEqual([]);
      } else {
        startWins++;
        expect(['sending', 'sent']).toContain(row.status);
        expect(row.cancelled_at).toBeNull();
        if (cancelled instanceof Response) expect(cancelled.status).toBe(409);
      }
    }
    expect(cancelWins + startWins).toBe(20);

    // Forced: the start holds the row (resolving), the cancel waits for it and loses.
    const a = await scheduled();
    let cancelAnswer: Response | undefined;
    await db.transaction().execute(async (trx) => {
      const row = await lockDueDelivery(trx);
      expect(row?.id).toBe(a);
      const pending = admin.request('POST', `/api/deliveries/${a}/cancel`).then((r) => {
        cancelAnswer = r;
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(cancelAnswer).toBeUndefined(); // blocked on the row lock
      const q = await audienceQuery(trx, ch.id, await audienceTree(trx, ch.id, row!.audience as never));
      await markSending(trx, a, await insertBatches(trx, a, q), []);
      void pending;
    });
    await waitFor(
      async () => cancelAnswer,
      (r) => r !== undefined,
    );
    expect(cancelAnswer!.status).toBe(409);
    expect(((await cancelAnswer!.json()) as { code: string }).code).toBe('DELIVERY_STARTED');

    // Forced the other way: the cancel commits first; the start finds nothing due.
    const b = await scheduled();
    expect((await admin.request('POST', `/api/deliveries/${b}/cancel`)).status).toBe(200);
    const started = await startDueDelivery(db, w.server.config.PUBLIC_URL);
    expect(started).not.toBe(b);
    expect((await findDelivery(db, b))!.status).toBe('cancelled');
  });
});

describe('recurring delivery (G-08)', () => {
  it('G-08: a weekly series is scheduled at its next occurrence; each occurrence is a child row that is sent', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 3);
    const recurrence: Recurrence = {
      kind: 'weekly',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      time: '07:30',
      from: '2026-01-01',
      except: ['2099-12-31'],
    };
    const before = new Date();
    const r = await create({
      channelId: ch.id,
      title: '毎朝のお知らせ',
      messages: [text('おはようございます')],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
      recurrence,
    });
    expect(r.status).toBe(201);
    const series = r.body;
    expect(series).toMatchObject({ status: 'scheduled', recurrence, seriesId: null });
    expect([
      nextOccurrence(recurrence, before)!.getTime(),
      nextOccurrence(recurrence, new Date())!.getTime(),
    ]).toContain(new Date(series.scheduledAt!).getTime());

    // The occurrence comes due (time travel by moving the series' next occurrence into the past).
    const due = new Date(Date.now() - 60_000);
    await w.server.db
      .updateTable('deliveries')
      .set({ scheduled_at: due })
      .where('id', '=', series.id)
      .execute();
    await jobs.send(DELIVERY_RUN_JOB, {});
    const children = await waitFor(
      async () =>
        (await (
          await admin.request('GET', `/api/deliveries?seriesId=${series.id}`)
        ).json()) as DeliveryView[],
      (list) => list.length === 1 && list[0]!.status === 'sent',
    );
    expect(children[0]).toMatchObject({
      seriesId: series.id,
      title: '毎朝のお知らせ',
      recurrence: null,
      recipients: 3,
      sent: 3,
    });
    expect(new Date(children[0]!.scheduledAt!).getTime()).toBe(due.getTime());
    expect(await receivedBy(w, ch, users)).toEqual([1, 1, 1]);
    const moved = await get(series.id);
    expect(moved.status).toBe('scheduled');
    expect(new Date(moved.scheduledAt!).getTime()).toBe(nextOccurrence(recurrence, new Date())!.getTime());

    // Running again creates no second child for the same occurrence.
    expect(await expandDueSeries(w.server.db)).toBeUndefined();
    // Cancelling the series ends it.
    expect(
      ((await (await admin.request('POST', `/api/deliveries/${series.id}/cancel`)).json()) as DeliveryView)
        .status,
    ).toBe('cancelled');
  });

  it('G-08: a series whose last occurrence has passed ends; the occurrences list previews upcoming dates', async () => {
    const ch = await addChannel(w);
    const yesterday = new Date(Date.now() - 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const recurrence: Recurrence = {
      kind: 'weekly',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      time: '23:59',
      from: yesterday,
      until: tomorrow,
    };
    const r = await create({
      channelId: ch.id,
      title: '最後の回',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
      recurrence,
    });
    expect(r.status).toBe(201);
    await w.server.db
      .updateTable('deliveries')
      .set({
        scheduled_at: new Date(Date.now() - 1000),
        recurrence: JSON.stringify({ ...recurrence, until: yesterday }),
      })
      .where('id', '=', r.body.id)
      .execute();
    // The runner (woken here; the server's own polls too) takes the due series: it ends.
    await jobs.send(DELIVERY_RUN_JOB, {});
    await waitFor(
      () => get(r.body.id),
      (d) => d.status === 'sent',
      { what: 'the series ended' },
    );
    expect(await expandDueSeries(w.server.db)).toBeUndefined();

    const preview = await admin.request('POST', '/api/deliveries/occurrences', {
      recurrence: {
        kind: 'monthly',
        rule: { type: 'monthEnd' },
        time: '18:00',
        from: '2027-01-01',
        until: '2027-04-30',
      },
      count: 10,
    });
    expect(((await preview.json()) as { occurrences: string[] }).occurrences).toEqual([
      '2027-01-31T09:00:00.000Z',
      '2027-02-28T09:00:00.000Z',
      '2027-03-31T09:00:00.000Z',
      '2027-04-30T09:00:00.000Z',
    ]);
  });
});

describe('test delivery (G-09)', () => {
  it('G-09: reaches only the test friends, or only the test channel, never production; the source is untouched', async () => {
    const prod = await addChannel(w);
    const [tester] = await addFriends(w, prod, 1, { isTest: true });
    const citizens = await addFriends(w, prod, 4);
    const testChannel = await addChannel(w, { environment: 'test' });
    const trainees = await addFriends(w, testChannel, 2);
    const draft = await create({
      channelId: prod.id,
      title: '防災訓練のお知らせ',
      messages: [text('防災訓練を行います')],
      audience: { kind: 'all' },
      schedule: { mode: 'draft' },
    });

    const toTesters = await admin.request('POST', `/api/deliveries/${draft.body.id}/test`, {});
    expect(toTesters.status).toBe(201);
    const t1 = (await toTesters.json()) as DeliveryView;
    expect(t1).toMatchObject({ isTest: true, channelId: prod.id, title: '【テスト】防災訓練のお知らせ' });
    expect(await untilDone(t1.id)).toMatchObject({ status: 'sent', recipients: 1, sent: 1 });
    expect(await receivedBy(w, prod, [tester!, ...citizens])).toEqual([1, 0, 0, 0, 0]);

    const toTestChannel = await admin.request('POST', `/api/deliveries/${draft.body.id}/test`, {
      channelId: testChannel.id,
    });
    expect(toTestChannel.status).toBe(201);
    const t2 = (await toTestChannel.json()) as DeliveryView;
    expect(t2).toMatchObject({ isTest: true, channelId: testChannel.id });
    expect(await untilDone(t2.id)).toMatchObject({ status: 'sent', recipients: 2 });
    expect(await receivedBy(w, testChannel, trainees)).toEqual([1, 1]);
    // Production saw only the first test (to its test friend), through its own channel.
    expect(await receivedBy(w, prod, [tester!, ...citizens])).toEqual([1, 0, 0, 0, 0]);
    expect((await multicastRequests(w, prod)).map((r) => r.body.to)).toEqual([[tester]]);

    // The source delivery is still a draft with nothing sent.
    expect(await get(draft.body.id)).toMatchObject({
      status: 'draft',
      sent: 0,
      recipients: null,
      isTest: false,
    });

    // A production channel is not a test channel; a channel without test friends has no test audience.
    const wrong = await admin.request('POST', `/api/deliveries/${draft.body.id}/test`, {
      channelId: prod.id,
    });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { code: string }).code).toBe('NOT_TEST_CHANNEL');
    const other = await addChannel(w);
    await addFriends(w, other, 2);
    const d2 = await create({
      channelId: other.id,
      title: 'x',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'draft' },
    });
    const empty = await admin.request('POST', `/api/deliveries/${d2.body.id}/test`);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: string }).code).toBe('NO_TEST_RECIPIENTS');
  });

  it('G-09: a test delivery row on a production channel reaches test friends only, whatever its audience', async () => {
    const prod = await addChannel(w);
    const [tester] = await addFriends(w, prod, 1, { isTest: true });
    const citizens = await addFriends(w, prod, 3);
    // A test row whose audience says "all" (as if tampered with): the resolver still narrows it.
    const row = await w.server.db
      .insertInto('deliveries')
      .values({
        channel_id: prod.id,
        title: 'テスト',
        messages: JSON.stringify([text('テスト')]),
        audience: JSON.stringify({ kind: 'all' }),
        is_test: true,
        status: 'scheduled',
        scheduled_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await jobs.send(DELIVERY_RUN_JOB, {});
    expect(await untilDone(row.id)).toMatchObject({ status: 'sent', recipients: 1 });
    expect(await receivedBy(w, prod, [tester!, ...citizens])).toEqual([1, 0, 0, 0]);
  });
});

describe("LINE's errors (G-12)", () => {
  it('G-12: 429 → waits (Retry-After) and retries with the same retry key; sent once', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 3);
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      channelId: ch.lineChannelId,
      status: 429,
      count: 2,
      retryAfter: 1,
    });
    const t0 = Date.now();
    const r = await create({
      channelId: ch.id,
      title: '429',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    const done = await untilDone(r.body.id);
    expect(done).toMatchObject({ status: 'sent', sent: 3, failed: 0 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_000);
    const [batch] = await batches(r.body.id);
    expect(batch).toMatchObject({ status: 'sent', attempts: 3, http_status: 200 });
    const requests = await multicastRequests(w, ch);
    expect(requests.map((q) => q.status)).toEqual([429, 429, 200]);
    expect(new Set(requests.map((q) => q.headers['x-line-retry-key']))).toEqual(new Set([batch!.retry_key]));
    expect(await receivedBy(w, ch, users)).toEqual([1, 1, 1]);
  });

  it('G-12: a 5xx after LINE accepted the request → retried with the same key → 409 counts as sent, once', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 4);
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      channelId: ch.lineChannelId,
      status: 500,
      when: 'after',
    });
    const r = await create({
      channelId: ch.id,
      title: '5xx',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    expect(await untilDone(r.body.id)).toMatchObject({ status: 'sent', sent: 4, failed: 0 });
    const [batch] = await batches(r.body.id);
    expect(batch).toMatchObject({ status: 'sent', attempts: 2, http_status: 409 });
    expect((await multicastRequests(w, ch)).map((q) => q.status)).toEqual([500, 409]);
    expect(await receivedBy(w, ch, users)).toEqual([1, 1, 1, 1]);
  });

  it('G-12: 5xx every time → failed after DELIVERY_MAX_ATTEMPTS tries with LINE’s error stored', async () => {
    const ch = await addChannel(w);
    const users = await addFriends(w, ch, 2);
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      channelId: ch.lineChannelId,
      status: 503,
      count: 100,
    });
    const r = await create({
      channelId: ch.id,
      title: '503',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    const done = await untilDone(r.body.id);
    expect(done).toMatchObject({ status: 'failed', sent: 0, failed: 2 });
    expect(done.error).toContain('503');
    const [batch] = await batches(r.body.id);
    expect(batch).toMatchObject({ status: 'failed', attempts: 3, http_status: 503 });
    expect(batch!.error).toBe('503 {"message":"Internal server error"}');
    expect(await receivedBy(w, ch, users)).toEqual([0, 0]);
    await w.sim$('DELETE', '/_sim/faults');
  });

  it('G-12: another 4xx → failed at once with LINE’s answer; other batches are still sent', async () => {
    const ch = await addChannel(w);
    await addFriends(w, ch, 700);
    await w.sim$('POST', '/_sim/faults', {
      path: '/v2/bot/message/multicast',
      channelId: ch.lineChannelId,
      status: 400,
      message: 'The request body has 1 error(s)',
    });
    const r = await create({
      channelId: ch.id,
      title: '400',
      messages: [text()],
      audience: { kind: 'all' },
      schedule: { mode: 'now' },
    });
    const done = await untilDone(r.body.id);
    expect(done).toMatchObject({ status: 'sent', recipients: 700, failed: expect.any(Number) });
    expect(done.sent + done.failed).toBe(700);
    expect([200, 500]).toContain(done.failed);
    expect(done.error).toContain('400');
    const failed = (await batches(r.body.id)).filter((b) => b.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      attempts: 1,
      http_status: 400,
      error: '400 {"message":"The request body has 1 error(s)"}',
    });
  });
});

describe('status values stay consistent', () => {
  it('every delivery of this file is in a final or an editable state, with counters that add up', async () => {
    const r = await sql<{ bad: number }>`
      select count(*)::int as bad from deliveries
      where status in ('sent', 'failed') and recipients is not null and sent + failed <> recipients`.execute(
      w.server.db,
    );
    expect(r.rows[0]!.bad).toBe(0);
  });
});
