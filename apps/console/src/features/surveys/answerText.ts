import type { AnswerValue, FormItemView } from '@madoguchi/contracts/forms.ts';

// An answer as text for the results list: choice IDs become their labels (retired ones too, so
// old answers stay readable), an area its ward and town, numbers and texts as they are.

export function answerText(item: FormItemView, value: AnswerValue | undefined): string {
  if (value === undefined || value === null || value === '') return '';
  const label = (id: string) => item.choices.find((c) => c.id === id)?.label ?? id;
  if (Array.isArray(value)) return value.map(label).join('、');
  if (typeof value === 'object') {
    const ward = label(value.ward);
    return value.town ? `${ward} ${label(value.town)}` : ward;
  }
  if (typeof value === 'number') return value.toLocaleString('ja-JP');
  if (item.type === 'single' || item.type === 'select') return label(value);
  return value;
}

/** Share of `n` in `total` as `12.5%` (one decimal; 0% when nothing was answered). */
export function percentText(n: number, total: number): string {
  if (total <= 0) return '0%';
  return `${(Math.round((n / total) * 1000) / 10).toLocaleString('ja-JP')}%`;
}
