import type { AnswerValue, RegistrationItem } from './api.ts';

// What the form holds while the citizen edits it, and the checks made before sending (the server
// checks again). Only items that changed are sent (G-03: change some or all of the settings).

export type Draft = string | string[] | { ward: string; town: string };
export type Drafts = Record<string, Draft>;

/** Full-width digits (１９８５) as typed with a Japanese keyboard, made ASCII. */
export const asciiDigits = (text: string) =>
  text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

const visible = (item: RegistrationItem, id: string) => item.choices.some((c) => c.id === id);

/** The editable value of an answer; choices the page does not show (retired ones) are left out. */
export function toDraft(item: RegistrationItem, answer: AnswerValue | undefined): Draft {
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
      return typeof answer === 'number' ? String(answer) : '';
    case 'single':
    case 'select':
      return typeof answer === 'string' && visible(item, answer) ? answer : '';
    default:
      return typeof answer === 'string' ? answer : '';
  }
}

/** The answer to send for a draft (null clears it). */
export function fromDraft(item: RegistrationItem, draft: Draft): AnswerValue {
  if (Array.isArray(draft)) return draft.length > 0 ? draft : null;
  if (typeof draft === 'object') return draft.ward ? { ward: draft.ward, town: draft.town || null } : null;
  const text = item.type === 'birth_year' ? asciiDigits(draft.trim()) : draft.trim();
  if (text === '') return null;
  return item.type === 'birth_year' ? Number(text) : text;
}

export function draftsOf(items: RegistrationItem[], answers: Record<string, AnswerValue>): Drafts {
  return Object.fromEntries(items.map((i) => [i.key, toDraft(i, answers[i.key])]));
}

/** The answers of the items whose value differs from what was loaded. */
export function changedAnswers(items: RegistrationItem[], initial: Drafts, current: Drafts) {
  const out: Record<string, AnswerValue> = {};
  for (const item of items) {
    const before = JSON.stringify(fromDraft(item, initial[item.key] ?? ''));
    const after = fromDraft(item, current[item.key] ?? '');
    if (JSON.stringify(after) !== before) out[item.key] = after;
  }
  return out;
}

export type Problem =
  | { kind: 'required' }
  | { kind: 'year'; min: number; max: number }
  | { kind: 'town' }
  | { kind: 'tooMany'; max: number }
  | { kind: 'tooLong'; max: number };

/** The first problem of each item, by key. */
export function checkDrafts(
  items: RegistrationItem[],
  drafts: Drafts,
  now = new Date(),
): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  for (const item of items) {
    const draft = drafts[item.key] ?? '';
    const answer = fromDraft(item, draft);
    if (answer === null) {
      if (item.required) problems[item.key] = { kind: 'required' };
      continue;
    }
    if (item.type === 'birth_year') {
      const min = item.config.min ?? 1900;
      const max = item.config.max ?? now.getFullYear();
      const text = asciiDigits(String(draft).trim());
      if (!/^[0-9]{4}$/.test(text) || Number(text) < min || Number(text) > max)
        problems[item.key] = { kind: 'year', min, max };
    } else if (item.type === 'area' && typeof draft === 'object' && !Array.isArray(draft)) {
      const hasTowns = item.choices.some((c) => c.parentId === draft.ward);
      if (item.required && hasTowns && !draft.town) problems[item.key] = { kind: 'town' };
    } else if (item.type === 'multiple' && Array.isArray(draft)) {
      const max = item.config.maxSelections;
      if (max !== undefined && draft.length > max) problems[item.key] = { kind: 'tooMany', max };
    } else if (typeof answer === 'string' && (item.type === 'text' || item.type === 'textarea')) {
      const max = item.config.maxLength ?? (item.type === 'text' ? 100 : 1000);
      if ([...answer].length > max) problems[item.key] = { kind: 'tooLong', max };
    }
  }
  return problems;
}
