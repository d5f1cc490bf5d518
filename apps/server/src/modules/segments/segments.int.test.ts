import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.ts';
import { tokyoYear } from '../../platform/tokyo-time.ts';
import { sampleSegmentTree, seedFriendsWithAttributes } from '../../testing/seed-friends.ts';
import { createStaff, staffClient, startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { SegmentTree } from './segment.schema.ts';
import { audienceQuery, countAudience } from './segments.service.ts';

// Segment SQL against hand-computed sets over real PostgreSQL, and the segment HTTP API (G-04, O-09).

let server: TestServer;
let admin: Awaited<ReturnType<typeof staffClient>>;
let channelA: string;
let channelB: string;

const Y = tokyoYear(new Date());
const OLD_FOLLOW = new Date('2025-06-15T12:00:00+09:00');

type Fixture = {
  name: string;
  status?: 'following' | 'blocked';
  test?: boolean;
  followedAt?: Date;
  /** Registration answers; undefined = no response; {} = a response with no answers. */
  answers?: { gender?: string; area?: string[]; topics?: string[]; age?: number };
};

// Channel A's friends. Ages are this year's Tokyo year − birth year.
const FRIENDS: Fixture[] = [
  { name: 'a01', answers: { gender: 'F', area: ['W1', 'T1a'], topics: ['防災'], age: 25 } },
  { name: 'a02', answers: { gender: 'F', area: ['W1', 'T1b'], topics: ['防災', '子育て'], age: 34 } },
  { name: 'a03', answers: { gender: 'M', area: ['W1', 'T1a'], topics: ['子育て'], age: 35 } },
  { name: 'a04', answers: { gender: 'M', area: ['W2', 'T2a'], topics: ['健康'], age: 19 } },
  { name: 'a05', answers: { gender: 'F', area: ['W2', 'T2a'], topics: ['防災', '健康'], age: 20 } },
  { name: 'a06', answers: { gender: 'M', area: ['W2'], topics: [], age: 64 } }, // ward only
  { name: 'a07', answers: { gender: 'F', area: ['T1a'], topics: ['子育て', '健康'], age: 65 } }, // town only
  { name: 'a08', answers: { gender: 'M', area: ['W1', 'T1b'], topics: ['防災', '子育て', '健康'], age: 70 } },
  { name: 'a09', answers: {} }, // registered, nothing answered
  { name: 'a10', answers: { gender: 'F', topics: ['健康'], age: 45 } },
  { name: 'a11' }, // unregistered (answered a survey only)
  { name: 'a12' },
  { name: 'a13', test: true },
  { name: 'a14', test: true, answers: { gender: 'F', area: ['W1', 'T1a'], topics: ['防災'], age: 30 } },
  {
    name: 'a15',
    status: 'blocked',
    answers: { gender: 'F', area: ['W1', 'T1a'], topics: ['防災'], age: 30 },
  },
  { name: 'a16', status: 'blocked' },
  { name: 'a17', answers: { gender: 'M', area: ['W2', 'T2a'], topics: ['子育て'], age: 40 } },
  { name: 'a18', answers: { gender: 'F', area: ['W1', 'T1b'], topics: [], age: 50 } },
  { name: 'a19', followedAt: new Date('2026-03-01T00:00:00+09:00') },
  {
    name: 'a20',
    followedAt: new Date('2026-02-28T23:59:59+09:00'),
    answers: { gender: 'M', area: ['T2a'], topics: ['防災', '子育て'], age: 29 },
  },
  {
    name: 'a21',
    followedAt: new Date('2026-03-01T00:00:00+09:00'),
    answers: { gender: 'F', area: ['W1', 'T1a'], topics: ['健康', '防災'], age: 35 },
  },
  { name: 'a22', answers: { gender: 'X', area: ['W2', 'T2a'], topics: [], age: 55 } },
];
const FOLLOWING = FRIENDS.filter((f) => f.status !== 'blocked').map((f) => f.name);

/** Item and choice IDs of channel A's registration form. */
const ids = {
  form: '',
  gender: '',
  area: '',
  topics: '',
  birth: '',
  note: '',
  choice: {} as Record<string, string>,
};
let otherItem = '';
let otherChoice = '';

async function addItem(db: Db, formId: string, key: string, type: string, position: number) {
  const row = await db
    .insertInto('form_items')
    .values({ form_id: formId, key, label: key, type: type as 'single', position, config: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function addChoice(
  db: Db,
  itemId: string,
  label: string,
  position: number,
  parentId: string | null = null,
) {
  const row = await db
    .insertInto('form_choices')
    .values({ item_id: itemId, label, position, parent_id: parentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

async function createChannel(name: string, lineChannelId: string) {
  const res = await admin.request('POST', '/api/channels', {
    name,
    lineChannelId,
    channelSecret: 'secretsecret',
    accessToken: 'tokentoken',
    environment: 'production',
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function seedChannelA(db: Db) {
  const form = await db
    .insertInto('forms')
    .values({ channel_id: channelA, purpose: 'registration', title: '受信設定' })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids.form = form.id;
  ids.birth = await addItem(db, form.id, 'birth_year', 'birth_year', 1);
  ids.gender = await addItem(db, form.id, 'gender', 'single', 2);
  ids.area = await addItem(db, form.id, 'area', 'area', 3);
  ids.topics = await addItem(db, form.id, 'topics', 'multiple', 4);
  ids.note = await addItem(db, form.id, 'note', 'text', 5);
  for (const [i, g] of ['F', 'M', 'X'].entries()) ids.choice[g] = await addChoice(db, ids.gender, g, i);
  ids.choice.W1 = await addChoice(db, ids.area, 'W1', 1);
  ids.choice.W2 = await addChoice(db, ids.area, 'W2', 2);
  ids.choice.T1a = await addChoice(db, ids.area, 'T1a', 1, ids.choice.W1);
  ids.choice.T1b = await addChoice(db, ids.area, 'T1b', 2, ids.choice.W1);
  ids.choice.T2a = await addChoice(db, ids.area, 'T2a', 1, ids.choice.W2);
  for (const [i, t] of ['防災', '子育て', '健康'].entries())
    ids.choice[t] = await addChoice(db, ids.topics, t, i);

  // A survey of the same channel: its response must not make a11 "registered".
  const survey = await db
    .insertInto('forms')
    .values({ channel_id: channelA, purpose: 'survey', title: 'アンケート' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const surveyItem = await addItem(db, survey.id, 'q1', 'single', 1);
  const surveyChoice = await addChoice(db, surveyItem, 'はい', 1);

  for (const f of FRIENDS) {
    const at = f.followedAt ?? OLD_FOLLOW;
    const friend = await db
      .insertInto('friends')
      .values({
        channel_id: channelA,
        line_user_id: f.name,
        status: f.status ?? 'following',
        status_changed_at: at,
        followed_at: at,
        first_followed_at: at,
        is_test: f.test ?? false,
        profile_fetched_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (f.name === 'a11') {
      await db
        .insertInto('form_responses')
        .values({ form_id: survey.id, friend_id: friend.id, choice_ids: [surveyChoice] })
        .execute();
    }
    if (!f.answers) continue;
    const a = f.answers;
    const choices = [...(a.gender ? [a.gender] : []), ...(a.area ?? []), ...(a.topics ?? [])].map(
      (c) => ids.choice[c]!,
    );
    await db
      .insertInto('form_responses')
      .values({
        form_id: ids.form,
        friend_id: friend.id,
        choice_ids: choices,
        numbers: JSON.stringify(a.age === undefined ? {} : { birth_year: Y - a.age }),
      })
      .execute();
  }
}

async function seedChannelB(db: Db) {
  const form = await db
    .insertInto('forms')
    .values({ channel_id: channelB, purpose: 'registration', title: '受信設定' })
    .returning('id')
    .executeTakeFirstOrThrow();
  otherItem = await addItem(db, form.id, 'topics', 'multiple', 1);
  otherChoice = await addChoice(db, otherItem, '防災', 1);
  for (const name of ['b01', 'b02', 'b03']) {
    const friend = await db
      .insertInto('friends')
      .values({
        channel_id: channelB,
        line_user_id: name,
        status: 'following',
        status_changed_at: OLD_FOLLOW,
        followed_at: OLD_FOLLOW,
        profile_fetched_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('form_responses')
      .values({ form_id: form.id, friend_id: friend.id, choice_ids: [otherChoice] })
      .execute();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const a = await createStaff(server.db, 'admin');
  admin = await staffClient(server, a.loginId);
  channelA = await createChannel('千葉市', '2000000001');
  channelB = await createChannel('別の市', '2000000002');
  await seedChannelA(server.db);
  await seedChannelB(server.db);
});
afterAll(async () => server?.close());

/** The LINE user IDs of the audience (the names above), sorted. */
async function members(tree: SegmentTree | null, channelId = channelA) {
  const rows = await (await audienceQuery(server.db, channelId, tree)).execute();
  return rows.map((r) => r.line_user_id).sort();
}

async function count(tree: unknown, channelId = channelA, client = admin) {
  return client.request('POST', '/api/segments/count', { channelId, tree });
}

/** Checks the exact members and that the HTTP count agrees. */
async function expectAudience(tree: SegmentTree, expected: string[]) {
  expect(await members(tree)).toEqual([...expected].sort());
  const res = await count(tree);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { count: number; ms: number };
  expect(body.count).toBe(expected.length);
  expect(body.ms).toBeGreaterThanOrEqual(0);
}

const not = (child: SegmentTree): SegmentTree => ({ type: 'not', child });
const and = (...children: SegmentTree[]): SegmentTree => ({ type: 'and', children });
const or = (...children: SegmentTree[]): SegmentTree => ({ type: 'or', children });
const choice = (item: 'gender' | 'area' | 'topics', names: string[], match: 'any' | 'all' | 'none' = 'any') =>
  ({ type: 'choice', itemId: ids[item], choiceIds: names.map((n) => ids.choice[n]!), match }) as SegmentTree;
const except = (names: string[]) => FOLLOWING.filter((n) => !names.includes(n));

describe('segment SQL against hand-computed sets (G-04)', () => {
  it('G-04: no tree = every following friend of the channel (blocked friends and other channels excluded)', async () => {
    expect(await members(null)).toEqual(FOLLOWING);
    expect(FOLLOWING).toHaveLength(20);
    expect(await countAudience(server.db, channelA, null)).toBe(20);
    expect(await members(null, channelB)).toEqual(['b01', 'b02', 'b03']);
  });

  it('G-04: registered / not registered (a survey answer is not a registration)', async () => {
    const unregistered = ['a11', 'a12', 'a13', 'a19'];
    await expectAudience({ type: 'registered', value: false }, unregistered);
    await expectAudience(not({ type: 'registered', value: true }), unregistered);
    await expectAudience({ type: 'registered', value: true }, except(unregistered));
    expect(await members({ type: 'registered', value: true }, channelB)).toEqual(['b01', 'b02', 'b03']);
  });

  it('G-04: choice any / all / none and their negations, NULL-safe for friends without answers', async () => {
    const bosai = ['a01', 'a02', 'a05', 'a08', 'a14', 'a20', 'a21'];
    await expectAudience(choice('topics', ['防災']), bosai);
    await expectAudience(choice('topics', ['防災', '子育て'], 'all'), ['a02', 'a08', 'a20']);
    await expectAudience(choice('topics', ['防災'], 'none'), except(bosai));
    await expectAudience(not(choice('topics', ['防災'])), except(bosai));
    await expectAudience(not(choice('topics', ['防災'], 'none')), bosai);
    await expectAudience(not(choice('topics', ['防災', '子育て'], 'all')), except(['a02', 'a08', 'a20']));
    await expectAudience(choice('gender', ['F']), ['a01', 'a02', 'a05', 'a07', 'a10', 'a14', 'a18', 'a21']);
    await expectAudience(choice('gender', ['M', 'X']), ['a03', 'a04', 'a06', 'a08', 'a17', 'a20', 'a22']);
  });

  it('G-04: a ward matches its towns (area), a town does not match its ward', async () => {
    const w1 = ['a01', 'a02', 'a03', 'a07', 'a08', 'a14', 'a18', 'a21'];
    await expectAudience(choice('area', ['W1']), w1); // a07 answered only the town T1a
    await expectAudience(choice('area', ['W2']), ['a04', 'a05', 'a06', 'a17', 'a20', 'a22']);
    await expectAudience(choice('area', ['T1a']), ['a01', 'a03', 'a07', 'a14', 'a21']);
    await expectAudience(choice('area', ['W1', 'T1a'], 'all'), ['a01', 'a03', 'a07', 'a14', 'a21']);
    await expectAudience(choice('area', ['W1', 'W2'], 'all'), []);
    await expectAudience(choice('area', ['W1'], 'none'), except(w1));
  });

  it('G-04: age boundaries (age reached this year in Asia/Tokyo) and birth years', async () => {
    const age = (min?: number, max?: number): SegmentTree => ({ type: 'age', itemId: ids.birth, min, max });
    const twenties = ['a01', 'a02', 'a05', 'a14', 'a20'];
    await expectAudience(age(20, 34), twenties); // a04 is 19, a03 and a21 are 35
    await expectAudience(age(65), ['a07', 'a08']);
    await expectAudience(age(undefined, 19), ['a04']);
    await expectAudience(not(age(20, 34)), except(twenties));
    await expectAudience({ type: 'birthYear', itemId: ids.birth, from: Y - 34, to: Y - 20 }, twenties);
    await expectAudience({ type: 'birthYear', itemId: ids.birth, to: Y - 65 }, ['a07', 'a08']);
    // Without bounds: everyone who answered a birth year (not a09, nor the unregistered).
    await expectAudience(
      { type: 'birthYear', itemId: ids.birth },
      except(['a09', 'a11', 'a12', 'a13', 'a19']),
    );
  });

  it('G-04: followed since (Asia/Tokyo days) and test friends', async () => {
    await expectAudience({ type: 'followedAt', from: '2026-03-01' }, ['a19', 'a21']);
    await expectAudience({ type: 'followedAt', to: '2026-02-28' }, except(['a19', 'a21']));
    await expectAudience({ type: 'followedAt', from: '2026-02-28', to: '2026-02-28' }, ['a20']);
    await expectAudience({ type: 'test', value: true }, ['a13', 'a14']);
    await expectAudience({ type: 'test', value: false }, except(['a13', 'a14']));
  });

  it('G-04: nested OR inside AND, NOT of a group, and a NOT-heavy OR that keeps the unregistered', async () => {
    // (men or ward W2) and not interested in 健康
    await expectAudience(
      and(or(choice('gender', ['M']), choice('area', ['W2'])), not(choice('topics', ['健康']))),
      ['a03', 'a06', 'a17', 'a20', 'a22'],
    );
    // women who want 子育て or are 60+, not test friends
    await expectAudience(
      and(
        choice('gender', ['F']),
        or(choice('topics', ['子育て']), { type: 'age', itemId: ids.birth, min: 60 }),
        not({ type: 'test', value: true }),
      ),
      ['a02', 'a07'],
    );
    // NOT (防災 or W2) = neither
    await expectAudience(not(or(choice('topics', ['防災']), choice('area', ['W2']))), [
      'a03',
      'a07',
      'a09',
      'a10',
      'a11',
      'a12',
      'a13',
      'a18',
      'a19',
    ]);
    // unregistered, or registered without 防災 and not in their twenties/early thirties
    await expectAudience(
      or(
        { type: 'registered', value: false },
        and(not(choice('topics', ['防災'])), not({ type: 'age', itemId: ids.birth, min: 20, max: 34 })),
      ),
      ['a03', 'a04', 'a06', 'a07', 'a09', 'a10', 'a11', 'a12', 'a13', 'a17', 'a18', 'a19', 'a22'],
    );
    // double negation
    await expectAudience(not(not(choice('topics', ['子育て']))), ['a02', 'a03', 'a07', 'a08', 'a17', 'a20']);
  });

  it('G-04: audienceQuery yields friend_id and line_user_id and works as a subquery', async () => {
    const q = await audienceQuery(server.db, channelA, choice('topics', ['防災', '子育て'], 'all'));
    const rows = await q.execute();
    expect(Object.keys(rows[0]!).sort()).toEqual(['friend_id', 'line_user_id']);
    const viaSubquery = await server.db
      .selectFrom('friends')
      .select('line_user_id')
      .where('id', 'in', server.db.selectFrom(q.as('a')).select('a.friend_id'))
      .execute();
    expect(viaSubquery.map((r) => r.line_user_id).sort()).toEqual(['a02', 'a08', 'a20']);
  });
});

describe('segment count: bad input (G-04)', () => {
  const expectInvalid = async (tree: unknown, channelId = channelA) => {
    const res = await count(tree, channelId);
    expect(res.status, JSON.stringify(tree)).toBe(400);
    const body = (await res.json()) as { code: string; message: string; details?: unknown[] };
    expect(body.code).toBe('SEGMENT_INVALID');
    expect(body.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    return body;
  };

  it('G-04: invalid tree shapes are refused with SEGMENT_INVALID', async () => {
    await expectInvalid(undefined);
    await expectInvalid({ type: 'and', children: [] });
    await expectInvalid({ type: 'xor', children: [{ type: 'test', value: true }] });
    await expectInvalid({ type: 'not' });
    await expectInvalid({ type: 'choice', itemId: ids.topics, choiceIds: [], match: 'any' });
    await expectInvalid({ type: 'age', itemId: ids.birth, min: 50, max: 40 });
    await expectInvalid({ type: 'followedAt', from: '2026/03/01' });
    await expectInvalid('{"type":"test"}');
  });

  it('G-04: unknown items, choices of another item, other channels’ items and unusable items are refused', async () => {
    const unknownItem = await expectInvalid({
      type: 'choice',
      itemId: '00000000-0000-4000-8000-000000000000',
      choiceIds: ['1'],
      match: 'any',
    });
    expect(unknownItem.details).toEqual([
      { path: 'tree.itemId', message: 'この項目は登録フォームにありません' },
    ]);
    await expectInvalid({
      type: 'choice',
      itemId: ids.gender,
      choiceIds: [ids.choice.防災],
      match: 'any',
    });
    await expectInvalid({ type: 'choice', itemId: otherItem, choiceIds: [otherChoice], match: 'any' });
    await expectInvalid({ type: 'choice', itemId: ids.note, choiceIds: [ids.choice.F], match: 'any' });
    await expectInvalid({ type: 'age', itemId: ids.gender, min: 20 });
    await expectInvalid(and({ type: 'test', value: true }, not(choice('topics', ['防災']))), channelB);
  });

  it('G-04: depth over 6, more than 20 children in a group and more than 50 conditions are refused', async () => {
    let ok: SegmentTree = { type: 'test', value: true };
    for (let i = 0; i < 5; i++) ok = not(ok);
    expect((await count(ok)).status).toBe(200); // depth 6
    await expectInvalid(not(ok)); // depth 7
    let deep: SegmentTree = { type: 'test', value: true };
    for (let i = 0; i < 6; i++) deep = and(deep);
    await expectInvalid(deep);
    const leaf: SegmentTree = { type: 'test', value: false };
    const group = (n: number) => or(...Array.from({ length: n }, () => leaf));
    await expectInvalid(group(21));
    await expectInvalid(and(group(20), group(20), group(11)));
    expect((await count(and(group(20), group(20), group(10)))).status).toBe(200);
  });

  it('G-04: a bad channel ID is a validation error; an unknown channel is 404', async () => {
    const bad = await count({ type: 'test', value: true }, 'nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const unknown = await count({ type: 'test', value: true }, '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});

describe('saved segments and permissions (G-04)', () => {
  it('G-04: create, list, get, change and delete a segment; writes are audited', async () => {
    const tree = and(choice('gender', ['F']), not(choice('topics', ['防災'])));
    const created = await admin.request('POST', '/api/segments', {
      channelId: channelA,
      name: '女性（防災以外）',
      tree,
    });
    expect(created.status).toBe(201);
    const segment = (await created.json()) as { id: string; channelId: string; name: string; tree: unknown };
    expect(segment).toMatchObject({ channelId: channelA, name: '女性（防災以外）', tree });

    const list = (await (
      await admin.request('GET', `/api/segments?channelId=${channelA}`)
    ).json()) as unknown[];
    expect(list).toHaveLength(1);
    expect(
      (await (await admin.request('GET', `/api/segments?channelId=${channelB}`)).json()) as unknown[],
    ).toEqual([]);
    const got = await admin.request('GET', `/api/segments/${segment.id}`);
    expect(((await got.json()) as { tree: unknown }).tree).toEqual(tree);

    const renamed = await admin.request('PATCH', `/api/segments/${segment.id}`, { name: '女性' });
    expect(((await renamed.json()) as { name: string; tree: unknown }).tree).toEqual(tree);
    const newTree = choice('gender', ['F']);
    const changed = await admin.request('PATCH', `/api/segments/${segment.id}`, { tree: newTree });
    expect(changed.status).toBe(200);
    expect((await changed.json()) as unknown).toMatchObject({ name: '女性', tree: newTree });

    const bad = await admin.request('PATCH', `/api/segments/${segment.id}`, {
      tree: { type: 'choice', itemId: otherItem, choiceIds: [otherChoice], match: 'any' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('SEGMENT_INVALID');

    expect((await admin.request('DELETE', `/api/segments/${segment.id}`)).status).toBe(204);
    expect((await admin.request('GET', `/api/segments/${segment.id}`)).status).toBe(404);

    const audit = await server.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'result'])
      .where('action', 'like', 'segment.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => `${a.action}:${a.result}`)).toEqual([
      'segment.create:success',
      'segment.update:success',
      'segment.update:success',
      'segment.update:failure',
      'segment.delete:success',
    ]);
    expect(audit[0]!.target_id).toBe(segment.id);
  });

  it('G-04: bad segment input: names, trees, unknown channel and items', async () => {
    const post = (body: unknown) => admin.request('POST', '/api/segments', body);
    const tree = choice('gender', ['F']);
    const r1 = await post({ channelId: channelA, name: '', tree });
    expect([r1.status, ((await r1.json()) as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const r2 = await post({ channelId: channelA, name: '<b>x</b>', tree });
    expect(r2.status).toBe(400);
    const r3 = await post({ channelId: channelA, name: 'x', tree: { type: 'and', children: [] } });
    expect(((await r3.json()) as { code: string }).code).toBe('SEGMENT_INVALID');
    const r4 = await post({ channelId: channelB, name: 'x', tree });
    expect(((await r4.json()) as { code: string }).code).toBe('SEGMENT_INVALID');
    const r5 = await post({ channelId: '00000000-0000-4000-8000-000000000000', name: 'x', tree });
    expect(r5.status).toBe(404);
    expect((await admin.request('GET', '/api/segments')).status).toBe(400);
    expect((await admin.request('GET', '/api/segments/not-a-uuid')).status).toBe(400);
    expect(
      (await admin.request('PATCH', '/api/segments/00000000-0000-4000-8000-000000000000', { name: 'x' }))
        .status,
    ).toBe(404);
  });

  it('G-04: a segment used by a scheduled delivery cannot be deleted', async () => {
    const created = await admin.request('POST', '/api/segments', {
      channelId: channelA,
      name: '予約で使用',
      tree: { type: 'registered', value: false },
    });
    const { id } = (await created.json()) as { id: string };
    const delivery = await server.db
      .insertInto('deliveries')
      .values({
        channel_id: channelA,
        title: '予約',
        messages: JSON.stringify([{ type: 'text', text: 'こんにちは' }]),
        audience: JSON.stringify({ kind: 'segment', segmentId: id }),
        status: 'scheduled',
        scheduled_at: new Date(Date.now() + 3600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const refused = await admin.request('DELETE', `/api/segments/${id}`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('SEGMENT_IN_USE');
    await server.db.updateTable('deliveries').set({ status: 'sent' }).where('id', '=', delivery.id).execute();
    expect((await admin.request('DELETE', `/api/segments/${id}`)).status).toBe(204);
  });

  it('G-04: permissions: count needs deliveries.create or segments.manage; saving needs segments.manage', async () => {
    const role = async (name: string, permissions: string[]) => {
      const res = await admin.request('POST', '/api/roles', { name, permissions });
      const { id } = (await res.json()) as { id: string };
      const s = await createStaff(server.db, id);
      return staffClient(server, s.loginId);
    };
    const generalStaff = await createStaff(server.db, 'general');
    const general = await staffClient(server, generalStaff.loginId);
    const deliverer = await role('配信作成', ['deliveries.create']);
    const designer = await role('セグメント設計', ['segments.manage']);
    const tree = { type: 'registered', value: true };
    const body = { channelId: channelA, name: 'テスト', tree };

    for (const [path, method] of [
      ['/api/segments/count', 'POST'],
      ['/api/segments', 'POST'],
      [`/api/segments?channelId=${channelA}`, 'GET'],
    ] as const) {
      const res = await general.request(method, path, method === 'GET' ? undefined : body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
    }
    // Refused before the body is looked at: a bad tree from an account without permission is 403.
    expect((await count({ type: 'bad' }, channelA, general)).status).toBe(403);

    expect((await count(tree, channelA, deliverer)).status).toBe(200);
    expect((await deliverer.request('GET', `/api/segments?channelId=${channelA}`)).status).toBe(200);
    expect((await deliverer.request('POST', '/api/segments', body)).status).toBe(403);

    expect((await count(tree, channelA, designer)).status).toBe(200);
    const saved = await designer.request('POST', '/api/segments', body);
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    expect((await deliverer.request('GET', `/api/segments/${id}`)).status).toBe(200);
    expect((await deliverer.request('DELETE', `/api/segments/${id}`)).status).toBe(403);
    expect((await designer.request('DELETE', `/api/segments/${id}`)).status).toBe(204);

    const denied = await server.db
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('login_id', '=', generalStaff.loginId)
      .where('action', '<>', 'session.login')
      .orderBy('id')
      .execute();
    // Every refusal is in the audit log (an audited route under its own action).
    expect(denied.map((d) => `${d.action}:${d.result}`)).toEqual([
      'segments.count:failure',
      'segment.create:failure',
      'access.denied:failure',
      'segments.count:failure',
    ]);
  });
});

describe('seeded friends for benchmarks (G-04)', () => {
  it('G-04: seedFriendsWithAttributes is deterministic and the sample tree selects about 64 %', async () => {
    const res = await admin.request('POST', '/api/channels', {
      name: 'ベンチ',
      lineChannelId: '2000000003',
      channelSecret: 'secretsecret',
      accessToken: 'tokentoken',
      environment: 'production',
    });
    const { id } = (await res.json()) as { id: string };
    const seeded = await seedFriendsWithAttributes(server.db, { channelId: id, count: 2000, testFriends: 5 });
    expect(seeded.friends).toBe(2000);
    expect(seeded.registered).toBeGreaterThan(1700);
    expect(seeded.registered).toBeLessThan(1900);
    expect(seeded.area.wards).toHaveLength(6);
    expect(await countAudience(server.db, id, { type: 'test', value: true })).toBe(5);
    const n = await countAudience(server.db, id, sampleSegmentTree(seeded));
    expect(n / 2000).toBeGreaterThan(0.55);
    expect(n / 2000).toBeLessThan(0.72);
    // The same options on another channel give the same answers (deterministic).
    const res2 = await admin.request('POST', '/api/channels', {
      name: 'ベンチ2',
      lineChannelId: '2000000004',
      channelSecret: 'secretsecret',
      accessToken: 'tokentoken',
      environment: 'production',
    });
    const { id: id2 } = (await res2.json()) as { id: string };
    const seeded2 = await seedFriendsWithAttributes(server.db, {
      channelId: id2,
      count: 2000,
      testFriends: 5,
    });
    expect(seeded2.registered).toBe(seeded.registered);
    expect(await countAudience(server.db, id2, sampleSegmentTree(seeded2))).toBe(n);
  });
});
