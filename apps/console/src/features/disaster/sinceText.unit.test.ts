import { describe, expect, it } from 'vitest';
import { ja } from '../../i18n/ja.ts';
import { sinceText } from './sinceText.ts';

// The banner's 「災害モード中（◯時◯分から）」: Tokyo time, the date only when not today.

const t = (key: keyof typeof ja, vars: Record<string, string | number> = {}) =>
  ja[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

describe('sinceText (X-01)', () => {
  it('X-01: today in Tokyo gives hours and minutes; another day adds the date', () => {
    const now = new Date('2026-12-02T05:00:00Z'); // 14:00 in Tokyo
    expect(sinceText(t, '2026-12-02T01:05:00Z', now)).toBe('10時05分');
    // 23:30 UTC on 1 December is 08:30 on 2 December in Tokyo: still today.
    expect(sinceText(t, '2026-12-01T23:30:00Z', now)).toBe('8時30分');
    expect(sinceText(t, '2026-12-01T14:59:00Z', now)).toBe('12月1日 23時59分');
  });
});
