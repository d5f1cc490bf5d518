import { ApiError } from '../api/client.ts';
import type { FieldError } from '../components/form/ErrorSummary.tsx';
import type { TFunction } from '../i18n/i18n.tsx';
import { checkDrafts } from './checks.ts';
import { type Drafts, type FormItem, shownItems } from './draft.ts';
import { problemText } from './messages.ts';

// A form's errors as the pages show them (survey, booking): the checks before sending and the
// server's FORM_ANSWER_INVALID details, by item key, and the error summary's list in the form's order.

/** The checks before sending: an error text per item key (empty when all is well). */
export function draftErrors(t: TFunction, items: FormItem[], drafts: Drafts): Record<string, string> {
  const problems = checkDrafts(items, drafts);
  return Object.fromEntries(
    items.flatMap((i) => (problems[i.key] ? [[i.key, problemText(t, i, problems[i.key]!)]] : [])),
  );
}

/** The server's own check of the answers (e.g. the form changed meanwhile): its message per item. */
export function serverFieldErrors(err: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  if (err instanceof ApiError && err.code === 'FORM_ANSWER_INVALID') {
    for (const d of err.details)
      if (d.path.startsWith('answers.')) found[d.path.slice('answers.'.length)] = d.message;
  }
  return found;
}

/** The error summary's entries: the shown items' errors in order, then any others by key. */
export function summaryErrors(
  items: FormItem[],
  drafts: Drafts,
  fieldErrors: Record<string, string>,
): FieldError[] {
  const shown = shownItems(items, drafts);
  const labelled = shown.flatMap((i) =>
    fieldErrors[i.key] ? [{ key: i.key, label: i.label, message: fieldErrors[i.key]! }] : [],
  );
  const others = Object.entries(fieldErrors)
    .filter(([key]) => !shown.some((i) => i.key === key))
    .map(([key, message]) => ({ key, label: key, message }));
  return [...labelled, ...others];
}
