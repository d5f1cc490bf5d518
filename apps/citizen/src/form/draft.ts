import { halfWidthDigits } from '@madoguchi/contracts/answer-formats.ts';
import type { Answers, AnswerValue, PublicFormItem } from '@madoguchi/contracts/forms.ts';

// What a form (registration, survey) holds while the citizen edits it, what is shown (conditions),
// and what is sent. The checks before sending are in checks.ts (the server checks again).

export type FormItem = PublicFormItem;
export type Draft = string | string[] | { ward: string; town: string };
export type Drafts = Record<string, Draft>;

/** Full-width digits (１９８５) as typed with a Japanese keyboard, made ASCII. */
export const asciiDigits = (text: string) =>
  text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** A typed number (full-width digits, minus and point allowed) as a number; NaN when it is none. */
export function parseNumber(text: string): number {
  const t = halfWidthDigits(text)
    .replace(/[．。]/g, '.')
    .replace(/[＋+]/g, '');
  return /^-?[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : Number.NaN;
}

const visible = (item: FormItem, id: string) => item.choices.some((c) => c.id === id);

/** The editable value of an answer; choices the page does not show (retired ones) are left out. */
export function toDraft(item: FormItem, answer: AnswerValue | undefined): Draft {
  switch (item.type) {
    case 'multiple':
      return Array.isArray(answer) ? answer.filter((id) => visible(item, id)) : [];
    case 'area': {
      const a = answer && typeof answer === 'object' && !Array.isArray(answer) ? answer : null;
      const ward = a && visible(item, a.ward) ? a.ward : '';
      const town = ward && a?.town && visible(item, a.town) ? a.town : '';
      return { ward, town };
    }
    case 'birth_year':
    case 'number':
      return typeof answer === 'number' ? String(answer) : '';
    case 'single':
    case 'select':
      return typeof answer === 'string' && visible(item, answer) ? answer : '';
    case 'description':
      return '';
    case 'file':
      return Array.isArray(answer) ? answer : [];
    default:
      return typeof answer === 'string' ? answer : '';
  }
}

/** The answer to send for a draft (null clears it). */
export function fromDraft(item: FormItem, draft: Draft): AnswerValue {
  if (item.type === 'description') return null;
  if (Array.isArray(draft)) return draft.length > 0 ? draft : null;
  if (typeof draft === 'object') return draft.ward ? { ward: draft.ward, town: draft.town || null } : null;
  const text = draft.trim();
  if (text === '') return null;
  if (item.type === 'birth_year') return Number(asciiDigits(text));
  if (item.type === 'number') return parseNumber(text);
  return text;
}

export function draftsOf(items: FormItem[], answers: Answers): Drafts {
  return Object.fromEntries(items.map((i) => [i.key, toDraft(i, answers[i.key])]));
}

/** The choice IDs a draft holds (for conditions). */
function heldChoices(draft: Draft | undefined): string[] {
  if (draft === undefined) return [];
  if (Array.isArray(draft)) return draft;
  if (typeof draft === 'object') return [draft.ward, draft.town].filter(Boolean);
  return draft ? [draft] : [];
}

/**
 * The items shown under these drafts: an item with a condition (config.showIf) only while the earlier
 * item it names is shown and holds one of the listed choices (as the server decides).
 */
export function shownItems(items: FormItem[], drafts: Drafts): FormItem[] {
  const shown = new Set<string>();
  return items.filter((item) => {
    const cond = item.config.showIf;
    if (cond) {
      if (!shown.has(cond.item)) return false;
      const held = heldChoices(drafts[cond.item]);
      if (!cond.choices.some((id) => held.includes(id))) return false;
    }
    shown.add(item.key);
    return true;
  });
}

/** Every answer of the shown items (null for the unanswered); hidden and description items are not sent. */
export function answersOf(items: FormItem[], drafts: Drafts): Answers {
  return Object.fromEntries(
    shownItems(items, drafts)
      .filter((i) => i.type !== 'description')
      .map((i) => [i.key, fromDraft(i, drafts[i.key] ?? '')]),
  );
}

/** The answers of the shown items whose value differs from what was loaded (registration, G-03). */
export function changedAnswers(items: FormItem[], initial: Drafts, current: Drafts): Answers {
  const out: Answers = {};
  for (const item of shownItems(items, current)) {
    if (item.type === 'description') continue;
    const before = JSON.stringify(fromDraft(item, initial[item.key] ?? ''));
    const after = fromDraft(item, current[item.key] ?? '');
    if (JSON.stringify(after) !== before) out[item.key] = after;
  }
  return out;
}
