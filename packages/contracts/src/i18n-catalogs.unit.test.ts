import { describe, expect, it } from 'vitest';
import { catalogProblems } from './i18n-catalogs.ts';

// The check the web apps' catalog tests run (issue 13).

describe('i18n catalog check (issue 13)', () => {
  it('finds missing keys both ways, empty and Japanese English text (also 「」（）), and unlike placeholders', () => {
    const ja = { a: '保存', b: '{count} 件', c: '名前', d: '件', e: '日本語', f: '「{x}」（新規）' };
    const en = { a: '', b: '{n} items', c: '名前', d: '', f: '「{x}」 (new)', x: 'Extra' };
    expect(catalogProblems(ja, en as Record<string, string>, { empty: { d: 'unit' } })).toEqual([
      'e: missing in en',
      'x: missing in ja',
      'a: empty in en',
      'b: placeholders {count} in ja, {n} in en',
      'c: Japanese in en: "名前"',
      'f: Japanese in en: "「{x}」 (new)"',
    ]);
  });

  it('an allowed key that is gone is reported, so the list stays short', () => {
    expect(catalogProblems({ a: 'A' }, { a: 'A' }, { japanese: { gone: 'was the 日本語 link' } })).toEqual([
      'gone: allowed but not in the catalogs (remove it from the list)',
    ]);
  });
});
