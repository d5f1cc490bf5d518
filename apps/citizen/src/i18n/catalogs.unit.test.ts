import { catalogProblems } from '@madoguchi/contracts/i18n-catalogs.ts';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ja } from './ja.ts';

// The citizen pages' English locale (issue 13): every ja key has English text and the other way
// round, with the same {placeholders}, and no Japanese left in it except the keys below.

describe('citizen catalogs (issue 13)', () => {
  it('en has every ja key, in English, with the same placeholders', () => {
    expect(
      catalogProblems(ja, en, {
        japanese: {
          'language.switchTo': 'the link to the Japanese locale names it in Japanese',
          'language.switchLabel': 'and says so in Japanese, as the ja one says Switch to English',
        },
        empty: { 'consult.connection.stopped': 'no notice once the chat has stopped, in either locale' },
      }),
    ).toEqual([]);
  });
});
