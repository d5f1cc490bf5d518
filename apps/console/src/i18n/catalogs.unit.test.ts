import { catalogProblems } from '@madoguchi/contracts/i18n-catalogs.ts';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { ja } from './ja.ts';

// The console's English locale (issue 13): every ja key has English text and the other way round,
// with the same {placeholders}, and no Japanese left in it except the keys below.

describe('console catalogs (issue 13)', () => {
  it('en has every ja key, in English, with the same placeholders', () => {
    expect(
      catalogProblems(ja, en, {
        japanese: { 'app.switchLanguage': 'the link to the Japanese locale names it in Japanese' },
        empty: {
          'analytics.unitDeliveries': '件 after a count: English shows the bare number',
          'analytics.unitPeople': '人 after a count: English shows the bare number',
          'analytics.unitClicks': '回 after a count: English shows the bare number',
          'dashboard.people': '人 after a count: English shows the bare number',
          'stats.unit': '件 after a count: English shows the bare number',
        },
      }),
    ).toEqual([]);
  });
});
