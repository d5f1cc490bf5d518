import { describe, expect, it } from 'vitest';
import {
  answerFormatter,
  answersOf,
  applyAnswers,
  configProblem,
  type FormItemView,
  type FormView,
  publicForm,
  type StoredAnswers,
} from './forms.rules.ts';

// Checking answers against the form (G-01, G-03, G-11): pure rules, no database.

const choice = (id: string, label: string, parentId: string | null = null, retired = false) => ({
  id,
  label,
  parentId,
  position: Number(id),
  retired,
});

const item = (over: Partial<FormItemView> & Pick<FormItemView, 'key' | 'type'>): FormItemView => ({
  id: `item-${over.key}`,
  label: over.key,
  required: false,
  position: 1,
  help: '',
  config: {},
  retired: false,
  choices: [],
  ...over,
});

const form: FormView = {
  id: 'f',
  channelId: 'c',
  purpose: 'registration',
  title: '受信設定',
  description: '',
  updatedAt: new Date(),
  items: [
    item({
      key: 'birth',
      type: 'birth_year',
      label: '生年',
      required: true,
      config: { min: 1920, max: 2020 },
    }),
    item({
      key: 'gender',
      type: 'single',
      label: '性別',
      choices: [
        choice('1', '男性'),
        choice('2', '女性'),
        choice('3', '回答しない'),
        choice('4', 'その他', null, true),
      ],
    }),
    item({
      key: 'area',
      type: 'area',
      label: '区・町丁',
      required: true,
      choices: [
        choice('10', '中央区'),
        choice('11', '中央', '10'),
        choice('12', '新町', '10'),
        choice('20', '美浜区'),
        choice('21', '幕張西', '20'),
        choice('22', '旧町', '20', true),
        choice('30', '旧区', null, true),
        choice('31', '旧区の町', '30'),
      ],
    }),
    item({
      key: 'topics',
      type: 'multiple',
      label: '受け取りたい情報',
      config: { maxSelections: 3 },
      choices: [
        choice('40', '防災'),
        choice('41', '子育て'),
        choice('42', '健康'),
        choice('43', 'ごみ'),
        choice('44', '旧分野', null, true),
      ],
    }),
    item({
      key: 'pref',
      type: 'select',
      label: '連絡方法',
      choices: [choice('50', 'LINE'), choice('51', '電話')],
    }),
    item({ key: 'nickname', type: 'text', label: 'ニックネーム', config: { maxLength: 5 } }),
    item({ key: 'memo', type: 'textarea', label: 'ご意見' }),
    item({
      key: 'old',
      type: 'single',
      label: '廃止した項目',
      retired: true,
      choices: [choice('60', 'はい')],
    }),
  ],
};

const base = { birth: 1980, area: { ward: '10', town: '11' } };
const codes = (r: ReturnType<typeof applyAnswers>) => r.problems.map((p) => p.code);

