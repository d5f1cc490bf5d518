import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCipher } from '../../platform/crypto.ts';
import { readXlsx, xlsxSheetXml } from '../../platform/http/xlsx.testing.ts';
import {
  createStaff,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
} from '../../testing/test-server.ts';
import { createChannelsService } from '../channels/channels.service.ts';
import type { FormView } from './forms.rules.ts';
import { readRegistration, saveRegistration } from './forms.service.ts';

// The registration form designer over real HTTP on a real PostgreSQL (G-01, G-11), and the
// attribute export (D-08).

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let channelId: string;
const cipher = createCipher(TEST_ENCRYPTION_KEY);

beforeAll(async () => {
  server = await startTestServer();
  const channels = createChannelsService({ db: server.db, cipher, publicUrl: server.url });
  channelId = (
    await channels.create({
      name: 'テスト市',
      lineChannelId: '2300000001',
      channelSecret: 'secret',
      accessToken: 'token',
      environment: 'production',
    })
  ).id;
  admin = await staffClient(server, (await createStaff(server.db, 'admin')).loginId);
});
afterAll(async () => server?.close());

async function json<T = FormView>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = await r.json();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(body)}`);
  return body as T;
}

const registration = () => json(admin.request('GET', `/api/forms/registration?channelId=${channelId}`));
const byKey = (form: FormView, key: string) => form.items.find((i) => i.key === key)!;

async function friend(lineUserId: string, at = new Date('2026-01-05T01:00:00Z')) {
  const { id } = await server.db
    .insertInto('friends')
    .values({
      channel_id: channelId,
      line_user_id: lineUserId,
      status: 'following',
      status_changed_at: new Date(),
      first_followed_at: at,
      followed_at: at,
      follow_count: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

describe('registration form designer (G-01, G-11)', () => {
  let form: FormView;

  it('G-01: the channel gets an empty registration form on first use, the same one afterwards', async () => {
    form = await registration();
    expect(form).toMatchObject({ channelId, purpose: 'registration', title: '受信設定', items: [] });
    expect((await registration()).id).toBe(form.id);
  });

  it('G-01: staff add items of every type, with choices and an area tree', async () => {
    const add = (body: unknown) => json(admin.request('POST', `/api/forms/${form.id}/items`, body), 201);
    await add({
      type: 'birth_year',
      key: 'birth_year',
      label: '生年',
      required: true,
      config: { min: 1920 },
    });
    await add({
      type: 'single',
      key: 'gender',
      label: '性別',
      help: '答えたくない場合は「回答しない」を選んでください',
      choices: [{ label: '男性' }, { label: '女性' }, { label: '回答しない' }],
    });
    await add({
      type: 'area',
      key: 'area',
      label: '区・町丁',
      required: true,
      choices: [
        { label: '中央区', children: ['中央', '新町'] },
        { label: '美浜区', children: ['幕張西'] },
      ],
    });
    await add({
      type: 'multiple',
      key: 'topics',
      label: '受け取りたい情報',
      choices: [{ label: '防災' }, { label: '子育て' }],
    });
    await add({ type: 'select', key: 'contact', label: '連絡方法', choices: [{ label: 'LINE' }] });
    await add({ type: 'text', key: 'nickname', label: 'ニックネーム', config: { maxLength: 20 } });
    form = await add({ type: 'textarea', label: 'ご意見' });

    expect(form.items.map((i) => [i.key, i.type, i.position])).toEqual([
      ['birth_year', 'birth_year', 1],
      ['gender', 'single', 2],
      ['area', 'area', 3],
      ['topics', 'multiple', 4],
      ['contact', 'select', 5],
      ['nickname', 'text', 6],
      [expect.stringMatching(/^q_[0-9a-f]{8}$/), 'textarea', 7],
    ]);
    const area = byKey(form, 'area');
    const chuo = area.choices.find((c) => c.label === '中央区')!;
    expect(area.choices.map((c) => [c.label, c.parentId === null ? null : 'ward'])).toEqual([
      ['中央区', null],
      ['中央', 'ward'],
      ['新町', 'ward'],
      ['美浜区', null],
      ['幕張西', 'ward'],
    ]);
    expect(area.choices.filter((c) => c.parentId === chuo.id).map((c) => c.label)).toEqual(['中央', '新町']);
    expect(byKey(form, 'gender')).toMatchObject({
      required: false,
      help: '答えたくない場合は「回答しない」を選んでください',
      retired: false,
    });
    expect(byKey(form, 'birth_year').config).toEqual({ min: 1920 });
  });

  it('G-11: staff rename items, toggle required, change help; every change is audited', async () => {
    const gender = byKey(form, 'gender');
    form = await json(
      admin.request('PATCH', `/api/forms/${form.id}/items/${gender.id}`, {
        label: '性別（任意）',
        required: true,
        help: '',
      }),
    );
    expect(byKey(form, 'gender')).toMatchObject({ label: '性別（任意）', required: true, help: '' });
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'result'])
      .where('action', 'like', 'form.%')
      .execute();
    expect(audit).toContainEqual({
      action: 'form.item.update',
      target_type: 'form',
      target_id: form.id,
      result: 'success',
    });
    expect(audit.filter((a) => a.action === 'form.item.create')).toHaveLength(7);
  });

  it('G-11: items are reordered; the order must name every item once', async () => {
    const ids = form.items.map((i) => i.id);
    const reversed = [...ids].reverse();
    form = await json(admin.request('PUT', `/api/forms/${form.id}/items/order`, { itemIds: reversed }));
    expect(form.items.map((i) => i.id)).toEqual(reversed);
    expect(form.items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const missing = await json<{ code: string }>(
      admin.request('PUT', `/api/forms/${form.id}/items/order`, { itemIds: reversed.slice(1) }),
      400,
    );
    expect(missing.code).toBe('FORM_ORDER_INVALID');
    const twice = await admin.request('PUT', `/api/forms/${form.id}/items/order`, {
      itemIds: [reversed[0], ...reversed.slice(0, -1)],
    });
    expect(twice.status).toBe(400);
    form = await json(admin.request('PUT', `/api/forms/${form.id}/items/order`, { itemIds: ids }));
    expect(form.items.map((i) => i.key).slice(0, 2)).toEqual(['birth_year', 'gender']);
  });

  it('G-11: choices are added, renamed, reordered; towns go under a ward', async () => {
    const topics = byKey(form, 'topics');
    form = await json(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices`, { labels: ['健康', '福祉'] }),
      201,
    );
    const labels = () => byKey(form, 'topics').choices.map((c) => c.label);
    expect(labels()).toEqual(['防災', '子育て', '健康', '福祉']);
    const [bosai, kosodate, kenko, fukushi] = byKey(form, 'topics').choices.map((c) => c.id);
    form = await json(
      admin.request('PATCH', `/api/forms/${form.id}/items/${topics.id}/choices/${kosodate}`, {
        label: '子育て・教育',
      }),
    );
    form = await json(
      admin.request('PUT', `/api/forms/${form.id}/items/${topics.id}/choices/order`, {
        choiceIds: [kenko, bosai, fukushi, kosodate],
      }),
    );
    expect(labels()).toEqual(['健康', '防災', '福祉', '子育て・教育']);

    const area = byKey(form, 'area');
    const mihama = area.choices.find((c) => c.label === '美浜区')!;
    form = await json(
      admin.request('POST', `/api/forms/${form.id}/items/${area.id}/choices`, {
        labels: ['磯辺', '高洲'],
        parentId: mihama.id,
      }),
      201,
    );
    const towns = byKey(form, 'area').choices.filter((c) => c.parentId === mihama.id);
    expect(towns.map((c) => c.label)).toEqual(['幕張西', '磯辺', '高洲']);
    // Towns are ordered among their siblings only.
    const wards = byKey(form, 'area').choices.filter((c) => c.parentId === null);
    const mixed = await json<{ code: string }>(
      admin.request('PUT', `/api/forms/${form.id}/items/${area.id}/choices/order`, {
        choiceIds: [...towns.map((c) => c.id), wards[0]!.id],
      }),
      400,
    );
    expect(mixed.code).toBe('FORM_ORDER_INVALID');
    const underTown = await json<{ code: string }>(
      admin.request('POST', `/api/forms/${form.id}/items/${area.id}/choices`, {
        labels: ['一丁目'],
        parentId: towns[0]!.id,
      }),
      400,
    );
    expect(underTown.code).toBe('FORM_CHOICE_PARENT_INVALID');
    const townsOnSingle = await json<{ code: string }>(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices`, {
        labels: ['x'],
        parentId: bosai,
      }),
      400,
    );
    expect(townsOnSingle.code).toBe('FORM_CHOICES_NOT_ALLOWED');
  });

  it('G-11: retiring an item or a choice keeps the answers given before readable; both can be restored', async () => {
    const friendId = await friend('U00000000000000000000000000000001');
    const gender = byKey(form, 'gender');
    const topics = byKey(form, 'topics');
    const area = byKey(form, 'area');
    const chuo = area.choices.find((c) => c.label === '中央区')!;
    const shinmachi = area.choices.find((c) => c.label === '新町')!;
    const woman = gender.choices.find((c) => c.label === '女性')!;
    const bosai = topics.choices.find((c) => c.label === '防災')!;
    const fukushi = topics.choices.find((c) => c.label === '福祉')!;
    await saveRegistration(server.db, cipher, channelId, 'U00000000000000000000000000000001', {
      birth_year: 1985,
      gender: woman.id,
      area: { ward: chuo.id, town: shinmachi.id },
      topics: [bosai.id, fukushi.id],
      nickname: 'はなこ',
    });

    form = await json(admin.request('POST', `/api/forms/${form.id}/items/${gender.id}/retire`));
    form = await json(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices/${fukushi.id}/retire`),
    );
    form = await json(
      admin.request('POST', `/api/forms/${form.id}/items/${area.id}/choices/${shinmachi.id}/retire`),
    );
    expect(byKey(form, 'gender').retired).toBe(true);
    expect(byKey(form, 'topics').choices.find((c) => c.id === fukushi.id)!.retired).toBe(true);

    // The answers are still there, in the stored row and in the export.
    const row = await server.db
      .selectFrom('form_responses')
      .select('choice_ids')
      .where('friend_id', '=', friendId)
      .executeTakeFirstOrThrow();
    expect(row.choice_ids.map(String)).toEqual(expect.arrayContaining([woman.id, fukushi.id, shinmachi.id]));
    const csv = await (
      await admin.request('GET', `/api/friends/attributes.csv?channelId=${channelId}`)
    ).text();
    const [header, line] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toContain('性別（任意）（廃止）');
    expect(line).toContain('女性');
    expect(line).toContain('防災、福祉');
    expect(line).toContain('中央区 新町');

    // The citizen's own view hides what was retired; re-sending what they hold is accepted.
    const view = await readRegistration(server.db, cipher, channelId, 'U00000000000000000000000000000001');
    expect(view.form!.items.map((i) => i.key)).not.toContain('gender');
    expect(view.form!.items.find((i) => i.key === 'topics')!.choices.map((c) => c.label)).not.toContain(
      '福祉',
    );
    expect(view.answers).toMatchObject({
      topics: [bosai.id, fukushi.id],
      area: { ward: chuo.id, town: shinmachi.id },
    });
    const again = await saveRegistration(server.db, cipher, channelId, 'U00000000000000000000000000000001', {
      topics: view.answers.topics!,
    });
    expect(again.answers.topics).toEqual([bosai.id, fukushi.id]);

    form = await json(admin.request('POST', `/api/forms/${form.id}/items/${gender.id}/restore`));
    form = await json(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices/${fukushi.id}/restore`),
    );
    expect(byKey(form, 'gender').retired).toBe(false);
    expect(byKey(form, 'topics').choices.find((c) => c.id === fukushi.id)!.retired).toBe(false);
    const restored = await readRegistration(
      server.db,
      cipher,
      channelId,
      'U00000000000000000000000000000001',
    );
    expect(restored.answers.gender).toBe(woman.id);
  });

  it('bad input: unknown type, a survey-only type, empty label, wrong settings, choices where none belong, duplicate key', async () => {
    const post = (body: unknown) => admin.request('POST', `/api/forms/${form.id}/items`, body);
    const unknownType = await json<{ code: string; details: { path: string }[] }>(
      post({ type: 'calendar', label: '日付' }),
      400,
    );
    expect(unknownType.code).toBe('VALIDATION_FAILED');
    expect(unknownType.details[0]!.path).toBe('type');
    // A survey's item type is not one of the registration form's.
    const surveyType = await json<{ code: string }>(post({ type: 'date', label: '日付' }), 400);
    expect(surveyType.code).toBe('FORM_ITEM_TYPE_NOT_HERE');
    const emptyLabel = await json<{ code: string; details: { path: string; message: string }[] }>(
      post({ type: 'text', label: '   ' }),
      400,
    );
    expect(emptyLabel.details[0]).toMatchObject({ path: 'label', message: '入力してください' });
    expect(
      (await json<{ code: string }>(post({ type: 'single', label: 'x', config: { maxLength: 3 } }), 400))
        .code,
    ).toBe('FORM_CONFIG_INVALID');
    expect(
      (
        await json<{ code: string }>(
          post({ type: 'birth_year', label: 'x', config: { min: 2000, max: 1990 } }),
          400,
        )
      ).code,
    ).toBe('FORM_CONFIG_INVALID');
    expect(
      (await json<{ code: string }>(post({ type: 'text', label: 'x', choices: [{ label: 'a' }] }), 400)).code,
    ).toBe('FORM_CHOICES_NOT_ALLOWED');
    expect(
      (
        await json<{ code: string }>(
          post({ type: 'single', label: 'x', choices: [{ label: 'a', children: ['b'] }] }),
          400,
        )
      ).code,
    ).toBe('FORM_CHOICES_NOT_ALLOWED');
    expect((await json<{ code: string }>(post({ type: 'text', label: 'x', key: 'gender' }), 409)).code).toBe(
      'FORM_ITEM_KEY_TAKEN',
    );
    expect((await post({ type: 'text', label: 'x', key: 'Bad-Key' })).status).toBe(400);
    expect((await post({ type: 'text', label: '<b>x</b>' })).status).toBe(400);
    const gender = byKey(form, 'gender');
    expect((await admin.request('PATCH', `/api/forms/${form.id}/items/${gender.id}`, {})).status).toBe(400);
    expect(
      (await admin.request('PATCH', `/api/forms/${form.id}/items/${gender.id}`, { type: 'multiple' })).status,
    ).toBe(400);
    const choice = gender.choices[0]!;
    expect(
      (
        await admin.request('PATCH', `/api/forms/${form.id}/items/${gender.id}/choices/${choice.id}`, {
          label: '',
        })
      ).status,
    ).toBe(400);
    // Unknown or malformed IDs.
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(
      (await admin.request('POST', `/api/forms/${nobody}/items`, { type: 'text', label: 'x' })).status,
    ).toBe(404);
    expect((await admin.request('POST', `/api/forms/${form.id}/items/${nobody}/retire`)).status).toBe(404);
    expect(
      (await admin.request('POST', `/api/forms/${form.id}/items/${gender.id}/choices/999999/retire`)).status,
    ).toBe(404);
    expect(
      (await admin.request('POST', `/api/forms/${form.id}/items/${gender.id}/choices/abc/retire`)).status,
    ).toBe(400);
    expect((await admin.request('GET', `/api/forms/registration?channelId=${nobody}`)).status).toBe(404);
    expect((await admin.request('GET', '/api/forms/registration?channelId=x')).status).toBe(400);
  });

  it('bad input: too many choices in one item, too many items in one form', async () => {
    const topics = byKey(form, 'topics');
    const labels = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);
    const overRequest = await admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices`, {
      labels: labels(201, 'a'),
    });
    expect(overRequest.status).toBe(400);
    await json(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices`, { labels: labels(150, 'b') }),
      201,
    );
    const over = await json<{ code: string; message: string }>(
      admin.request('POST', `/api/forms/${form.id}/items/${topics.id}/choices`, { labels: labels(50, 'c') }),
      400,
    );
    expect(over).toMatchObject({
      code: 'FORM_TOO_MANY_CHOICES',
      message: expect.stringContaining('200個まで'),
    });

    const other = await json(
      admin.request('GET', `/api/forms/registration?channelId=${await otherChannel()}`),
    );
    for (let i = 0; i < 100; i++)
      await json(
        admin.request('POST', `/api/forms/${other.id}/items`, { type: 'text', label: `項目${i + 1}` }),
        201,
      );
    const tooMany = await json<{ code: string }>(
      admin.request('POST', `/api/forms/${other.id}/items`, { type: 'text', label: '101個目' }),
      400,
    );
    expect(tooMany.code).toBe('FORM_TOO_MANY_ITEMS');
  });

  it('wrong permission: staff without forms.manage cannot change the form (403, audited)', async () => {
    const general = await createStaff(server.db, 'general');
    const g = await staffClient(server, general.loginId, STRONG_PASSWORD);
    expect((await g.request('GET', `/api/forms/registration?channelId=${channelId}`)).status).toBe(403);
    const res = await g.request('POST', `/api/forms/${form.id}/items`, { type: 'text', label: 'x' });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('FORBIDDEN');
    expect((await g.request('GET', `/api/friends/attributes.csv?channelId=${channelId}`)).status).toBe(403);
    const denied = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('login_id', '=', general.loginId)
      .where('result', '=', 'failure')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });
});

describe('attribute export (D-08)', () => {
  it('D-08: CSV with BOM, one row per friend, follow state, registration and one column per item', async () => {
    await friend('U00000000000000000000000000000002', new Date('2026-01-06T03:30:00Z')); // not registered
    const res = await admin.request('GET', `/api/friends/attributes.csv?channelId=${channelId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="friend-attributes-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const form = await registration();
    expect(lines[0]!.split(',')).toEqual([
      '友だちID',
      '状態',
      'テスト友だち',
      '友だち追加日時',
      'ブロック日時',
      '登録状況',
      '登録日時',
      '更新日時',
      ...form.items.map((i) => (i.retired ? `${i.label}（廃止）` : i.label)),
    ]);
    expect(lines).toHaveLength(3);
    const [registered, unregistered] = lines.slice(1).map((l) => l.split(','));
    expect(registered!.slice(1, 6)).toEqual(['友だち', '', '2026-01-05 10:00:00', '', '登録済み']);
    expect(registered![8]).toBe('1985');
    expect(registered).toContain('はなこ');
    expect(unregistered!.slice(1, 8)).toEqual(['友だち', '', '2026-01-06 12:30:00', '', '未登録', '', '']);

    const audit = await server.db
      .selectFrom('audit_log')
      .select(['target_id', 'count'])
      .where('action', '=', 'friend.export')
      .where('result', '=', 'success')
      .execute();
    expect(audit).toContainEqual({ target_id: channelId, count: 2 });
  });

  it('D-08: the same data as an Excel file', async () => {
    const res = await admin.request('GET', `/api/friends/attributes.xlsx?channelId=${channelId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const file = Buffer.from(await res.arrayBuffer());
    const sheet = xlsxSheetXml(file);
    expect(sheet).toContain('<c r="A1" t="str"><v>友だちID</v></c>');
    expect(sheet.match(/<row /g)).toHaveLength(3);
    expect(sheet).toContain('<c r="I2"><v>1985</v></c>');
    const read = await readXlsx(file);
    expect(read.name).toBe('友だち属性');
    expect(read.rows[0]![0]).toBe('友だちID');
    expect(read.rows[1]![8]).toBe(1985);
  });

  it('D-08: a large export is streamed page by page: every friend once, in follow order, never-followed last', async () => {
    // 4,500 more friends (more than two pages of 2,000), 300 of them with no follow time.
    await sql`
      insert into friends (channel_id, line_user_id, status, status_changed_at, first_followed_at, followed_at)
      select ${channelId}::uuid, 'Ubulk' || lpad(n::text, 28, '0'), 'following', now(),
             case when n % 15 = 0 then null else timestamptz '2026-02-01' + n * interval '1 minute' end,
             case when n % 15 = 0 then null else timestamptz '2026-02-01' + n * interval '1 minute' end
      from generate_series(1, 4500) n
    `.execute(server.db);
    const res = await admin.request('GET', `/api/friends/attributes.csv?channelId=${channelId}`);
    expect(res.status).toBe(200);
    const rows = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const total = Number(
      (
        await server.db
          .selectFrom('friends')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('channel_id', '=', channelId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[0])).size).toBe(total);
    const followed = rows.map((r) => r[3]!);
    const firstEmpty = followed.indexOf('');
    expect(followed.slice(firstEmpty).every((f) => f === '')).toBe(true);
    expect(followed.slice(firstEmpty)).toHaveLength(300);
    const dated = followed.slice(0, firstEmpty);
    expect([...dated].sort()).toEqual(dated);
    const audit = await server.db
      .selectFrom('audit_log')
      .select('count')
      .where('action', '=', 'friend.export')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.count).toBe(total);
  });

  it('bad input: the channel is required and must exist', async () => {
    expect((await admin.request('GET', '/api/friends/attributes.csv')).status).toBe(400);
    expect(
      (
        await admin.request(
          'GET',
          '/api/friends/attributes.csv?channelId=00000000-0000-4000-8000-000000000000',
        )
      ).status,
    ).toBe(404);
  });
});

async function otherChannel() {
  const channels = createChannelsService({ db: server.db, cipher, publicUrl: server.url });
  return (
    await channels.create({
      name: '別の市',
      lineChannelId: '2300000009',
      channelSecret: 'secret2',
      accessToken: 'token2',
      environment: 'test',
    })
  ).id;
}
