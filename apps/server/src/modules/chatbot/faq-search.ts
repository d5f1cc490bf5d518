import { FAQ_LIMITS, normalizeForMatch } from '@madoguchi/contracts/chatbot.ts';

// Japanese-aware FAQ search (B-04), pure. Text is normalised as the scenario keywords are
// (normalizeForMatch: NFKC, katakana → hiragana, lower case, no spaces or punctuation), then cut
// into character bigrams (a 1-character text is its own term), plus each kanji alone at a low
// weight (印鑑証明 still meets 印鑑登録証明書). No morphological analyser: bigrams need no
// dictionary, and city FAQ questions are short.
//
// Score of a row for a question, in [0, 1]:
//   0.55 × how much of the question the row covers — the IDF-weighted share of the question's terms
//          the row has, each counted by its best field: keywords 1, question 0.8, category 0.5;
//          a term made only of kana weighs half in the question (particles and endings:
//          「どうやって」「ですか」 say little), and a term no row has weighs fully, so a question
//          about something else (今日の天気) scores low;
//   0.25 × how much of the row's question the question covers (prefers the precise row);
//   0.2 × whether the question contains one of the row's keywords whole (4 characters or more: 1).
// An exact match of the question or a keyword scores 1.
// One confident answer when the best score is at least CONFIDENT, SEPARATION above the second and
// the second at most RATIO of it;
// else the best FAQ_LIMITS.suggestions above SUGGEST; else none.

export const FAQ_THRESHOLDS = { confident: 0.35, separation: 0.12, ratio: 0.75, suggest: 0.2 } as const;

/** Questions longer than this are cut (a pasted letter is not a question; keeps lookups bounded). */
const MAX_QUERY = 200;

const FIELD = { keyword: 1, question: 0.8, category: 0.5 } as const;
const KANJI_WEIGHT = 0.3;
const KANA_ONLY_WEIGHT = 0.35;
/** A bigram across kanji and kana is often a word boundary (「て出」「票が」). */
const MIXED_WEIGHT = 0.7;

export interface FaqDoc {
  id: string;
  rowNo: number;
  question: string;
  answer: string;
  category: string;
  keywords: string[];
  link: string | null;
}

interface Posting {
  doc: number;
  /** The best field weight of the term in this row. */
  field: number;
  inQuestion: boolean;
}

export interface FaqIndex {
  docs: FaqDoc[];
  postings: Map<string, Posting[]>;
  /** Per row: the summed weight (idf × term weight) of its question's terms. */
  questionMass: Float64Array;
  exact: Map<string, number[]>;
  /** Per row: its normalised keywords of 2 characters or more. */
  keywords: string[][];
  idfUnknown: number;
}

export type FaqSearchResult =
  | { kind: 'answer'; doc: FaqDoc; score: number }
  | { kind: 'suggestions'; docs: { doc: FaqDoc; score: number }[] }
  | { kind: 'none' };

const isKanji = (c: string) => /\p{Script=Han}/u.test(c);
const isKanaOnly = (t: string) => /^[\p{Script=Hiragana}ー]+$/u.test(t);
const isMixed = (t: string) => /\p{Script=Han}/u.test(t) && /\p{Script=Hiragana}/u.test(t);

/** The terms of a normalised text with their own weight: bigrams, kanji unigrams, or the text itself. */
export function termsOf(normalised: string): Map<string, number> {
  const chars = [...normalised];
  const out = new Map<string, number>();
  const add = (t: string, w: number) => out.set(t, Math.max(out.get(t) ?? 0, w));
  if (chars.length === 1) add(chars[0] as string, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const t = `${chars[i]}${chars[i + 1]}`;
    add(t, isKanaOnly(t) ? KANA_ONLY_WEIGHT : isMixed(t) ? MIXED_WEIGHT : 1);
  }
  if (chars.length > 1) for (const c of chars) if (isKanji(c)) add(`1:${c}`, KANJI_WEIGHT);
  return out;
}

