import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsxSheetXml } from '../../platform/http/xlsx.testing.ts';
import {
  createStaff,
  insertTestChannel,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { rewriteLinks } from '../deliveries/links.ts';
import { type DeliveryMessage, toLineMessages } from '../deliveries/messages.schema.ts';

// Delivery analytics and friends over time (G-10, O-08, 002:5(1)⑦, 003:4.3(2)キ) against
// hand-inserted deliveries, batches, clicks, answers and friend events with exact expected numbers.

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let general: Awaited<ReturnType<typeof staffClient>>;
const ids = {} as Record<string, string>;

const at = (tokyo: string) => new Date(`${tokyo}+09:00`);

beforeAll(async () => {
  server = await startTestServer();
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
  general = await staffClient(server, (await createStaff(server.db, 'general')).loginId);
  const db = server.db;

  ids.a = (await insertTestChannel(server, { name: '千葉市', lineChannelId: '2000000001' })).id;
  ids.b = (await insertTestChannel(server, { name: '別の市', lineChannelId: '2000000002' })).id;

  // Friends of channel A: f4 blocked now; f5 and f6 have no follow event (imported before).
  for (const [key, status] of [
    ['f1', 'following'],
    ['f2', 'following'],
    ['f3', 'following'],
    ['f4', 'blocked'],
    ['f5', 'following'],
    ['f6', 'following'],
  ] as const) {
    ids[key] = (
      await db
        .insertInto('friends')
        .values({ channel_id: ids.a, line_user_id: `U${key}`, status, status_changed_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const fb = await db
    .insertInto('friends')
    .values({ channel_id: ids.b, line_user_id: 'Ub1', status: 'following', status_changed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();

  const events: [string, 'follow' | 'refollow' | 'unfollow', string, string][] = [
    [ids.a, 'follow', 'f1', '2026-03-30T10:00:00'],
    [ids.a, 'follow', 'f2', '2026-03-31T23:59:59'],
    [ids.a, 'follow', 'f3', '2026-04-01T00:00:00'],
    [ids.a, 'unfollow', 'f1', '2026-04-01T12:00:00'],
    [ids.a, 'refollow', 'f1', '2026-04-02T08:00:00'],
    [ids.a, 'unfollow', 'f4', '2026-04-02T09:00:00'],
    [ids.a, 'follow', 'f6', '2026-04-05T09:00:00'],
  ];
  for (const [channelId, kind, friend, time] of events) {
    await db
      .insertInto('friend_events')
      .values({ channel_id: channelId, friend_id: ids[friend] ?? '', kind, occurred_at: at(time) })
      .execute();
  }
  await db
    .insertInto('friend_events')
    .values({ channel_id: ids.b, friend_id: fb.id, kind: 'follow', occurred_at: at('2026-04-01T09:00:00') })
    .execute();

  // Registration form of channel A: 性別 (single, その他 retired), 関心 (multiple), 自由記述 (text).
  const form = await db
    .insertInto('forms')
    .values({ channel_id: ids.a, purpose: 'registration', title: '受信設定' })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.form = form.id;
  const item = async (
    formId: string,
    key: string,
    label: string,
    type: 'single' | 'multiple' | 'text',
    position: number,
  ) =>
    (
      await db
        .insertInto('form_items')
        .values({ form_id: formId, key, label, type, position })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  ids.gender = await item(form.id, 'gender', '性別', 'single', 0);
  ids.interest = await item(form.id, 'interest', '関心のある情報', 'multiple', 1);
  ids.note = await item(form.id, 'note', '自由記述', 'text', 2);
  const choice = async (itemId: string, label: string, position: number, retired = false) =>
    (
      await db
        .insertInto('form_choices')
        .values({ item_id: itemId, label, position, retired_at: retired ? new Date() : null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  ids.female = await choice(ids.gender, '女性', 0);
  ids.male = await choice(ids.gender, '男性', 1);
  ids.other = await choice(ids.gender, 'その他', 2, true);
  ids.bousai = await choice(ids.interest, '防災', 0);
  ids.kosodate = await choice(ids.interest, '子育て', 1);
  const answers: [string, string[]][] = [
    ['f1', [ids.female, ids.bousai]],
    ['f2', [ids.male, ids.bousai, ids.kosodate]],
    ['f3', [ids.female]],
    ['f5', [ids.other]],
    ['f6', [ids.kosodate]],
  ];
  for (const [friend, choiceIds] of answers) {
    await db
      .insertInto('form_responses')
      .values({ form_id: form.id, friend_id: ids[friend] ?? '', choice_ids: choiceIds as string[] })
      .execute();
  }
  const formB = await db
    .insertInto('forms')
    .values({ channel_id: ids.b, purpose: 'registration', title: '受信設定' })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.itemB = await item(formB.id, 'gender', '性別', 'single', 0);

  const delivery = async (d: {
    channel: string;
    title: string;
    status: 'draft' | 'sent';
    startedAt?: string;
    recipients?: number;
    sent?: number;
    failed?: number;
    isTest?: boolean;
  }) =>
    (
      await db
        .insertInto('deliveries')
        .values({
          channel_id: d.channel,
          title: d.title,
          messages: '[]',
          audience: '{"kind":"all"}',
          status: d.status,
          is_test: d.isTest ?? false,
          started_at: d.startedAt ? at(d.startedAt) : null,
          finished_at: d.startedAt ? at(d.startedAt) : null,
          recipients: d.recipients ?? null,
          sent: d.sent ?? 0,
          failed: d.failed ?? 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  ids.d1 = await delivery({
    channel: ids.a,
    title: '=防災訓練のお知らせ',
    status: 'sent',
    startedAt: '2026-03-31T23:30:00',
    recipients: 5,
    sent: 4,
    failed: 1,
  });
  ids.d2 = await delivery({
    channel: ids.a,
    title: '子育て支援',
    status: 'sent',
    startedAt: '2026-04-01T00:00:00',
    recipients: 3,
    sent: 3,
  });
  ids.d3 = await delivery({
    channel: ids.a,
    title: 'テスト配信',
    status: 'sent',
    startedAt: '2026-04-01T10:00:00',
    recipients: 1,
    sent: 1,
    isTest: true,
  });
  ids.d4 = await delivery({ channel: ids.a, title: '下書き', status: 'draft' });
  ids.d5 = await delivery({
    channel: ids.b,
    title: '別の市の配信',
    status: 'sent',
    startedAt: '2026-04-01T09:00:00',
    recipients: 1,
    sent: 1,
  });

  const batch = (deliveryId: string, no: number, status: 'sent' | 'failed', friends: string[]) =>
    db
      .insertInto('delivery_batches')
      .values({
        delivery_id: deliveryId,
        batch_no: no,
        retry_key: randomUUID(),
        friend_ids: friends.map((f) => ids[f] ?? ''),
        user_ids: friends.map((f) => `U${f}`),
        status,
      })
      .execute();
  await batch(ids.d1, 0, 'sent', ['f1', 'f2', 'f3', 'f4']);
  await batch(ids.d1, 1, 'failed', ['f5']);
  await batch(ids.d2, 0, 'sent', ['f2', 'f3', 'f6']);

  const link = async (deliveryId: string, position: number, url: string, clicks: string[]) => {
    const l = await db
      .insertInto('delivery_links')
      .values({ delivery_id: deliveryId, position, url, token: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const c of clicks) {
      await db
        .insertInto('delivery_clicks')
        .values({ link_id: l.id, clicked_at: at(c) })
        .execute();
    }
  };
  await link(ids.d1, 0, 'https://city.example.jp/bousai', [
    '2026-04-01T00:10:00',
    '2026-04-01T09:05:00',
    '2026-04-02T09:30:00',
  ]);
  await link(ids.d1, 1, 'https://city.example.jp/map', []);
  await link(ids.d2, 0, 'https://city.example.jp/kosodate', ['2026-04-01T08:00:00']);
  await link(ids.d3, 0, 'https://city.example.jp/test', ['2026-04-01T10:01:00']);
});

afterAll(async () => {
  await server?.close();
});

const get = async (path: string, client = admin) => {
  const res = await client.request('GET', path);
  // Keep a byte order mark (Response.text() would drop it).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  return { status: res.status, res, text, body: text.startsWith('{') ? JSON.parse(text) : null };
};

const counts = (deliveries: number, recipients: number, sent: number, failed: number, clicks: number) => ({
  deliveries,
  recipients,
  sent,
  failed,
  clicks,
});

describe('GET /api/analytics/deliveries (G-10)', () => {
  it('G-10: deliveries started in the Tokyo period with recipients, successes, failures and clicks; totals; per day and month', async () => {
    const { status, body } = await get(
      `/api/analytics/deliveries?channelId=${ids.a}&from=2026-03-31&to=2026-04-01`,
    );
    expect(status).toBe(200);
    expect(body.deliveries).toEqual([
      {
        id: ids.d1,
        channelId: ids.a,
        title: '=防災訓練のお知らせ',
        status: 'sent',
        isTest: false,
        scheduledAt: null,
        startedAt: '2026-03-31T14:30:00.000Z',
        finishedAt: '2026-03-31T14:30:00.000Z',
        date: '2026-03-31',
        time: '23:30',
        recipients: 5,
        sent: 4,
        failed: 1,
        links: 2,
        clickedLinks: 1,
        clicks: 3,
      },
      expect.objectContaining({
        id: ids.d2,
        date: '2026-04-01',
        time: '00:00',
        recipients: 3,
        sent: 3,
        failed: 0,
        links: 1,
        clickedLinks: 1,
        clicks: 1,
      }),
    ]);
    expect(body.totals).toEqual(counts(2, 8, 7, 1, 4));
    expect(body.byDay).toEqual([
      { date: '2026-03-31', ...counts(1, 5, 4, 1, 3) },
      { date: '2026-04-01', ...counts(1, 3, 3, 0, 1) },
    ]);
    expect(body.byMonth).toEqual([
      { month: '2026-03', ...counts(1, 5, 4, 1, 3) },
      { month: '2026-04', ...counts(1, 3, 3, 0, 1) },
    ]);
    expect(body.note).toContain('個人を特定する情報');
  });

  it('G-10: the period boundaries are Tokyo midnights; test deliveries only on request; other channels never', async () => {
    const april = await get(`/api/analytics/deliveries?channelId=${ids.a}&from=2026-04-01&to=2026-04-30`);
    expect(april.body.deliveries.map((d: { id: string }) => d.id)).toEqual([ids.d2]);
    expect(april.body.byDay).toHaveLength(30);
    expect(april.body.byMonth).toEqual([{ month: '2026-04', ...counts(1, 3, 3, 0, 1) }]);

    const withTests = await get(
      `/api/analytics/deliveries?channelId=${ids.a}&from=2026-04-01&to=2026-04-01&includeTest=true`,
    );
    expect(withTests.body.deliveries.map((d: { id: string; isTest: boolean }) => [d.id, d.isTest])).toEqual([
      [ids.d2, false],
      [ids.d3, true],
    ]);
    expect(withTests.body.totals).toEqual(counts(2, 4, 4, 0, 2));

    const march = await get(`/api/analytics/deliveries?channelId=${ids.a}&from=2026-03-01&to=2026-03-30`);
    expect(march.body.deliveries).toEqual([]);
    expect(march.body.totals).toEqual(counts(0, 0, 0, 0, 0));

    const b = await get(`/api/analytics/deliveries?channelId=${ids.b}&from=2026-03-01&to=2026-04-30`);
    expect(b.body.deliveries.map((d: { id: string }) => d.id)).toEqual([ids.d5]);
  });

  it('G-10: CSV (UTF-8 with BOM, Japanese headers, formula-safe) and Excel exports, audited', async () => {
    const csv = await get(`/api/analytics/deliveries.csv?channelId=${ids.a}&from=2026-03-31&to=2026-04-01`);
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.res.headers.get('content-disposition')).toBe(
      'attachment; filename="deliveries-2026-03-31-2026-04-01.csv"',
    );
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF配信ID,タイトル,配信日,配信時刻,状態,テスト配信,配信対象者数,配信成功数,配信失敗数,リンク数,クリックされたリンク数,リンククリック数',
    );
    expect(lines[1]).toBe(`${ids.d1},'=防災訓練のお知らせ,2026-03-31,23:30,配信済み,いいえ,5,4,1,2,1,3`);
    expect(lines[2]).toBe(`${ids.d2},子育て支援,2026-04-01,00:00,配信済み,いいえ,3,3,0,1,1,1`);
    expect(lines).toHaveLength(4);

    const xlsx = await admin.request(
      'GET',
      `/api/analytics/deliveries.xlsx?channelId=${ids.a}&from=2026-03-31&to=2026-04-01`,
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const sheet = xlsxSheetXml(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet).toContain('配信成功数');
    expect(sheet).toContain('=防災訓練のお知らせ');
    expect(sheet).not.toContain('<f>');

    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'count'])
      .where('action', '=', 'analytics.export')
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'analytics.export', target_type: 'channel', target_id: ids.a, count: 2 },
      ]),
    );
    expect(audit).toHaveLength(2);
  });
});

describe('GET /api/analytics/deliveries/:id (G-10)', () => {
  it('G-10: clicks per link, per Tokyo day and per hour', async () => {
    const { status, body } = await get(`/api/analytics/deliveries/${ids.d1}`);
    expect(status).toBe(200);
    expect(body.delivery).toMatchObject({ id: ids.d1, recipients: 5, sent: 4, failed: 1, clicks: 3 });
    expect(body.links).toEqual([
      {
        position: 0,
        url: 'https://city.example.jp/bousai',
        clicks: 3,
        message: null,
        kind: null,
        place: null,
      },
      { position: 1, url: 'https://city.example.jp/map', clicks: 0, message: null, kind: null, place: null },
    ]);
    expect(body.clicksByDay).toEqual([
      { date: '2026-03-31', clicks: 0 },
      { date: '2026-04-01', clicks: 2 },
      { date: '2026-04-02', clicks: 1 },
    ]);
    expect(body.clicksByHour).toHaveLength(24);
    expect(body.clicksByHour.filter((h: { clicks: number }) => h.clicks > 0)).toEqual([
      { hour: 0, clicks: 1 },
      { hour: 9, clicks: 2 },
    ]);
    expect(body.breakdown).toBeNull();
    expect(body.note).toContain('属性別のクリック数は集計できません');

    const draft = await get(`/api/analytics/deliveries/${ids.d4}`);
    expect(draft.body).toMatchObject({ links: [], clicksByDay: [], delivery: { date: null, recipients: 0 } });
  });

  it('G-10: recipients, successes and failures by the choices of a registration item, with 未回答 and retired choices', async () => {
    const gender = await get(`/api/analytics/deliveries/${ids.d1}?itemId=${ids.gender}`);
    expect(gender.status).toBe(200);
    expect(gender.body.breakdown.item).toEqual({
      id: ids.gender,
      label: '性別',
      type: 'single',
      retired: false,
    });
    expect(gender.body.breakdown.rows).toEqual([
      {
        choiceId: ids.female,
        label: '女性',
        parentId: null,
        retired: false,
        recipients: 2,
        sent: 2,
        failed: 0,
      },
      {
        choiceId: ids.male,
        label: '男性',
        parentId: null,
        retired: false,
        recipients: 1,
        sent: 1,
        failed: 0,
      },
      {
        choiceId: ids.other,
        label: 'その他',
        parentId: null,
        retired: true,
        recipients: 1,
        sent: 0,
        failed: 1,
      },
      { choiceId: null, label: '未回答', parentId: null, retired: false, recipients: 1, sent: 1, failed: 0 },
    ]);

    const interest = await get(`/api/analytics/deliveries/${ids.d1}?itemId=${ids.interest}`);
    expect(
      interest.body.breakdown.rows.map(
        (r: { label: string; recipients: number; sent: number; failed: number }) => [
          r.label,
          r.recipients,
          r.sent,
          r.failed,
        ],
      ),
    ).toEqual([
      ['防災', 2, 2, 0],
      ['子育て', 1, 1, 0],
      ['未回答', 3, 2, 1],
    ]);
    expect(interest.body.breakdown.note).toContain('それぞれの選択肢に数えています');

    const d2 = await get(`/api/analytics/deliveries/${ids.d2}?itemId=${ids.interest}`);
    expect(d2.body.breakdown.rows.map((r: { recipients: number }) => r.recipients)).toEqual([1, 2, 1]);
  });

  it('G-10: the delivery report as CSV and Excel, audited per delivery', async () => {
    const csv = await get(`/api/analytics/deliveries/${ids.d1}.csv?itemId=${ids.gender}`);
    expect(csv.status).toBe(200);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('\uFEFF区分,項目,配信対象者数,配信成功数,配信失敗数,リンククリック数');
    expect(lines).toContain("配信,'=防災訓練のお知らせ（2026-03-31 23:30）,5,4,1,3");
    expect(lines).toContain('リンク 1,https://city.example.jp/bousai,,,,3');
    expect(lines).toContain('リンク 2,https://city.example.jp/map,,,,0');
    expect(lines).toContain('日別クリック,2026-04-01,,,,2');
    expect(lines).toContain('時間帯別クリック,09時台,,,,2');
    expect(lines).toContain('属性: 性別,女性,2,2,0,');
    expect(lines).toContain('属性: 性別,その他（廃止）,1,0,1,');
    expect(lines).toContain('属性: 性別,未回答,1,1,0,');

    const xlsx = await admin.request('GET', `/api/analytics/deliveries/${ids.d1}.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsxSheetXml(Buffer.from(await xlsx.arrayBuffer()))).toContain('時間帯別クリック');

    const audit = await server.db
      .selectFrom('audit_log')
      .select(['target_type', 'target_id'])
      .where('action', '=', 'analytics.export')
      .where('target_type', '=', 'delivery')
      .execute();
    expect(audit).toEqual([
      { target_type: 'delivery', target_id: ids.d1 },
      { target_type: 'delivery', target_id: ids.d1 },
    ]);
  });
});

describe('GET /api/analytics/friends (O-08)', () => {
  it('O-08: follows, re-follows, blocks and friends at the end of each Tokyo day', async () => {
    const { status, body } = await get(
      `/api/analytics/friends?channelId=${ids.a}&from=2026-03-30&to=2026-04-02`,
    );
    expect(status).toBe(200);
    expect(body.series).toEqual([
      { date: '2026-03-30', follows: 1, refollows: 0, blocks: 0, friends: 3 },
      { date: '2026-03-31', follows: 1, refollows: 0, blocks: 0, friends: 4 },
      { date: '2026-04-01', follows: 1, refollows: 0, blocks: 1, friends: 4 },
      { date: '2026-04-02', follows: 0, refollows: 1, blocks: 1, friends: 4 },
    ]);
    expect(body.totals).toEqual({ follows: 3, refollows: 1, blocks: 2 });
    expect(body.followingNow).toBe(5);

    const later = await get(`/api/analytics/friends?channelId=${ids.a}&from=2026-04-04&to=2026-04-05`);
    expect(later.body.series).toEqual([
      { date: '2026-04-04', follows: 0, refollows: 0, blocks: 0, friends: 4 },
      { date: '2026-04-05', follows: 1, refollows: 0, blocks: 0, friends: 5 },
    ]);
  });

  it('O-08: CSV and Excel of friends over time', async () => {
    const csv = await get(`/api/analytics/friends.csv?channelId=${ids.a}&from=2026-03-30&to=2026-04-02`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')).toEqual([
      '\uFEFF日付,友だち追加,再追加（ブロック解除）,ブロック,友だち数（日末）',
      '2026-03-30,1,0,0,3',
      '2026-03-31,1,0,0,4',
      '2026-04-01,1,0,1,4',
      '2026-04-02,0,1,1,4',
      '',
    ]);
    const xlsx = await admin.request(
      'GET',
      `/api/analytics/friends.xlsx?channelId=${ids.a}&from=2026-03-30&to=2026-04-02`,
    );
    expect(xlsx.status).toBe(200);
    expect(xlsxSheetXml(Buffer.from(await xlsx.arrayBuffer()))).toContain('友だち数（日末）');
  });
});

describe('analytics: bad input and permissions', () => {
  it('G-10: bad dates, reversed or too long periods, unknown IDs and bad items are refused with codes', async () => {
    const cases: [string, number, string][] = [
      [
        `/api/analytics/deliveries?channelId=${ids.a}&from=2026-13-01&to=2026-04-01`,
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/api/analytics/deliveries?channelId=${ids.a}&from=2026-02-30&to=2026-04-01`,
        400,
        'VALIDATION_FAILED',
      ],
      [
        `/api/analytics/deliveries?channelId=${ids.a}&from=2026/04/01&to=2026-04-01`,
        400,
        'VALIDATION_FAILED',
      ],
      [`/api/analytics/deliveries?channelId=${ids.a}&to=2026-04-01`, 400, 'VALIDATION_FAILED'],
      ['/api/analytics/deliveries?from=2026-04-01&to=2026-04-01', 400, 'VALIDATION_FAILED'],
      [`/api/analytics/deliveries?channelId=${ids.a}&from=2026-04-02&to=2026-04-01`, 400, 'INVALID_PERIOD'],
      [`/api/analytics/deliveries?channelId=${ids.a}&from=2025-01-01&to=2026-01-02`, 400, 'PERIOD_TOO_LONG'],
      [
        `/api/analytics/deliveries?channelId=${ids.a}&from=2026-04-01&to=2026-04-01&includeTest=yes`,
        400,
        'VALIDATION_FAILED',
      ],
      [`/api/analytics/deliveries?channelId=${randomUUID()}&from=2026-04-01&to=2026-04-01`, 404, 'NOT_FOUND'],
      [
        `/api/analytics/deliveries.csv?channelId=${ids.a}&from=2026-04-02&to=2026-04-01`,
        400,
        'INVALID_PERIOD',
      ],
      [`/api/analytics/friends?channelId=${ids.a}&from=2026-04-02&to=2026-04-01`, 400, 'INVALID_PERIOD'],
      [
        `/api/analytics/friends.xlsx?channelId=${ids.a}&from=2024-01-01&to=2026-04-01`,
        400,
        'PERIOD_TOO_LONG',
      ],
      [`/api/analytics/friends?channelId=not-a-uuid&from=2026-04-01&to=2026-04-01`, 400, 'VALIDATION_FAILED'],
      [`/api/analytics/deliveries/${randomUUID()}`, 404, 'NOT_FOUND'],
      [`/api/analytics/deliveries/${randomUUID()}.csv`, 404, 'NOT_FOUND'],
      ['/api/analytics/deliveries/not-a-uuid', 400, 'VALIDATION_FAILED'],
      [`/api/analytics/deliveries/${ids.d1}?itemId=${ids.note}`, 400, 'ANALYTICS_ITEM_INVALID'],
      [`/api/analytics/deliveries/${ids.d1}?itemId=${ids.itemB}`, 400, 'ANALYTICS_ITEM_INVALID'],
      [`/api/analytics/deliveries/${ids.d1}?itemId=${randomUUID()}`, 400, 'ANALYTICS_ITEM_INVALID'],
      [`/api/analytics/deliveries/${ids.d1}?itemId=42`, 400, 'VALIDATION_FAILED'],
    ];
    for (const [path, status, code] of cases) {
      const r = await get(path);
      expect({ path, status: r.status, code: r.body?.code }).toEqual({ path, status, code });
    }
    // Exactly 366 days is allowed.
    expect(
      (await get(`/api/analytics/friends?channelId=${ids.a}&from=2025-04-01&to=2026-04-01`)).status,
    ).toBe(200);
  });

  it('G-10: analytics need analytics.view; signed-out requests are refused', async () => {
    for (const path of [
      `/api/analytics/deliveries?channelId=${ids.a}&from=2026-04-01&to=2026-04-01`,
      `/api/analytics/deliveries.csv?channelId=${ids.a}&from=2026-04-01&to=2026-04-01`,
      `/api/analytics/deliveries/${ids.d1}`,
      `/api/analytics/deliveries/${ids.d1}.xlsx`,
      `/api/analytics/friends?channelId=${ids.a}&from=2026-04-01&to=2026-04-01`,
      `/api/analytics/friends.csv?channelId=${ids.a}&from=2026-04-01&to=2026-04-01`,
    ]) {
      const denied = await get(path, general);
      expect({ path, status: denied.status, code: denied.body?.code }).toEqual({
        path,
        status: 403,
        code: 'FORBIDDEN',
      });
      const anonymous = await fetch(`${server.url}${path}`);
      expect(anonymous.status).toBe(401);
    }
  });
});

describe('OpenAPI', () => {
  it('G-10: the analytics and media routes are in the API document; the public image and redirect routes are not', async () => {
    const res = await fetch(`${server.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/analytics/deliveries',
        '/api/analytics/deliveries.csv',
        '/api/analytics/deliveries/{id}',
        '/api/analytics/friends.xlsx',
        '/api/media',
      ]),
    );
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/media') || p.startsWith('/r/'))).toEqual([]);
  });
});

describe('link positions (G-10, issue 9)', () => {
  it('G-10: the same URL as a text link and as a card button counts apart, each named by its place', async () => {
    const url = 'https://city.example.jp/event';
    const messages = [
      { type: 'text', text: `夏祭りのお知らせです。詳しくは ${url} をご覧ください。` },
      {
        type: 'flex',
        altText: '夏祭り',
        contents: {
          type: 'bubble',
          body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: '夏祭り' }] },
          footer: {
            type: 'box',
            layout: 'vertical',
            contents: [{ type: 'button', action: { type: 'uri', label: '詳しく見る', uri: url } }],
          },
        },
      },
    ];
    const { id } = await server.db
      .insertInto('deliveries')
      .values({
        channel_id: ids.a ?? '',
        title: '夏祭り',
        messages: JSON.stringify(messages),
        audience: '{"kind":"all"}',
        status: 'sent',
        started_at: new Date(),
        finished_at: new Date(),
        sent: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // What the sender does before sending: the links become counted redirects.
    const publicUrl = server.config.PUBLIC_URL;
    const sent = await rewriteLinks(
      server.db,
      id,
      toLineMessages(messages as DeliveryMessage[], publicUrl),
      publicUrl,
    );
    const textToken = /\/r\/([\w-]+)/.exec((sent[0] as { text: string }).text)?.[1];
    const buttonUri = (sent[1] as { contents: { footer: { contents: { action: { uri: string } }[] } } })
      .contents.footer.contents[0]?.action.uri;
    const buttonToken = /\/r\/([\w-]+)$/.exec(buttonUri ?? '')?.[1];
    expect(textToken).toBeTruthy();
    expect(buttonToken).toBeTruthy();
    expect(textToken).not.toBe(buttonToken);

    // Two taps on the text link, one on the button, through the public redirect.
    for (const token of [textToken, textToken, buttonToken]) {
      const res = await fetch(`${server.url}/r/${token}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(url);
    }

    const { status, body } = await get(`/api/analytics/deliveries/${id}`);
    expect(status).toBe(200);
    expect(body.links).toEqual([
      { position: 0, url, clicks: 2, message: 0, kind: 'text', place: 'メッセージ1 本文のリンク' },
      { position: 1, url, clicks: 1, message: 1, kind: 'button', place: 'メッセージ2 カードのボタン' },
    ]);
    const csv = await get(`/api/analytics/deliveries/${id}.csv`);
    const lines = csv.text.split('\r\n');
    expect(lines).toContain(`リンク 1（メッセージ1 本文のリンク）,${url},,,,2`);
    expect(lines).toContain(`リンク 2（メッセージ2 カードのボタン）,${url},,,,1`);
  });

  it('G-10: a malformed delivery ID is refused with 400', async () => {
    expect((await get('/api/analytics/deliveries/not-a-uuid')).status).toBe(400);
  });
});
