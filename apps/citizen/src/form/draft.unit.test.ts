import { describe, expect, it } from 'vitest';
import { checkDrafts } from './checks.ts';
import { answersOf, changedAnswers, draftsOf, type FormItem, fromDraft, shownItems } from './draft.ts';

// A form's state (registration G-01, G-03; surveys Q-01): what it shows, what it sends, what it checks.

const item = (over: Partial<FormItem> & Pick<FormItem, 'key' | 'type'>): FormItem => ({
  id: over.key,
  label: over.key,
  required: false,
  help: '',
  config: {},
  choices: [],
  ...over,
});

const items: FormItem[] = [
  item({ key: 'birth', type: 'birth_year', required: true, config: { min: 1920, max: 2020 } }),
  item({ key: 'gender', type: 'single', choices: [{ id: '1', label: '男性', parentId: null }] }),
  item({
    key: 'area',
    type: 'area',
    required: true,
    choices: [
      { id: '10', label: '中央区', parentId: null },
      { id: '11', label: '中央', parentId: '10' },
      { id: '20', label: '緑区', parentId: null },
    ],
  }),
  item({
    key: 'topics',
    type: 'multiple',
    config: { maxSelections: 2 },
    choices: ['40', '41', '42'].map((id) => ({ id, label: id, parentId: null })),
  }),
  item({ key: 'memo', type: 'text', config: { maxLength: 3 } }),
];

describe('registration drafts (G-01, G-03)', () => {
  it('G-03: only changed items are sent; choices the page does not show are left alone', () => {
    // "44" is a retired topic the citizen held: not shown, so not in the draft.
    const initial = draftsOf(items, { birth: 1980, area: { ward: '10', town: '11' }, topics: ['40', '44'] });
    expect(initial.topics).toEqual(['40']);
    expect(changedAnswers(items, initial, initial)).toEqual({});
    const edited = { ...initial, gender: '1', memo: ' ab ' };
    expect(changedAnswers(items, initial, edited)).toEqual({ gender: '1', memo: 'ab' });
    expect(changedAnswers(items, initial, { ...initial, topics: [] })).toEqual({ topics: null });
  });

  it('G-01: full-width digits are read as a year; required, range, town and limits are checked', () => {
    expect(fromDraft(items[0]!, '１９８５')).toBe(1985);
    const drafts = draftsOf(items, {});
    expect(checkDrafts(items, drafts)).toEqual({ birth: { kind: 'required' }, area: { kind: 'required' } });
    expect(
      checkDrafts(items, {
        ...drafts,
        birth: '1919',
        area: { ward: '10', town: '' },
        topics: ['40', '41', '42'],
        memo: 'abcd',
      }),
    ).toEqual({
      birth: { kind: 'year', min: 1920, max: 2020 },
      area: { kind: 'town' },
      topics: { kind: 'tooMany', max: 2 },
      memo: { kind: 'tooLong', max: 3 },
    });
    // A ward without towns needs no town.
    expect(checkDrafts(items, { ...drafts, birth: '2000', area: { ward: '20', town: '' } })).toEqual({});
  });

  it('Q-01: an item with showIf is shown only while the named item holds one of its choices; hidden and description items are not sent', () => {
    const choices = ['1', '2', '3'].map((id) => ({ id, label: id, parentId: null }));
    const form: FormItem[] = [
      item({ key: 'uses', type: 'single', choices }),
      item({
        key: 'why',
        type: 'text',
        required: true,
        config: { showIf: { item: 'uses', choices: ['1', '2'] } },
      }),
      // Depends on a hidden item: hidden too.
      item({ key: 'more', type: 'multiple', choices, config: { showIf: { item: 'why', choices: ['1'] } } }),
      item({ key: 'age', type: 'number', config: { showIf: { item: 'uses', choices: ['3'] } } }),
      item({ key: 'note', type: 'description' }),
      item({ key: 'count', type: 'number' }),
    ];
    const keys = (d: Record<string, unknown>) => shownItems(form, d as never).map((i) => i.key);
    expect(keys({})).toEqual(['uses', 'note', 'count']);
    expect(keys({ uses: '2' })).toEqual(['uses', 'why', 'note', 'count']);
    expect(keys({ uses: '3' })).toEqual(['uses', 'age', 'note', 'count']);
    // A hidden required item is not asked for; its draft is not sent.
    expect(checkDrafts(form, { uses: '3', why: '' })).toEqual({});
    expect(checkDrafts(form, { uses: '1', why: '' })).toEqual({ why: { kind: 'required' } });
    expect(answersOf(form, { uses: '3', why: 'old text', age: '４２', count: '' })).toEqual({
      uses: '3',
      age: 42,
      count: null,
    });
  });
});
