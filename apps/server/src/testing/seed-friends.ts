import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SegmentTree } from '../modules/segments/segment.schema.ts';

// Fast, deterministic seeding of many following friends with registration answers, for tests and
// benchmarks (G-04 count under 0.5 s with 200,000 friends; bench/delivery). One INSERT … SELECT over
// generate_series per table; answers derive from hashes of the friend's number, so the same options
// give the same data (and the same segment counts) on every run.

export interface SeedFriendsOptions {
  channelId: string;
  count: number;
  /** Distinguishes seeded batches in one channel; friend and LINE user IDs derive from it. */
  tag?: string;
  /** Share of friends who answered the registration form (0 … 1, default 0.9). */
  registeredShare?: number;
  /** The first `testFriends` seeded friends are test friends (friends.is_test, default 0). */
  testFriends?: number;
  /** Follow times spread over this many days before `now` (default 730). */
  followedDays?: number;
  now?: Date;
}

export interface SeededAttributes {
  formId: string;
  birthYear: { itemId: string; key: string };
  /** 女性, 男性, その他, 回答しない (48 %, 48 %, 2 %, 2 % of the registered). */
  gender: { itemId: string; choiceIds: string[] };
  /** Wards, each with its towns; a registered friend has one town and its ward. */
  area: { itemId: string; wards: { id: string; label: string; towns: string[] }[] };
  /** Each lifestyle choice is held by about 25 % of the registered. */
  lifestyle: { itemId: string; choiceIds: string[] };
  /** Each topic (情報分野) is held by about 30 % of the registered. */
  topics: { itemId: string; choiceIds: string[] };
  friends: number;
  registered: number;
}

const GENDERS = ['女性', '男性', 'その他', '回答しない'];
const WARDS: [string, string[]][] = [
  ['中央区', ['中央', '新町', '富士見', '千葉港', '蘇我']],
  ['花見川区', ['幕張町', '検見川町', '花園', '瑞穂', '作新台']],
  ['稲毛区', ['稲毛東', '小仲台', '園生町', '轟町', '天台']],
  ['若葉区', ['都賀', '桜木', '千城台北', 'みつわ台', '貝塚町']],
  ['緑区', ['鎌取町', 'おゆみ野', '誉田町', '土気町', 'あすみが丘']],
  ['美浜区', ['幸町', '真砂', '高洲', '磯辺', '打瀬']],
];
const LIFESTYLES = ['子育て中', '妊娠中', '高齢者と同居', '学生', '事業者', '介護中'];
const TOPICS = [
  '防災',
  '防犯',
  '子育て',
  '教育',
  '健康',
  '医療',
  '福祉',
  '介護',
  '障害福祉',
  'ごみ・リサイクル',
  '環境',
  '税金',
  '国民健康保険',
  '年金',
  '住まい',
  '道路・交通',
  '上下水道',
  'イベント',
  '観光',
  'スポーツ',
  '文化・芸術',
  '生涯学習',
  '図書館',
  '公園',
  '動物',
  '消費生活',
  '就労・求人',
  '産業・事業者',
  '市政',
  '選挙',
];

type ItemSpec = { key: string; label: string; type: 'single' | 'multiple' | 'area' | 'birth_year' };
const ITEMS: ItemSpec[] = [
  { key: 'birth_year', label: '生年', type: 'birth_year' },
  { key: 'gender', label: '性別', type: 'single' },
  { key: 'area', label: 'お住まいの区・町', type: 'area' },
  { key: 'lifestyle', label: 'ライフスタイル', type: 'multiple' },
  { key: 'topics', label: '受け取りたい情報', type: 'multiple' },
];

