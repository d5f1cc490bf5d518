import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { FormView } from '../modules/forms/forms.rules.ts';
import type { Answers, ItemCreate } from '../modules/forms/forms.schema.ts';
import { addItem, getRegistrationForm, saveRegistration } from '../modules/forms/forms.service.ts';
import type { Cipher } from '../platform/crypto.ts';

// The demo city's registration form (受信設定, G-01) modelled on Chiba City's specification
// (生年・性別・区と町丁・ライフスタイル・情報分野), and answers for about four in five of the virtual
// friends, so segments, deliveries and the attribute export have data. Safe to run again: missing
// items are added by key, and friends who already answered are left alone.

const WARDS: [string, string[]][] = [
  ['中央区', ['中央', '富士見', '蘇我']],
  ['花見川区', ['幕張町', '検見川町', '花見川']],
  ['稲毛区', ['稲毛東', '小仲台', '園生町']],
  ['若葉区', ['都賀', '千城台北', '桜木']],
  ['緑区', ['鎌取町', 'おゆみ野', '土気町']],
  ['美浜区', ['幕張西', '磯辺', '高洲']],
];

const LIFESTYLES = ['子育て中', '介護中', '学生', '高齢者', '事業者'];

const TOPICS = [
  '防災',
  '子育て',
  '健康',
  '福祉',
  'ごみ・環境',
  'イベント',
  '観光',
  'スポーツ',
  '文化',
  '学校・教育',
  '道路・交通',
  '税金',
  '防犯',
  '仕事・産業',
  '市政',
];

const DEMO_ITEMS: ItemCreate[] = [
  {
    type: 'birth_year',
    key: 'birth_year',
    label: '生年',
    required: true,
    help: '生まれた年を西暦で入力してください（例: 1985）。年代に合ったお知らせに使います。',
    config: { min: 1900 },
    choices: [],
  },
  {
    type: 'single',
    key: 'gender',
    label: '性別',
    required: false,
    help: '',
    config: {},
    choices: ['男性', '女性', '回答しない'].map((label) => ({ label })),
  },
  {
    type: 'area',
    key: 'area',
    label: '区・町丁',
    required: true,
    help: 'お住まいの区と町丁を選んでください。地域のお知らせに使います。',
    config: {},
    choices: WARDS.map(([label, towns]) => ({ label, children: towns })),
  },
  {
    type: 'multiple',
    key: 'lifestyle',
    label: 'ライフスタイル',
    required: false,
    help: 'あてはまるものをすべて選んでください。',
    config: {},
    choices: LIFESTYLES.map((label) => ({ label })),
  },
  {
    type: 'multiple',
    key: 'topics',
    label: '受け取りたい情報',
    required: false,
    help: '選んだ分野のお知らせをお届けします。防災の緊急情報は選ばなくても届きます。',
    config: {},
    choices: TOPICS.map((label) => ({ label })),
  },
];

/** Creates the demo registration form of the channel, adding the items it does not have yet. */
export async function ensureDemoRegistrationForm(db: Db, channelId: string): Promise<string[]> {
  let form = await getRegistrationForm(db, channelId);
  const missing = DEMO_ITEMS.filter((d) => !form.items.some((i) => i.key === d.key));
  for (const item of missing) form = await addItem(db, form.id, item);
  return missing.length > 0 ? [`登録フォーム（受信設定）に ${missing.length} 項目を追加しました`] : [];
}

/** A small deterministic generator (mulberry32) seeded from a string. */
function randomFrom(seed: string) {
  let s = createHash('sha256').update(seed).digest().readUInt32LE(0);
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const some = <T>(list: T[], min: number, max: number): T[] => {
    const n = min + Math.floor(next() * (max - min + 1));
    return [...list].sort(() => next() - 0.5).slice(0, n);
  };
  return { next, pick, some };
}

/** Plausible answers for one friend, always the same for the same LINE user. */
export function demoAnswers(form: FormView, lineUserId: string): Answers {
  const r = randomFrom(lineUserId);
  const ids = (key: string) => {
    const item = form.items.find((i) => i.key === key);
    return item ? item.choices.filter((c) => !c.retired) : [];
  };
  const label = (key: string, l: string) => ids(key).find((c) => c.label === l)?.id;
  const answers: Answers = {};
  const year = 1940 + Math.floor(r.next() * 69); // 1940–2008
  answers.birth_year = year;
  const g = r.next();
  const gender = label('gender', g < 0.46 ? '男性' : g < 0.92 ? '女性' : '回答しない');
  if (gender) answers.gender = gender;
  const wards = ids('area').filter((c) => c.parentId === null);
  if (wards.length > 0) {
    const ward = r.pick(wards);
    const towns = ids('area').filter((c) => c.parentId === ward.id);
    answers.area = { ward: ward.id, town: towns.length > 0 ? r.pick(towns).id : null };
  }
  const lifestyle = [
    year >= 2003 && label('lifestyle', '学生'),
    year <= 1960 && label('lifestyle', '高齢者'),
    year >= 1978 && year <= 1998 && r.next() < 0.55 && label('lifestyle', '子育て中'),
    year >= 1950 && year <= 1975 && r.next() < 0.3 && label('lifestyle', '介護中'),
    year <= 1995 && r.next() < 0.12 && label('lifestyle', '事業者'),
  ].filter((x): x is string => typeof x === 'string');
  if (lifestyle.length > 0) answers.lifestyle = lifestyle;
  const topics = r.some(ids('topics'), 2, 5).map((c) => c.id);
  const kosodate = label('topics', '子育て');
  if (lifestyle.includes(label('lifestyle', '子育て中') ?? '') && kosodate && !topics.includes(kosodate))
    topics.push(kosodate);
  answers.topics = topics;
  return answers;
}

/**
 * Registers about four in five of the channel's friends (every fifth in follow order stays
 * unregistered, so "未登録の友だち" has members). Waits a little for follow events still being
 * processed, so the virtual friends just created are there.
 */
export async function seedDemoRegistrations(db: Db, cipher: Cipher, channelId: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const pending = await db
      .selectFrom('line_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('channel_id', '=', channelId)
      .where('dispatched_at', 'is', null)
      .where('dispatch_attempts', '<', 10)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const form = await getRegistrationForm(db, channelId);
  const friends = await db
    .selectFrom('friends as f')
    .leftJoin('form_responses as r', (j) => j.onRef('r.friend_id', '=', 'f.id').on('r.form_id', '=', form.id))
    .select(['f.line_user_id', 'r.id as response_id'])
    .where('f.channel_id', '=', channelId)
    .where('f.is_test', '=', false)
    .orderBy('f.first_followed_at')
    .orderBy('f.created_at')
    .execute();
  let registered = 0;
  for (const [index, f] of friends.entries()) {
    if (f.response_id !== null || index % 5 === 4) continue;
    await saveRegistration(db, cipher, channelId, f.line_user_id, demoAnswers(form, f.line_user_id));
    registered++;
  }
  return registered;
}