describe('applyAnswers (G-01, G-03)', () => {
  it('G-01: a complete answer is stored as choice IDs, numbers and texts', () => {
    const r = applyAnswers(form, null, {
      ...base,
      gender: '2',
      topics: ['40', '42'],
      pref: '51',
      nickname: ' はな ',
      memo: '一行目\n二行目',
    });
    expect(r.problems).toEqual([]);
    expect(r.answers.choiceIds.sort()).toEqual(['10', '11', '2', '40', '42', '51'].sort());
    expect(r.answers.numbers).toEqual({ birth: 1980 });
    expect(r.answers.texts).toEqual({ nickname: 'はな', memo: '一行目\n二行目' });
  });

  it('G-03: a partial change replaces only the items it names', () => {
    const first = applyAnswers(form, null, { ...base, gender: '1', topics: ['40'] }).answers;
    const r = applyAnswers(form, first, { topics: ['41', '43'] });
    expect(r.problems).toEqual([]);
    expect(answersOf(form, r.answers, { includeRetired: false })).toEqual({
      birth: 1980,
      gender: '1',
      area: { ward: '10', town: '11' },
      topics: ['41', '43'],
    });
    const cleared = applyAnswers(form, r.answers, { gender: null, topics: [] }).answers;
    expect(answersOf(form, cleared, { includeRetired: false })).toEqual({
      birth: 1980,
      area: { ward: '10', town: '11' },
    });
  });

  it('G-01: required items must be answered, also after a partial change', () => {
    expect(codes(applyAnswers(form, null, { gender: '1' }))).toEqual([
      'FORM_ANSWER_REQUIRED',
      'FORM_ANSWER_REQUIRED',
    ]);
    const first = applyAnswers(form, null, base).answers;
    const r = applyAnswers(form, first, { birth: null });
    expect(r.problems).toEqual([
      { path: 'answers.birth', code: 'FORM_ANSWER_REQUIRED', message: '「生年」は必須です' },
    ]);
  });

  it('bad input: a choice of another item, an unknown item, a retired item', () => {
    expect(codes(applyAnswers(form, null, { ...base, gender: '40' }))).toEqual(['FORM_CHOICE_INVALID']);
    expect(codes(applyAnswers(form, null, { ...base, pref: '999' }))).toEqual(['FORM_CHOICE_INVALID']);
    expect(codes(applyAnswers(form, null, { ...base, nope: '1' }))).toEqual(['FORM_ITEM_UNKNOWN']);
    expect(codes(applyAnswers(form, null, { ...base, old: '60' }))).toEqual(['FORM_ITEM_RETIRED']);
    expect(codes(applyAnswers(form, null, { ...base, gender: ['1'] }))).toEqual(['FORM_ANSWER_TYPE']);
    expect(codes(applyAnswers(form, null, { ...base, topics: '40' }))).toEqual(['FORM_ANSWER_TYPE']);
  });

  it('G-11: a retired choice cannot be newly chosen, but one already held is kept', () => {
    expect(codes(applyAnswers(form, null, { ...base, gender: '4' }))).toEqual(['FORM_CHOICE_INVALID']);
    expect(codes(applyAnswers(form, null, { ...base, topics: ['40', '44'] }))).toEqual([
      'FORM_CHOICE_INVALID',
    ]);
    const held: StoredAnswers = { choiceIds: ['10', '11', '4', '44'], numbers: { birth: 1970 }, texts: {} };
    const r = applyAnswers(form, held, { gender: '4', topics: ['44', '41'] });
    expect(r.problems).toEqual([]);
    expect(answersOf(form, r.answers, { includeRetired: false })).toMatchObject({
      gender: '4',
      topics: ['41', '44'],
    });
  });

  it('G-01: the town must belong to the chosen ward', () => {
    const r = applyAnswers(form, null, { birth: 1980, area: { ward: '10', town: '21' } });
    expect(r.problems).toEqual([
      { path: 'answers.area', code: 'FORM_TOWN_NOT_IN_WARD', message: '選んだ町丁は「中央区」にありません' },
    ]);
    expect(codes(applyAnswers(form, null, { birth: 1980, area: { ward: '11', town: null } }))).toEqual([
      'FORM_CHOICE_INVALID',
    ]);
    expect(codes(applyAnswers(form, null, { birth: 1980, area: { ward: '20', town: '22' } }))).toEqual([
      'FORM_CHOICE_INVALID',
    ]);
    expect(codes(applyAnswers(form, null, { birth: 1980, area: { ward: '30', town: '31' } }))).toEqual([
      'FORM_CHOICE_INVALID',
    ]);
    // A required area item needs the town when the ward has towns.
    expect(codes(applyAnswers(form, null, { birth: 1980, area: { ward: '20' } }))).toEqual([
      'FORM_TOWN_REQUIRED',
    ]);
    const moved = applyAnswers(form, null, { birth: 1980, area: { ward: '20', town: '21' } });
    expect(moved.problems).toEqual([]);
    expect(moved.answers.choiceIds.sort()).toEqual(['20', '21']);
  });

  it('G-01: birth year within the configured range, whole numbers only', () => {
    expect(applyAnswers(form, null, { ...base, birth: 2021 }).problems).toEqual([
      {
        path: 'answers.birth',
        code: 'FORM_BIRTH_YEAR_RANGE',
        message: '「生年」は1920年から2020年の間で入力してください',
      },
    ]);
    expect(codes(applyAnswers(form, null, { ...base, birth: 1919 }))).toEqual(['FORM_BIRTH_YEAR_RANGE']);
    expect(codes(applyAnswers(form, null, { ...base, birth: 1980.5 }))).toEqual(['FORM_ANSWER_TYPE']);
    expect(codes(applyAnswers(form, null, { ...base, birth: '1980' }))).toEqual(['FORM_ANSWER_TYPE']);
    expect(applyAnswers(form, null, { ...base, birth: 2020 }).problems).toEqual([]);
  });

  it('G-01: without a configured range the birth year goes up to this year in Tokyo', () => {
    const open: FormView = { ...form, items: [item({ key: 'y', type: 'birth_year', label: '生年' })] };
    const newYearsEve = new Date('2025-12-31T15:30:00Z'); // 2026-01-01 00:30 in Tokyo
    expect(applyAnswers(open, null, { y: 2026 }, newYearsEve).problems).toEqual([]);
    expect(codes(applyAnswers(open, null, { y: 2027 }, newYearsEve))).toEqual(['FORM_BIRTH_YEAR_RANGE']);
  });

  it('bad input: text length and characters, too many choices', () => {
    expect(codes(applyAnswers(form, null, { ...base, nickname: 'あいうえおか' }))).toEqual([
      'FORM_TEXT_TOO_LONG',
    ]);
    expect(applyAnswers(form, null, { ...base, nickname: '👍👍👍👍👍' }).problems).toEqual([]);
    expect(codes(applyAnswers(form, null, { ...base, nickname: 'a\nb' }))).toEqual(['FORM_TEXT_INVALID']);
    expect(codes(applyAnswers(form, null, { ...base, memo: 'a\u0007b' }))).toEqual(['FORM_TEXT_INVALID']);
    expect(codes(applyAnswers(form, null, { ...base, memo: 'x'.repeat(1001) }))).toEqual([
      'FORM_TEXT_TOO_LONG',
    ]);
    expect(codes(applyAnswers(form, null, { ...base, topics: ['40', '41', '42', '43'] }))).toEqual([
      'FORM_TOO_MANY_CHOICES',
    ]);
  });
});

