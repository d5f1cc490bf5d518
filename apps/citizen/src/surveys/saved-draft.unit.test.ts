import { describe, expect, it } from 'vitest';
import type { StorageLike } from '../consult/outbox.ts';
import { clearDraft, loadDraft, newRequestKey, requestKeyFor, saveDraft } from './saved-draft.ts';

// The survey page's request key (a retried send counts once, Q-01) and its draft in sessionStorage.

function memoryStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('survey request key and draft', () => {
  it('a request key is 32 characters [A-Za-z0-9], new for each attempt', () => {
    const key = newRequestKey();
    expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newRequestKey()).not.toBe(key);
  });

  it('the same answers sent again keep their key; changed answers get a new one', () => {
    const first = requestKeyFor(null, '{"a":"1"}');
    expect(requestKeyFor(first, '{"a":"1"}')).toBe(first);
    const changed = requestKeyFor(first, '{"a":"2"}');
    expect(changed.requestKey).not.toBe(first.requestKey);
    expect(changed.body).toBe('{"a":"2"}');
  });

  it('keeps the drafts and the pending send per survey, until cleared; ignores what it cannot read', () => {
    const storage = memoryStorage();
    const pending = requestKeyFor(null, '{}');
    saveDraft('s1', { drafts: { a: 'x', b: ['1'] }, pending }, storage);
    expect(loadDraft('s1', storage)).toEqual({ drafts: { a: 'x', b: ['1'] }, pending });
    expect(loadDraft('s2', storage)).toBeNull();
    storage.setItem('madoguchi.survey.draft.s3', '{"drafts":{},"pending":{"requestKey":"short","body":""}}');
    expect(loadDraft('s3', storage)).toEqual({ drafts: {}, pending: null });
    storage.setItem('madoguchi.survey.draft.s4', 'not json');
    expect(loadDraft('s4', storage)).toBeNull();
    clearDraft('s1', storage);
    expect(loadDraft('s1', storage)).toBeNull();
  });
});
