import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineWorld, startLineWorld } from '../../testing/line-world.ts';
import { until } from '../../testing/wait-for.ts';
import type { FormView } from './forms.rules.ts';
import { addItem, getRegistrationForm } from './forms.service.ts';

// Citizens register and change their attributes from LINE (G-01 … G-03), against the LINE
// simulator: follow → greeting with the registration link → LIFF sign-in → GET/PUT.

let w: LineWorld;

beforeAll(async () => {
  w = await startLineWorld('2400000001');
});
afterAll(async () => w?.close());

interface Inbox {
  messages: {
    via: string;
    message: { type: string; altText?: string; template?: Record<string, unknown> };
  }[];
}

const newUser = async (displayName: string) =>
  (await w.sim$('POST', '/_sim/users', { displayName })) as { userId: string };

const inbox = async (userId: string) =>
  (await w.sim$('GET', `/_sim/users/${userId}/inbox?channelId=${w.line.channelId}`)) as unknown as Inbox;

/** Follows the channel and waits until the product has the friend. */
async function follow(userId: string) {
  await w.sim$('POST', `/_sim/users/${userId}/follow`, { channelId: w.line.channelId });
  await until('the friend', () =>
    w.server.db
      .selectFrom('friends')
      .select('id')
      .where('line_user_id', '=', userId)
      .where('status', '=', 'following')
      .executeTakeFirst(),
  );
}

/** A LIFF sign-in: the session cookie of a citizen page. */
async function signIn(userId: string) {
  const { idToken } = await w.idTokenFor(userId);
  const res = await fetch(`${w.server.url}/api/citizen/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken, channelId: w.channelId }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return {
    get: () => fetch(`${w.server.url}/api/citizen/registration`, { headers: { cookie } }),
    put: (body: unknown) =>
      fetch(`${w.server.url}/api/citizen/registration`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

let form: FormView;
const item = (key: string) => form.items.find((i) => i.key === key)!;
const choice = (key: string, label: string) => item(key).choices.find((c) => c.label === label)!.id;

describe('follow greeting (G-02)', () => {
  it('G-02: without a registration form the follow gets no registration greeting', async () => {
    const user = await newUser('早い 人');
    await follow(user.userId);
    await new Promise((r) => setTimeout(r, 200));
    expect((await inbox(user.userId)).messages).toEqual([]);
  });

  it('G-02: once the city has a form, the follow is answered with a button to the registration page', async () => {
    const empty = await getRegistrationForm(w.server.db, w.channelId);
    await addItem(w.server.db, empty.id, {
      type: 'birth_year',
      key: 'birth_year',
      label: '生年',
      required: true,
      help: '',
      config: { min: 1920 },
      choices: [],
    });
    await addItem(w.server.db, empty.id, {
      type: 'single',
      key: 'gender',
      label: '性別',
      required: false,
      help: '',
      config: {},
      choices: [{ label: '男性' }, { label: '女性' }, { label: '回答しない' }],
    });
    await addItem(w.server.db, empty.id, {
      type: 'area',
      key: 'area',
      label: '区・町丁',
      required: true,
      help: '',
      config: {},
      choices: [
        { label: '中央区', children: ['中央', '新町'] },
        { label: '美浜区', children: ['幕張西', '磯辺'] },
      ],
    });
    await addItem(w.server.db, empty.id, {
      type: 'multiple',
      key: 'topics',
      label: '受け取りたい情報',
      required: false,
      help: '',
      config: {},
      choices: [{ label: '防災' }, { label: '子育て' }, { label: '健康' }],
    });
    form = await addItem(w.server.db, empty.id, {
      type: 'textarea',
      key: 'memo',
      label: 'ご意見',
      required: false,
      help: '',
      config: { maxLength: 200 },
      choices: [],
    });

    const user = await newUser('新しい 友だち');
    await follow(user.userId);
    const received = await until('the greeting', async () => {
      const box = await inbox(user.userId);
      return box.messages.length > 0 ? box : null;
    });
    expect(received.messages).toHaveLength(1);
    const { via, message } = received.messages[0]!;
    expect(via).toBe('reply');
    expect(message).toMatchObject({
      type: 'template',
      template: {
        type: 'buttons',
        text: expect.stringContaining('受け取りたい情報を登録'),
        actions: [
          {
            type: 'uri',
            label: '受信設定を登録する',
            uri: `https://liff.line.me/${w.line.liffId}?page=register`,
          },
        ],
      },
    });
    // The link opens the citizen page (the LIFF endpoint) with page=register.
    const opened = (await w.sim$('POST', '/_sim/liff/open', {
      userId: user.userId,
      url: `https://liff.line.me/${w.line.liffId}?page=register`,
    })) as { url: string };
    const url = new URL(opened.url);
    expect(url.pathname).toBe('/citizen/');
    expect(url.searchParams.get('ch')).toBe(w.channelId);
    expect(url.searchParams.get('page')).toBe('register');
  });
});