describe('reading answers (G-11, D-08)', () => {
  const held: StoredAnswers = {
    choiceIds: ['4', '20', '22', '40', '44', '60'],
    numbers: { birth: 1990 },
    texts: { memo: 'よろしく' },
  };

  it('G-11: retired items and choices stay readable', () => {
    expect(answersOf(form, held, { includeRetired: true })).toEqual({
      birth: 1990,
      gender: '4',
      area: { ward: '20', town: '22' },
      topics: ['40', '44'],
      memo: 'よろしく',
      old: '60',
    });
    expect(answersOf(form, held, { includeRetired: false })).not.toHaveProperty('old');
    const row = answerFormatter(form)(held);
    const cell = (k: string) => row[form.items.findIndex((i) => i.key === k)];
    expect(cell('gender')).toBe('その他');
    expect(cell('area')).toBe('美浜区 旧町');
    expect(cell('topics')).toBe('防災、旧分野');
    expect(cell('birth')).toBe(1990);
    expect(cell('memo')).toBe('よろしく');
    expect(cell('old')).toBe('はい');
    expect(cell('pref')).toBe('');
    expect(cell('nickname')).toBe('');
  });

  it('G-02: the citizen sees only active items and choices (towns of a retired ward hidden)', () => {
    const p = publicForm(form);
    expect(p.items.map((i) => i.key)).not.toContain('old');
    const area = p.items.find((i) => i.key === 'area')!;
    expect(area.choices.map((c) => c.label)).toEqual(['中央区', '中央', '新町', '美浜区', '幕張西']);
    expect(p.items.find((i) => i.key === 'birth')!.config).toEqual({ min: 1920, max: 2020 });
    expect(p.items.find((i) => i.key === 'memo')!.config).toEqual({ maxLength: 1000 });
  });
});