/** Builds the index of a channel's FAQ (5,000 rows: tens of milliseconds, once per revision). */
export function buildFaqIndex(docs: FaqDoc[]): FaqIndex {
  const postings = new Map<string, Posting[]>();
  const exact = new Map<string, number[]>();
  const questionTerms: Map<string, number>[] = [];
  const keywords: string[][] = [];
  docs.forEach((d, i) => {
    const best = new Map<string, Posting>();
    const put = (normalised: string, field: number, inQuestion: boolean) => {
      for (const t of termsOf(normalised).keys()) {
        const p = best.get(t);
        if (!p) best.set(t, { doc: i, field, inQuestion });
        else {
          p.field = Math.max(p.field, field);
          p.inQuestion ||= inQuestion;
        }
      }
    };
    const q = normalizeForMatch(d.question);
    questionTerms.push(termsOf(q));
    put(q, FIELD.question, true);
    const own: string[] = [];
    keywords.push(own);
    for (const k of d.keywords) {
      const nk = normalizeForMatch(k);
      if (!nk) continue;
      if ([...nk].length >= 2) own.push(nk);
      put(nk, FIELD.keyword, false);
      exact.set(nk, [...(exact.get(nk) ?? []), i]);
    }
    if (d.category) put(normalizeForMatch(d.category), FIELD.category, false);
    if (q) exact.set(q, [...(exact.get(q) ?? []), i]);
    for (const [t, p] of best) {
      const list = postings.get(t);
      if (list) list.push(p);
      else postings.set(t, [p]);
    }
  });
  const n = docs.length;
  const idfOf = (df: number) => Math.log(1 + (n + 1) / (df + 0.5));
  const questionMass = new Float64Array(n);
  questionTerms.forEach((terms, i) => {
    let mass = 0;
    for (const [t, w] of terms) mass += idfOf(postings.get(t)?.length ?? 0) * w;
    questionMass[i] = mass;
  });
  return { docs, postings, questionMass, exact, keywords, idfUnknown: idfOf(0) };
}

/** Every row's score for `text`, best first (rows that share no term are left out). */
export function scoreFaq(index: FaqIndex, text: string): { doc: FaqDoc; score: number }[] {
  const q = [...normalizeForMatch(text)].slice(0, MAX_QUERY).join('');
  if (!q || index.docs.length === 0) return [];
  const n = index.docs.length;
  const idfOf = (df: number) => Math.log(1 + (n + 1) / (df + 0.5));
  const covered = new Float64Array(n);
  const questionCovered = new Float64Array(n);
  const touched: number[] = [];
  let total = 0;
  for (const [t, w] of termsOf(q)) {
    const list = index.postings.get(t);
    const idf = list ? idfOf(list.length) : index.idfUnknown;
    total += idf * w;
    if (!list) continue;
    for (const p of list) {
      if (covered[p.doc] === 0 && questionCovered[p.doc] === 0) touched.push(p.doc);
      covered[p.doc] = (covered[p.doc] as number) + idf * w * p.field;
      if (p.inQuestion) questionCovered[p.doc] = (questionCovered[p.doc] as number) + idf * w;
    }
  }
  const exact = new Set(index.exact.get(q) ?? []);
  const scored = touched.map((i) => {
    const mass = index.questionMass[i] as number;
    let keyword = 0;
    for (const k of index.keywords[i] ?? [])
      if (q.includes(k)) keyword = Math.max(keyword, Math.min(1, k.length / 4));
    const score = exact.has(i)
      ? 1
      : 0.55 * ((covered[i] as number) / total) +
        0.25 * (mass > 0 ? Math.min(1, (questionCovered[i] as number) / mass) : 0) +
        0.2 * keyword;
    return { doc: index.docs[i] as FaqDoc, score: Math.round(score * 1000) / 1000 };
  });
  for (const i of exact) if (!touched.includes(i)) scored.push({ doc: index.docs[i] as FaqDoc, score: 1 });
  return scored.sort((a, b) => b.score - a.score || a.doc.rowNo - b.doc.rowNo);
}

/** What LINE answers: one confident row, up to three suggestions, or none. */
export function searchFaq(index: FaqIndex, text: string): FaqSearchResult {
  const scored = scoreFaq(index, text);
  const [first, second] = scored;
  if (!first || first.score < FAQ_THRESHOLDS.suggest) return { kind: 'none' };
  const gap = first.score - (second?.score ?? 0);
  const clear =
    gap >= FAQ_THRESHOLDS.separation && (second?.score ?? 0) <= first.score * FAQ_THRESHOLDS.ratio;
  if (first.score >= FAQ_THRESHOLDS.confident && clear)
    return { kind: 'answer', doc: first.doc, score: first.score };
  return {
    kind: 'suggestions',
    docs: scored.filter((s) => s.score >= FAQ_THRESHOLDS.suggest).slice(0, FAQ_LIMITS.suggestions),
  };
}
