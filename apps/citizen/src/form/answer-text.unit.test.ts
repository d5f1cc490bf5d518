import { describe, expect, it } from 'vitest';
import { draftText } from './answer-text.ts';
import type { FormItem } from './draft.ts';

// The answers as the booking's confirm screen shows them.

const item = (type: FormItem['type'], choices: [string, string][] = []): FormItem => ({
  id: 'i',
  key: 'k',
  label: 'L',
  type,
  required: false,
  help: '',
  config: {},
  choices: choices.map(([id, label]) => ({ id, label, parentId: null })),
});

describe('draftText', () => {
  it('texts as typed, choices by their labels, unanswered as null', () => {
    expect(draftText(item('phone'), ' 047-334-1111 ')).toBe('047-334-1111');
    expect(draftText(item('text'), '')).toBeNull();
    expect(draftText(item('text'), undefined)).toBeNull();
    const choices: [string, string][] = [
      ['a', 'はい'],
      ['b', 'いいえ'],
    ];
    expect(draftText(item('single', choices), 'b')).toBe('いいえ');
    expect(draftText(item('multiple', choices), ['a', 'b'])).toBe('はい、いいえ');
    expect(draftText(item('multiple', choices), [])).toBeNull();
    expect(draftText(item('description'), '')).toBeNull();
  });
});