describe('item settings (G-11)', () => {
  it('bad input: settings that do not fit the type', () => {
    expect(configProblem('single', { maxLength: 10 })).toMatch(/maxLength/);
    expect(configProblem('birth_year', { min: 2000, max: 1990 })).toMatch(/生年の範囲/);
    expect(configProblem('birth_year', { min: 1930, max: 2010 })).toBeNull();
    expect(configProblem('multiple', { maxSelections: 3 })).toBeNull();
  });
});

describe('conditions, staff-only items and the survey item types (Q-01)', () => {
  const survey: FormView = {
    ...form,
    purpose: 'survey',
    items: [
      item({
        key: 'used',
        type: 'single',
        label: '利用',
        required: true,
        choices: [choice('1', 'はい'), choice('2', 'いいえ')],
      }),
      item({
        key: 'why',
        type: 'textarea',
        label: '理由',
        required: true,
        config: { showIf: { item: 'used', choices: ['1'] } },
      }),
      item({
        key: 'how',
        type: 'select',
        label: '方法',
        config: { showIf: { item: 'why', choices: ['1'] } },
      }),
      item({
        key: 'age',
        type: 'number',
        label: '年齢',
        config: { minValue: 0, maxValue: 120, integer: true },
      }),
      item({ key: 'zip', type: 'postal_code', label: '郵便番号' }),
      item({ key: 'note', type: 'description', label: 'ご協力ください' }),
      item({ key: 'memo', type: 'text', label: '担当メモ', config: { staffOnly: true } }),
    ],
  };
  const codes = (r: ReturnType<typeof applyAnswers>) => r.problems.map((p) => [p.path, p.code]);

  it('Q-01: a condition makes an item required only while shown; a hidden answer is dropped', () => {
    expect(codes(applyAnswers(survey, null, { used: '1' }))).toEqual([
      ['answers.why', 'FORM_ANSWER_REQUIRED'],
    ]);
    const shown = applyAnswers(survey, null, { used: '1', why: '窓口で' });
    expect(shown.problems).toEqual([]);
    const hidden = applyAnswers(survey, shown.answers, { used: '2' });
    expect(hidden.problems).toEqual([]);
    expect(hidden.answers.texts).toEqual({});
  });

  it('Q-01: staff-only items are unknown to citizens and the only ones staff may set; never in the public form', () => {
    expect(codes(applyAnswers(survey, null, { used: '2', memo: 'x' }))).toEqual([
      ['answers.memo', 'FORM_ITEM_UNKNOWN'],
    ]);
    expect(codes(applyAnswers(survey, null, { memo: '確認済み' }, new Date(), 'staff'))).toEqual([]);
    expect(codes(applyAnswers(survey, null, { age: 3 }, new Date(), 'staff'))).toEqual([
      ['answers.age', 'FORM_ITEM_NOT_STAFF'],
    ]);
    expect(publicForm(survey).items.map((i) => i.key)).toEqual(['used', 'why', 'how', 'age', 'zip', 'note']);
    expect(codes(applyAnswers(survey, null, { used: '2', note: 'x' }))).toEqual([
      ['answers.note', 'FORM_ITEM_UNKNOWN'],
    ]);
  });

  it('Q-01: numbers and postal codes are checked and kept normalised; settings that do not fit a type are refused', () => {
    expect(codes(applyAnswers(survey, null, { used: '2', age: 12.5 }))).toEqual([
      ['answers.age', 'FORM_NUMBER_NOT_INTEGER'],
    ]);
    const ok = applyAnswers(survey, null, { used: '2', age: 42, zip: '２７２－００２１' });
    expect(ok.answers).toMatchObject({ numbers: { age: 42 }, texts: { zip: '2720021' } });
    expect(configProblem('number', { minValue: 5, maxValue: 1 })).toMatch(/最小値/);
    expect(configProblem('date', { maxLength: 5 })).toMatch(/設定できない/);
    expect(configProblem('description', { staffOnly: true })).toMatch(/設定できない/);
  });
});