describe('citizen registration (G-01, G-03)', () => {
  let userId: string;
  let citizen: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    userId = (await newUser('千葉 花子')).userId;
    await follow(userId);
    citizen = await signIn(userId);
  });

  it('G-01: the signed-in citizen reads the form (active items only) and is not registered yet', async () => {
    const res = await citizen.get();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ isFriend: true, registered: false, registeredAt: null, answers: {} });
    expect(body.form.items.map((i: { key: string }) => i.key)).toEqual([
      'birth_year',
      'gender',
      'area',
      'topics',
      'memo',
    ]);
    const area = body.form.items[2];
    expect(area.choices).toContainEqual({
      id: choice('area', '新町'),
      label: '新町',
      parentId: choice('area', '中央区'),
    });
    expect(body.form.items[0].config).toEqual({ min: 1920, max: expect.any(Number) });
    expect(body.form.items[0].config.max).toBeGreaterThanOrEqual(2025);
  });

  it('G-01: a full registration is saved; free text is sealed at rest', async () => {
    const answers = {
      birth_year: 1988,
      gender: choice('gender', '女性'),
      area: { ward: choice('area', '中央区'), town: choice('area', '新町') },
      topics: [choice('topics', '防災'), choice('topics', '子育て')],
      memo: '防災の情報がほしいです',
    };
    const res = await citizen.put({ answers });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ registered: true, answers });
    expect(body.registeredAt).toEqual(expect.any(String));
    const row = await w.server.db
      .selectFrom('form_responses')
      .selectAll()
      .where('form_id', '=', form.id)
      .executeTakeFirstOrThrow();
    expect(row.numbers).toEqual({ birth_year: 1988 });
    expect(row.choice_ids.map(String).sort()).toEqual(
      [answers.gender, answers.area.ward, answers.area.town, ...answers.topics].sort(),
    );
    expect(row.texts_enc).toBeInstanceOf(Buffer);
    expect(row.texts_enc!.toString('utf8')).not.toContain('防災');
  });

  it('G-03: a partial change touches only the items sent', async () => {
    const res = await citizen.put({
      answers: { area: { ward: choice('area', '美浜区'), town: choice('area', '磯辺') }, memo: null },
    });
    expect(res.status).toBe(200);
    const body = await (await citizen.get()).json();
    expect(body.answers).toEqual({
      birth_year: 1988,
      gender: choice('gender', '女性'),
      area: { ward: choice('area', '美浜区'), town: choice('area', '磯辺') },
      topics: [choice('topics', '防災'), choice('topics', '子育て')],
    });
    expect(new Date(body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(body.registeredAt).getTime());
  });

  it('bad input: invalid choice, town not in ward, out of range, unknown item, malformed body — nothing changes', async () => {
    const before = await (await citizen.get()).json();
    const expectError = async (body: unknown, code: string, detailCode?: string) => {
      const res = await citizen.put(body);
      expect(res.status).toBe(400);
      const error = await res.json();
      expect(error.code).toBe(code);
      if (detailCode) expect(error.details[0].code).toBe(detailCode);
      return error;
    };
    const wrong = await expectError(
      { answers: { area: { ward: choice('area', '中央区'), town: choice('area', '磯辺') } } },
      'FORM_ANSWER_INVALID',
      'FORM_TOWN_NOT_IN_WARD',
    );
    expect(wrong).toMatchObject({
      message: '選んだ町丁は「中央区」にありません',
      details: [{ path: 'answers.area', code: 'FORM_TOWN_NOT_IN_WARD' }],
    });
    await expectError(
      { answers: { gender: choice('topics', '防災') } },
      'FORM_ANSWER_INVALID',
      'FORM_CHOICE_INVALID',
    );
    await expectError({ answers: { gender: '99999' } }, 'FORM_ANSWER_INVALID', 'FORM_CHOICE_INVALID');
    await expectError({ answers: { birth_year: 1800 } }, 'FORM_ANSWER_INVALID', 'FORM_BIRTH_YEAR_RANGE');
    await expectError({ answers: { nope: 'x' } }, 'FORM_ANSWER_INVALID', 'FORM_ITEM_UNKNOWN');
    await expectError({ answers: { memo: 'あ'.repeat(201) } }, 'FORM_ANSWER_INVALID', 'FORM_TEXT_TOO_LONG');
    const malformed = await expectError({ answers: { birth_year: true } }, 'VALIDATION_FAILED');
    expect(malformed.details.length).toBeGreaterThan(0);
    const two = await expectError({ answers: { birth_year: null, gender: '99999' } }, 'FORM_ANSWER_INVALID');
    expect(two.message).toBe('入力内容を確認してください（2 件）');
    await expectError({ answer: {} }, 'VALIDATION_FAILED');
    expect((await (await citizen.get()).json()).answers).toEqual(before.answers);
  });

  it('bad input: without a LIFF session the registration is refused (401)', async () => {
    expect((await fetch(`${w.server.url}/api/citizen/registration`)).status).toBe(401);
    const res = await fetch(`${w.server.url}/api/citizen/registration`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: 'madoguchi_citizen=forged' },
      body: JSON.stringify({ answers: {} }),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('CITIZEN_UNAUTHENTICATED');
  });

  it('G-02: a LINE user who is not a friend sees the form but cannot save', async () => {
    const stranger = await newUser('まだ 友だちでない');
    const c = await signIn(stranger.userId);
    expect(await (await c.get()).json()).toMatchObject({ isFriend: false, registered: false });
    const res = await c.put({ answers: { birth_year: 1990 } });
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('NOT_A_FRIEND');
  });

  it('G-02: a registered friend who comes back is offered to check their settings', async () => {
    await w.sim$('POST', `/_sim/users/${userId}/unfollow`, { channelId: w.line.channelId });
    await until('the block', () =>
      w.server.db
        .selectFrom('friends')
        .select('id')
        .where('line_user_id', '=', userId)
        .where('status', '=', 'blocked')
        .executeTakeFirst(),
    );
    await follow(userId);
    const box = await until('the welcome back', async () => {
      const b = await inbox(userId);
      return b.messages.length >= 2 ? b : null;
    });
    expect(box.messages.at(-1)!.message.template).toMatchObject({
      text: expect.stringContaining('おかえりなさい'),
      actions: [{ label: '登録内容を確認する', uri: `https://liff.line.me/${w.line.liffId}?page=register` }],
    });
  });
});
