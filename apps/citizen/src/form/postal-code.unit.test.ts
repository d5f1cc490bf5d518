import { describe, expect, it } from 'vitest';
import { addressText } from './postal-code.ts';

// The address a postal code fills in.

describe('postal code address', () => {
  const a = { prefecture: '千葉県', city: '市川市', town: '八幡' };
  it('one town: prefecture, city and town; several towns: what they share; none: null', () => {
    expect(addressText([a])).toBe('千葉県市川市八幡');
    expect(addressText([a, a])).toBe('千葉県市川市八幡');
    expect(addressText([a, { ...a, town: '南八幡' }])).toBe('千葉県市川市');
    expect(addressText([a, { ...a, city: '船橋市' }])).toBeNull();
    expect(addressText([])).toBeNull();
  });
});