async function ensureForm(db: Db, channelId: string): Promise<string> {
  const found = await db
    .selectFrom('forms')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('purpose', '=', 'registration')
    .executeTakeFirst();
  if (found) return found.id;
  const created = await db
    .insertInto('forms')
    .values({ channel_id: channelId, purpose: 'registration', title: '受信設定（属性登録）' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** The item with this key (created with its choices when missing) and its choices. */
async function ensureItem(db: Db, formId: string, spec: ItemSpec, choices: [string, string[]][]) {
  let item = await db
    .selectFrom('form_items')
    .select(['id', 'type'])
    .where('form_id', '=', formId)
    .where('key', '=', spec.key)
    .executeTakeFirst();
  if (!item) {
    const last = await db
      .selectFrom('form_items')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('form_id', '=', formId)
      .executeTakeFirst();
    item = await db
      .insertInto('form_items')
      .values({
        form_id: formId,
        key: spec.key,
        label: spec.label,
        type: spec.type,
        position: Number(last?.p ?? 0) + 1,
        config: '{}',
      })
      .returning(['id', 'type'])
      .executeTakeFirstOrThrow();
    for (const [p, [label, children]] of choices.entries()) {
      const parent = await db
        .insertInto('form_choices')
        .values({ item_id: item.id, label, position: p + 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (children.length > 0) {
        await db
          .insertInto('form_choices')
          .values(
            children.map((child, c) => ({
              item_id: item!.id,
              parent_id: parent.id,
              label: child,
              position: c + 1,
            })),
          )
          .execute();
      }
    }
  }
  const rows = await db
    .selectFrom('form_choices')
    .select(['id', 'parent_id', 'label'])
    .where('item_id', '=', item.id)
    .where('retired_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return { itemId: item.id, choices: rows.map((r) => ({ ...r, id: String(r.id) })) };
}

/**
 * Inserts `count` following friends of the channel, about `registeredShare` of them with a
 * registration response, creating the registration form's items (生年, 性別, 区・町, ライフスタイル,
 * 受け取りたい情報) and choices when missing. Profiles are marked fetched (no LINE calls).
 */
export async function seedFriendsWithAttributes(
  db: Db,
  options: SeedFriendsOptions,
): Promise<SeededAttributes> {
  const { channelId, count } = options;
  const tag = `${options.tag ?? 'seed'}:${channelId}`;
  const registeredPerMille = Math.round((options.registeredShare ?? 0.9) * 1000);
  const testFriends = options.testFriends ?? 0;
  const seconds = (options.followedDays ?? 730) * 86_400;
  const now = options.now ?? new Date();

  const formId = await ensureForm(db, channelId);
  const birth = await ensureItem(db, formId, ITEMS[0]!, []);
  const gender = await ensureItem(
    db,
    formId,
    ITEMS[1]!,
    GENDERS.map((g) => [g, []]),
  );
  const area = await ensureItem(db, formId, ITEMS[2]!, WARDS);
  const lifestyle = await ensureItem(
    db,
    formId,
    ITEMS[3]!,
    LIFESTYLES.map((l) => [l, []]),
  );
  const topics = await ensureItem(
    db,
    formId,
    ITEMS[4]!,
    TOPICS.map((t) => [t, []]),
  );
  const birthKey = ITEMS[0]!.key;
  const wards = area.choices
    .filter((c) => c.parent_id === null)
    .map((w) => ({
      id: w.id,
      label: w.label,
      towns: area.choices.filter((c) => c.parent_id === w.id).map((c) => c.id),
    }))
    .filter((w) => w.towns.length > 0);
  const towns = wards.flatMap((w) => w.towns);
  const townWards = wards.flatMap((w) => w.towns.map(() => w.id));
  const genderIds = gender.choices.map((c) => c.id);
  const lifestyleIds = lifestyle.choices.map((c) => c.id);
  const topicIds = topics.choices.map((c) => c.id);
  if (genderIds.length === 0 || towns.length === 0)
    throw new Error('registration form has no choices to seed');

  // h(n, salt): a deterministic non-negative pseudo-random integer.
  const h = (n: ReturnType<typeof sql>, salt: number) => sql`(hashint8extended(${n}, ${salt}) & 2147483647)`;
  const i = sql`i`;
  const friendId = sql`md5(${tag}::text || ':' || i)::uuid`;

  await sql`
    insert into friends (id, channel_id, line_user_id, status, status_changed_at, is_test,
                         first_followed_at, followed_at, follow_count, profile_fetched_at)
    select ${friendId}, ${channelId}::uuid, 'U' || md5('line:' || ${tag}::text || ':' || i), 'following', t, i < ${testFriends},
           t, t, 1, ${now}::timestamptz
    from (select i, ${now}::timestamptz - make_interval(secs => ${h(i, 7)} % ${seconds}) as t
          from generate_series(0, ${count - 1}::int) as g(i)) s
  `.execute(db);

  const pick = (ids: string[], salt: number) => sql`(${ids}::bigint[])[1 + ${h(i, salt)} % ${ids.length}]`;
  const someOf = (ids: string[], salt: number, percent: number) =>
    ids.length === 0
      ? sql`'{}'::bigint[]`
      : sql`array(select c from unnest(${ids}::bigint[]) with ordinality u(c, k)
                  where ${h(sql`i * 64 + k`, salt)} % 100 < ${percent})`;
  await sql`
    insert into form_responses (form_id, friend_id, choice_ids, numbers, submitted_at, updated_at)
    select ${formId}::uuid, ${friendId},
           array[
             case when ${h(i, 3)} % 100 < 48 then (${genderIds}::bigint[])[1]
                  when ${h(i, 3)} % 100 < 96 then (${genderIds}::bigint[])[least(2, ${genderIds.length})]
                  else ${pick(genderIds.slice(2).length > 0 ? genderIds.slice(2) : genderIds, 8)} end,
             (${townWards}::bigint[])[1 + ${h(i, 4)} % ${towns.length}],
             (${towns}::bigint[])[1 + ${h(i, 4)} % ${towns.length}]
           ] || ${someOf(lifestyleIds, 5, 25)} || ${someOf(topicIds, 6, 30)},
           jsonb_build_object(${birthKey}::text, 1940 + ${h(i, 2)} % 66),
           ${now}::timestamptz, ${now}::timestamptz
    from generate_series(0, ${count - 1}::int) as g(i)
    where ${h(i, 1)} % 1000 < ${registeredPerMille}
  `.execute(db);
  await sql`analyze friends`.execute(db);
  await sql`analyze form_responses`.execute(db);

  const registered = await db
    .selectFrom('form_responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('form_id', '=', formId)
    .executeTakeFirstOrThrow();
  return {
    formId,
    birthYear: { itemId: birth.itemId, key: birthKey },
    gender: { itemId: gender.itemId, choiceIds: genderIds },
    area: { itemId: area.itemId, wards },
    lifestyle: { itemId: lifestyle.itemId, choiceIds: lifestyleIds },
    topics: { itemId: topics.itemId, choiceIds: topicIds },
    friends: count,
    registered: Number(registered.n),
  };
}

/**
 * A nested AND / OR / NOT segment over seeded friends that selects about 64 % of them
 * (≈ 128,000 of 200,000): registered, not a test friend, not 回答しない, and either
 * (born 1962–2005 and living in one of four wards) or interested in one of two topics.
 */
export function sampleSegmentTree(seeded: SeededAttributes): SegmentTree {
  return {
    type: 'and',
    children: [
      { type: 'registered', value: true },
      { type: 'not', child: { type: 'test', value: true } },
      {
        type: 'not',
        child: {
          type: 'choice',
          itemId: seeded.gender.itemId,
          choiceIds: seeded.gender.choiceIds.slice(3, 4),
          match: 'any',
        },
      },
      {
        type: 'or',
        children: [
          {
            type: 'and',
            children: [
              { type: 'birthYear', itemId: seeded.birthYear.itemId, from: 1962, to: 2005 },
              {
                type: 'choice',
                itemId: seeded.area.itemId,
                choiceIds: seeded.area.wards.slice(0, 4).map((w) => w.id),
                match: 'any',
              },
            ],
          },
          {
            type: 'choice',
            itemId: seeded.topics.itemId,
            choiceIds: seeded.topics.choiceIds.slice(0, 2),
            match: 'any',
          },
        ],
      },
    ],
  };
}