describe('file items (Q-01)', () => {
  const A = '11111111-1111-4111-8111-111111111111';
  const B = '22222222-2222-4222-8222-222222222222';
  const C = '33333333-3333-4333-8333-333333333333';
  const survey: FormView = {
    ...form,
    purpose: 'survey',
    items: [
      item({
        key: 'kind',
        type: 'single',
        label: '種類',
        choices: [choice('1', '写真あり'), choice('2', '写真なし')],
      }),
      item({
        key: 'photos',
        type: 'file',
        label: '写真',
        required: true,
        config: { maxFiles: 2, accept: 'image', showIf: { item: 'kind', choices: ['1'] } },
      }),
    ],
  };

  it('Q-01: a file item takes maxFiles, accept and a condition, never staff-only or other settings', () => {
    expect(
      configProblem('file', { maxFiles: 3, accept: 'image_pdf', showIf: { item: 'k', choices: ['1'] } }),
    ).toBe(null);
    expect(configProblem('file', { staffOnly: true })).toMatch(/staffOnly/);
    expect(configProblem('file', { maxLength: 10 })).toMatch(/maxLength/);
    expect(configProblem('text', { maxFiles: 2 })).toMatch(/maxFiles/);
  });

  it('Q-01: answers are file IDs (at most maxFiles, deduplicated), required when shown, dropped when hidden; the export shows their names', () => {
    const shown = { kind: '1' };
    const problem = (input: Record<string, unknown>) =>
      applyAnswers(survey, null, input as never).problems.map((p) => p.code);
    expect(problem({ ...shown })).toEqual(['FORM_ANSWER_REQUIRED']);
    expect(problem({ ...shown, photos: [A, B, C] })).toEqual(['FORM_TOO_MANY_FILES']);
    expect(problem({ ...shown, photos: ['12'] })).toEqual(['FORM_ANSWER_TYPE']);
    expect(problem({ ...shown, photos: 'x' })).toEqual(['FORM_ANSWER_TYPE']);
    const { answers, problems } = applyAnswers(survey, null, { ...shown, photos: [A, A, B] });
    expect(problems).toEqual([]);
    expect(answers.files).toEqual({
      photos: [
        { id: A, name: '' },
        { id: B, name: '' },
      ],
    });
    // Kept with their names when sent back; gone when the condition hides the item.
    const held: StoredAnswers = {
      ...answers,
      files: {
        photos: [
          { id: A, name: 'a.jpg' },
          { id: B, name: 'b.png' },
        ],
      },
    };
    expect(applyAnswers(survey, held, { photos: [B] }).answers.files).toEqual({
      photos: [{ id: B, name: 'b.png' }],
    });
    expect(answersOf(survey, held, { includeRetired: false })).toEqual({ kind: '1', photos: [A, B] });
    expect(answerFormatter(survey)(held)).toEqual(['写真あり', 'a.jpg、b.png']);
    const hidden = applyAnswers(survey, held, { kind: '2' });
    expect(hidden.problems).toEqual([]);
    expect(hidden.answers.files).toEqual({});
    expect(publicForm(survey).items[1]!.config).toEqual({
      showIf: { item: 'kind', choices: ['1'] },
      maxFiles: 2,
      accept: 'image',
    });
  });
});
