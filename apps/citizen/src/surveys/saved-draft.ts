import { newClientId, type StorageLike, sessionStorageOrNull } from '../consult/outbox.ts';
import type { Drafts } from '../form/draft.ts';

// What the survey page keeps in sessionStorage while the citizen answers: the drafts (a reload or a
// tab the phone discarded keeps them) and the send in flight, whose request key is reused when the
// same answers are sent again after a network error, so the server counts them once.

/** A send not known to have arrived: its request key and the body it was for. */
export type PendingSend = { requestKey: string; body: string };
export type SavedDraft = { drafts: Drafts; pending: PendingSend | null };

const storageKey = (surveyId: string) => `madoguchi.survey.draft.${surveyId}`;

/** 32 characters [0-9a-f]: a random UUID without its dashes. */
export const newRequestKey = () => newClientId().replaceAll('-', '');

/** The request key for sending `body`: the pending one when it was for the same answers, else a new one. */
export function requestKeyFor(pending: PendingSend | null, body: string): PendingSend {
  return pending && pending.body === body ? pending : { requestKey: newRequestKey(), body };
}

export function loadDraft(
  surveyId: string,
  storage: StorageLike | null = sessionStorageOrNull(),
): SavedDraft | null {
  try {
    const text = storage?.getItem(storageKey(surveyId));
    if (!text) return null;
    const saved = JSON.parse(text) as Partial<SavedDraft>;
    if (!saved || typeof saved.drafts !== 'object' || saved.drafts === null) return null;
    const p = saved.pending;
    const pending =
      p &&
      typeof p.requestKey === 'string' &&
      /^[A-Za-z0-9]{32}$/.test(p.requestKey) &&
      typeof p.body === 'string'
        ? p
        : null;
    return { drafts: saved.drafts, pending };
  } catch {
    return null;
  }
}

export function saveDraft(
  surveyId: string,
  draft: SavedDraft,
  storage: StorageLike | null = sessionStorageOrNull(),
): void {
  try {
    storage?.setItem(storageKey(surveyId), JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the form still works while the page is open.
  }
}

export function clearDraft(surveyId: string, storage: StorageLike | null = sessionStorageOrNull()): void {
  try {
    storage?.removeItem(storageKey(surveyId));
  } catch {
    // Nothing to do.
  }
}
