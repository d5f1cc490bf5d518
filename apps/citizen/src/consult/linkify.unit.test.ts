import { describe, expect, it } from 'vitest';
import { splitLinks } from './linkify.ts';

describe('splitLinks', () => {
  it('keeps plain text as text', () => {
    expect(splitLinks('<b>こんにちは</b>')).toEqual([{ kind: 'text', text: '<b>こんにちは</b>' }]);
  });

  it('links http(s) URLs without the sentence punctuation after them', () => {
    expect(splitLinks('詳しくは https://example.jp/a?b=1. をご覧ください')).toEqual([
      { kind: 'text', text: '詳しくは ' },
      { kind: 'link', text: 'https://example.jp/a?b=1', href: 'https://example.jp/a?b=1' },
      { kind: 'text', text: '. をご覧ください' },
    ]);
    expect(splitLinks('（https://example.jp）')).toEqual([
      { kind: 'text', text: '（' },
      { kind: 'link', text: 'https://example.jp', href: 'https://example.jp/' },
      { kind: 'text', text: '）' },
    ]);
  });

  it('never links other schemes', () => {
    expect(splitLinks('javascript:alert(1) data:text/html,x')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) data:text/html,x' },
    ]);
  });
});
