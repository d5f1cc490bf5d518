import {
  checkCharset,
  checkDate,
  checkEmail,
  checkNumber,
  checkPhone,
  checkPostalCode,
} from '@madoguchi/contracts/answer-formats.ts';
import { FORM_LIMITS, type TextCharset } from '@madoguchi/contracts/forms.ts';
import { asciiDigits, type Drafts, type FormItem, fromDraft, shownItems } from './draft.ts';

// The checks made before sending a form, the server's own rules (forms.rules.ts and the shared
// answer-formats.ts), so the citizen sees what to fix at once. Only shown items are checked.

export type Problem =
  | { kind: 'required' }
  | { kind: 'year'; min: number; max: number }
  | { kind: 'town' }
  | { kind: 'tooMany'; max: number }
  | { kind: 'tooManyFiles'; max: number }
  | { kind: 'tooFew'; min: number }
  | { kind: 'tooLong'; max: number }
  | { kind: 'tooShort'; min: number }
  | { kind: 'charset'; charset: TextCharset }
  | { kind: 'number' }
  | { kind: 'integer' }
  | { kind: 'range'; min: number | undefined; max: number | undefined }
  | { kind: 'date' }
  | { kind: 'postalCode' }
  | { kind: 'phone' }
  | { kind: 'email' };

/** The first problem of one item's draft, or null. */
export function checkItem(item: FormItem, drafts: Drafts, now = new Date()): Problem | null {
  const draft = drafts[item.key] ?? '';
  const answer = fromDraft(item, draft);
  const c = item.config;
  if (item.type === 'description') return null;
  if (answer === null) return item.required ? { kind: 'required' } : null;
  switch (item.type) {
    case 'birth_year': {
      const min = c.min ?? FORM_LIMITS.birthYearMin;
      const max = c.max ?? now.getFullYear();
      const text = asciiDigits(String(draft).trim());
      return !/^[0-9]{4}$/.test(text) || Number(text) < min || Number(text) > max
        ? { kind: 'year', min, max }
        : null;
    }
    case 'area': {
      if (typeof draft !== 'object' || Array.isArray(draft)) return null;
      const hasTowns = item.choices.some((ch) => ch.parentId === draft.ward);
      return item.required && hasTowns && !draft.town ? { kind: 'town' } : null;
    }
    case 'multiple': {
      const n = Array.isArray(draft) ? draft.length : 0;
      if (c.maxSelections !== undefined && n > c.maxSelections)
        return { kind: 'tooMany', max: c.maxSelections };
      if (c.minSelections !== undefined && n > 0 && n < c.minSelections)
        return { kind: 'tooFew', min: c.minSelections };
      return null;
    }
    case 'file': {
      const max = c.maxFiles ?? 1;
      return Array.isArray(draft) && draft.length > max ? { kind: 'tooManyFiles', max } : null;
    }
    case 'number': {
      const r = checkNumber(answer, '', c);
      if (r.ok) return null;
      if (r.code === 'FORM_NUMBER_NOT_INTEGER') return { kind: 'integer' };
      if (r.code === 'FORM_NUMBER_RANGE') return { kind: 'range', min: c.minValue, max: c.maxValue };
      return { kind: 'number' };
    }
    default:
      break;
  }
  if (typeof answer !== 'string') return null;
  switch (item.type) {
    case 'date':
      return checkDate(answer, '').ok ? null : { kind: 'date' };
    case 'postal_code':
      return checkPostalCode(answer, '').ok ? null : { kind: 'postalCode' };
    case 'phone':
      return checkPhone(answer, '').ok ? null : { kind: 'phone' };
    case 'email':
      return checkEmail(answer, '').ok ? null : { kind: 'email' };
    case 'address':
      return [...answer].length > FORM_LIMITS.address ? { kind: 'tooLong', max: FORM_LIMITS.address } : null;
    case 'text':
    case 'textarea': {
      const length = [...answer].length;
      const max =
        c.maxLength ??
        (item.type === 'text' ? FORM_LIMITS.defaultTextLength.text : FORM_LIMITS.defaultTextLength.textarea);
      if (length > max) return { kind: 'tooLong', max };
      if (c.minLength !== undefined && length < c.minLength) return { kind: 'tooShort', min: c.minLength };
      if (c.charset && !checkCharset(answer, '', c.charset).ok)
        return { kind: 'charset', charset: c.charset };
      return null;
    }
    default:
      return null;
  }
}

/** The first problem of each shown item, by key. */
export function checkDrafts(items: FormItem[], drafts: Drafts, now = new Date()): Record<string, Problem> {
  const problems: Record<string, Problem> = {};
  for (const item of shownItems(items, drafts)) {
    const problem = checkItem(item, drafts, now);
    if (problem) problems[item.key] = problem;
  }
  return problems;
}

/** The 7 digits of a complete postal code as typed (full-width digits, a hyphen), else null. */
export function postalDigits(text: string): string | null {
  const r = checkPostalCode(text, '');
  return r.ok ? r.value : null;
}
