import { describe, expect, it } from 'vitest';
import { checkDrafts, postalDigits } from './checks.ts';
import type { FormItem } from './draft.ts';

// The checks before sending a survey, the server's rules: every item type and setting.

const item = (over: Partial<FormItem> & Pick<FormItem, 'key' | 'type'>): FormItem => ({
  id: over.key,
  label: over.key,
  required: false,
  help: '',
  config: {},
  choices: [],
  ...over,
});

const choices = ['1', '2', '3'].map((id) => ({ id, label: id, parentId: null }));
const items: FormItem[] = [
  item({ key: 'qty', type: 'number', config: { minValue: 1, maxValue: 10, integer: true } }),
  item({ key: 'ratio', type: 'number', config: { minValue: -1.5 } }),
  item({ key: 'day', type: 'date' }),
  item({ key: 'zip', type: 'postal_code' }),
  item({ key: 'tel', type: 'phone' }),
  item({ key: 'mail', type: 'email' }),
  item({ key: 'addr', type: 'address' }),
  item({ key: 'kana', type: 'text', config: { charset: 'katakana', minLength: 2, maxLength: 5 } }),
  item({ key: 'code', type: 'text', config: { charset: 'hankaku_alnum' } }),
  item({ key: 'picks', type: 'multiple', choices, config: { minSelections: 2 } }),
  item({ key: 'about', type: 'description', required: true }),
  item({ key: 'must', type: 'email', required: true }),
];

describe('form checks before sending (Q-01)', () => {
  it('accepts good answers, as typed on a Japanese keyboard (full-width digits, hyphens)', () => {
    expect(
      checkDrafts(items, {
        qty: '１０',
        ratio: '-1.5',
        day: '2026-02-28',
        zip: '２７２－００２１',
        tel: '047-334-1111',
        mail: 'name@example.jp',
        addr: '千葉県市川市八幡1-1-1',
        kana: 'イチカワ',
        code: 'AB12',
        picks: ['1', '3'],
        must: 'a@b.jp',
      }),
    ).toEqual({});
  });

  it('names the first problem of each item; a description needs no answer; unanswered optional items pass', () => {
    expect(
      checkDrafts(items, {
        qty: '2.5',
        ratio: '-2',
        day: '2026-02-30',
        zip: '27200',
        tel: '12345',
        mail: 'name@example',
        addr: 'あ'.repeat(201),
        kana: 'いちかわ',
        code: 'ＡＢ',
        picks: ['1'],
        must: '',
      }),
    ).toEqual({
      qty: { kind: 'integer' },
      ratio: { kind: 'range', min: -1.5, max: undefined },
      day: { kind: 'date' },
      zip: { kind: 'postalCode' },
      tel: { kind: 'phone' },
      mail: { kind: 'email' },
      addr: { kind: 'tooLong', max: 200 },
      kana: { kind: 'charset', charset: 'katakana' },
      code: { kind: 'charset', charset: 'hankaku_alnum' },
      picks: { kind: 'tooFew', min: 2 },
      must: { kind: 'required' },
    });
    expect(checkDrafts(items, { qty: 'abc', kana: 'ア', must: 'x@y.jp' })).toEqual({
      qty: { kind: 'number' },
      kana: { kind: 'tooShort', min: 2 },
    });
    expect(checkDrafts(items, { qty: '11', kana: 'アイウエオカ', must: 'x@y.jp' })).toEqual({
      qty: { kind: 'range', min: 1, max: 10 },
      kana: { kind: 'tooLong', max: 5 },
    });
  });

  it('a postal code is complete at 7 digits, with or without the hyphen', () => {
    expect(postalDigits('2720021')).toBe('2720021');
    expect(postalDigits('272-0021')).toBe('2720021');
    expect(postalDigits('２７２０DD２１')).toBeNull();
    expect(postalDigits('272002')).toBeNull();
  });
});
