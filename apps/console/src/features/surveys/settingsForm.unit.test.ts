import { describe, expect, it } from 'vitest';
import { answerText, percentText } from './answerText.ts';
import { EMPTY_SETTINGS, settingsRequest } from './settingsForm.ts';

describe('settingsRequest', () => {
  it('sends the period as instants of Tokyo time, with the day edges when no time is given', () => {
    const result = settingsRequest({
      ...EMPTY_SETTINGS,
      title: ' 市民意識調査 ',
      opensDate: '2026-12-01',
      closesDate: '2026-12-20',
      closesTime: '17:00',
    });
    expect(result).toEqual({
      settings: {
        title: '市民意識調査',
        description: '',
        mode: 'overwrite',
        anonymous: false,
        opensAt: '2026-11-30T15:00:00.000Z',
        closesAt: '2026-12-20T08:00:00.000Z',
        audienceSegmentId: null,
      },
    });
  });

  it('names the fields to fix', () => {
    expect(settingsRequest({ ...EMPTY_SETTINGS, opensDate: '2026-12-02', closesDate: '2026-12-01' })).toEqual(
      { errors: { title: 'surveys.err.title', closes: 'surveys.err.period' } },
    );
    expect(settingsRequest({ ...EMPTY_SETTINGS, title: 'a', opensTime: '09:00' })).toEqual({
      errors: { opens: 'surveys.err.dateTime' },
    });
  });
});

describe('answerText', () => {
  const item = {
    id: 'i',
    key: 'q',
    label: 'Q',
    type: 'multiple' as const,
    required: false,
    position: 0,
    help: '',
    config: {},
    retired: false,
    choices: [
      { id: '1', label: 'バス', parentId: null, position: 0, retired: false },
      { id: '2', label: '電車', parentId: null, position: 1, retired: true },
    ],
  };
  it('shows choice labels, retired ones too', () => {
    expect(answerText(item, ['1', '2'])).toBe('バス、電車');
    expect(answerText({ ...item, type: 'single' }, '2')).toBe('電車');
    expect(answerText({ ...item, type: 'text' }, '')).toBe('');
  });
  it('gives shares with one decimal', () => {
    expect(percentText(1, 3)).toBe('33.3%');
    expect(percentText(0, 0)).toBe('0%');
  });
});
