import {
  normalizeForMatch,
  type ScenarioTrigger,
  type TriggerConflict,
} from '@madoguchi/contracts/chatbot.ts';

// Triggers of two published (or about to be published) scenarios that would take the same input
// (B-02). Matching order in LINE: exact keywords first, then contains keywords (the longest word
// wins), so:
// - the same normalised exact word in two scenarios: CHATBOT_KEYWORD_CONFLICT (blocks publishing);
// - the same contains word in two scenarios: CHATBOT_KEYWORD_CONFLICT (blocks);
// - a contains word inside another scenario's word (exact or contains): CHATBOT_KEYWORD_SHADOWED —
//   reported so staff see that typing the longer phrase with more around it goes to the shorter
//   word's scenario; it does not block (the order above decides);
// - two scenarios with a follow trigger / a fallback trigger: CHATBOT_FOLLOW_CONFLICT /
//   CHATBOT_FALLBACK_CONFLICT (blocks: one greeting, one fallback per channel).

export interface TriggerOwner {
  id: string;
  name: string;
  triggers: ScenarioTrigger[];
}

interface Word {
  word: string;
  match: 'exact' | 'contains';
}

export function keywordsOf(triggers: ScenarioTrigger[]): (Word & { onlyInDisaster: boolean })[] {
  const out = new Map<string, Word & { onlyInDisaster: boolean }>();
  for (const t of triggers) {
    if (t.kind !== 'keyword') continue;
    for (const raw of t.words) {
      const word = normalizeForMatch(raw);
      if (!word) continue;
      out.set(`${t.match}:${word}`, { word, match: t.match, onlyInDisaster: t.onlyInDisasterMode === true });
    }
  }
  return [...out.values()];
}

export function triggerConflicts(mine: TriggerOwner, others: TriggerOwner[]): TriggerConflict[] {
  const out: TriggerConflict[] = [];
  const myWords = keywordsOf(mine.triggers);
  const has = (t: TriggerOwner, kind: 'follow' | 'fallback') => t.triggers.some((x) => x.kind === kind);
  for (const other of others) {
    if (other.id === mine.id) continue;
    const ref = { otherScenarioId: other.id, otherScenarioName: other.name };
    const theirs = keywordsOf(other.triggers);
    for (const a of myWords) {
      for (const b of theirs) {
        if (a.word === b.word && a.match === b.match) {
          out.push({
            code: 'CHATBOT_KEYWORD_CONFLICT',
            word: a.word,
            ...ref,
            message: `キーワード「${a.word}」は「${other.name}」でも使われています`,
          });
        } else if (a.match === 'contains' && b.word !== a.word && b.word.includes(a.word)) {
          out.push({
            code: 'CHATBOT_KEYWORD_SHADOWED',
            word: b.word,
            ...ref,
            message: `「${a.word}」を含む言葉として、「${other.name}」のキーワード「${b.word}」を含む文にも反応します`,
          });
        } else if (b.match === 'contains' && a.word !== b.word && a.word.includes(b.word)) {
          out.push({
            code: 'CHATBOT_KEYWORD_SHADOWED',
            word: a.word,
            ...ref,
            message: `キーワード「${a.word}」を含む文には、「${other.name}」の「${b.word}」も反応します`,
          });
        }
      }
    }
    if (has(mine, 'follow') && has(other, 'follow')) {
      out.push({
        code: 'CHATBOT_FOLLOW_CONFLICT',
        word: null,
        ...ref,
        message: `友だち追加のあいさつは「${other.name}」でも公開されています（1 つだけにしてください）`,
      });
    }
    if (has(mine, 'fallback') && has(other, 'fallback')) {
      out.push({
        code: 'CHATBOT_FALLBACK_CONFLICT',
        word: null,
        ...ref,
        message: `「ほかに当てはまらないとき」は「${other.name}」でも公開されています（1 つだけにしてください）`,
      });
    }
  }
  return out;
}

/** The conflicts that stop publishing (a shadowed word is only reported). */
export const blockingConflicts = (conflicts: TriggerConflict[]) =>
  conflicts.filter((c) => c.code !== 'CHATBOT_KEYWORD_SHADOWED');
