import { describe, expect, it } from 'vitest';
import { matchKeywords } from './chatbot-line.ts';

// The published keywords matched in memory (read once per dispatch batch, issue 12): the same rule
// the query had — exact before contained, longer before shorter (counted in characters, not UTF-16).

const row = (match: 'exact' | 'contains', word: string, key = word) => ({
  match,
  word,
  only_in_disaster: false,
  id: `id-${key}`,
  key,
});

describe('matchKeywords', () => {
  it('B-02: exact matches first, then contained words longest first; others are left out', () => {
    const rows = [
      row('contains', 'ごみ', 'gomi'),
      row('contains', '粗大ごみ', 'sodai'),
      row('exact', '粗大ごみの日', 'exact'),
      row('exact', 'ごみ', 'gomi-exact'),
      row('contains', '住民票', 'juminhyo'),
    ];
    expect(matchKeywords(rows, '粗大ごみの日').map((r) => r.key)).toEqual(['exact', 'sodai', 'gomi']);
    expect(matchKeywords(rows, 'ごみ').map((r) => r.key)).toEqual(['gomi-exact', 'gomi']);
    expect(matchKeywords(rows, 'こんにちは')).toEqual([]);
  });

  it('B-02: length counts characters (a surrogate pair is one, as in PostgreSQL)', () => {
    // 𠮷野 is 2 characters but 3 UTF-16 units, as long as 野家山 in units: by characters 野家山 wins.
    const rows = [row('contains', '𠮷野', 'pair'), row('contains', '野家山', 'three')];
    expect(matchKeywords(rows, '𠮷野家山').map((r) => r.key)).toEqual(['three', 'pair']);
  });
});
