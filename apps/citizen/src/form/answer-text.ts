import { type Draft, type FormItem, fromDraft } from './draft.ts';

// What an answer reads as on a confirmation screen (the booking's 確認): choices by their labels.

/** The text of an item's draft, or null when it is unanswered (or a description). */
export function draftText(item: FormItem, draft: Draft | undefined): string | null {
  if (draft === undefined) return null;
  const value = fromDraft(item, draft);
  if (value === null) return null;
  const label = (id: string) => item.choices.find((c) => c.id === id)?.label ?? id;
  if (Array.isArray(value)) return value.map(label).join('、');
  if (typeof value === 'object')
    return [label(value.ward), value.town ? label(value.town) : ''].join(' ').trim();
  if (item.type === 'single' || item.type === 'select') return label(String(value));
  return String(value);
}
