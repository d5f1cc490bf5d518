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

/**
 * A posting is one number: row × 8 + field code × 2 + (1 when the term is in the row's question).
 * Field codes: 0 category, 1 question, 2 keyword (the term's best field in that row). Plain number
 * arrays keep the index small for the garbage collector (5,000 rows: about 200,000 postings).
 */
const FIELD_OF_CODE = [FIELD.category, FIELD.question, FIELD.keyword] as const;
const CODE = { category: 0, question: 1, keyword: 2 } as const;

/**
 * An inverted index: term → the rows that have it (in row order), so a lookup reads the postings of
 * the question's terms and scores only the rows sharing a term with it.
 */
export interface FaqIndex {
  docs: FaqDoc[];
  postings: Map<string, number[]>;
  /** Per row: the summed weight (idf × term weight) of its question's terms. */
  questionMass: Float64Array;
  exact: Map<string, number[]>;
  /** Normalised keyword (2 characters or more) → the rows that have it; and the keywords' lengths. */
  keywordRows: Map<string, number[]>;
  keywordLengths: number[];
  idfUnknown: number;
  /** Scratch space of one lookup (lookups are synchronous: never two at once on one index). */
  scratch: { covered: Float64Array; questionCovered: Float64Array; seen: Uint8Array };
}

export type FaqSearchResult =
  | { kind: 'answer'; doc: FaqDoc; score: number }
  | { kind: 'suggestions'; docs: { doc: FaqDoc; score: number }[] }
  | { kind: 'none' };

const KANJI = 1;
const HIRAGANA = 2;
/** ー: kana-only with hiragana, but not hiragana for a kanji–kana bigram. */
const LONG_MARK = 3;
const OTHER = 0;
const classes = new Map<string, number>();
/** The class of one character (cached: the regexes are tested once per distinct character). */
const classOf = (c: string): number => {
  let k = classes.get(c);
  if (k === undefined) {
    k = /\p{Script=Han}/u.test(c)
      ? KANJI
      : /\p{Script=Hiragana}/u.test(c)
        ? HIRAGANA
        : c === 'ー'
          ? LONG_MARK
          : OTHER;
    if (classes.size < 65_536) classes.set(c, k);
  }
  return k;
};

/** The terms of a normalised text with their own weight: bigrams, kanji unigrams, or the text itself. */
export function termsOf(normalised: string): Map<string, number> {
  const chars = [...normalised];
  const cls = chars.map(classOf);
  const out = new Map<string, number>();
  const add = (t: string, w: number) => {
    const had = out.get(t);
    if (had === undefined || w > had) out.set(t, w);
  };
  if (chars.length === 1) add(chars[0] as string, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = cls[i] as number;
    const b = cls[i + 1] as number;
    // Kana only: both hiragana or ー; mixed: one kanji and one hiragana.
    const kanaOnly = (a === HIRAGANA || a === LONG_MARK) && (b === HIRAGANA || b === LONG_MARK);
    const mixed = (a === KANJI && b === HIRAGANA) || (a === HIRAGANA && b === KANJI);
    add(`${chars[i]}${chars[i + 1]}`, kanaOnly ? KANA_ONLY_WEIGHT : mixed ? MIXED_WEIGHT : 1);
  }
  if (chars.length > 1)
    for (let i = 0; i < chars.length; i++) if (cls[i] === KANJI) add(`1:${chars[i]}`, KANJI_WEIGHT);
  return out;
}

/** Rows handled between two checks of the clock when the index is built in slices. */
const ROWS_PER_STEP = 10;

/**
 * The index build as steps: yields every ROWS_PER_STEP rows, so a caller can give the event loop
 * back between slices (buildFaqIndexSliced) or run it through at once (buildFaqIndex).
 */
function* indexSteps(docs: FaqDoc[]): Generator<void, FaqIndex, void> {
  const postings = new Map<string, number[]>();
  const exact = new Map<string, number[]>();
  const keywordRows = new Map<string, number[]>();
  const keywordLengths = new Set<number>();
  // Per row, its question's terms (their posting lists) and weights, for the question mass.
  const questionLists: number[][] = [];
  const questionWeights: number[] = [];
  const questionEnd = new Int32Array(docs.length);
  const pushTo = (m: Map<string, number[]>, k: string, i: number) => {
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  };
  // Keywords and categories repeat across rows: normalise and cut each distinct one once.
  const cut = new Map<string, { normalised: string; terms: string[] }>();
  const cutOf = (raw: string) => {
    let c = cut.get(raw);
    if (!c) {
      const normalised = normalizeForMatch(raw);
      c = { normalised, terms: [...termsOf(normalised).keys()] };
      cut.set(raw, c);
    }
    return c;
  };
  for (let i = 0; i < docs.length; i++) {
    if (i > 0 && i % ROWS_PER_STEP === 0) yield;
    const d = docs[i] as FaqDoc;
    const base = i * 8;
    /** Adds (or raises) the row's posting of term t: the best field wins, in question sticks. */
    const put = (t: string, code: number, inQuestion: number): number[] => {
      let list = postings.get(t);
      if (!list) {
        list = [];
        postings.set(t, list);
      }
      const last = list.length - 1;
      const had = last >= 0 ? (list[last] as number) : -1;
      if (had >= base) {
        const hadCode = (had >> 1) & 3;
        list[last] = base + Math.max(hadCode, code) * 2 + ((had & 1) | inQuestion);
      } else list.push(base + code * 2 + inQuestion);
      return list;
    };
    const q = normalizeForMatch(d.question);
    for (const [t, w] of termsOf(q)) {
      questionLists.push(put(t, CODE.question, 1));
      questionWeights.push(w);
    }
    questionEnd[i] = questionLists.length;
    for (const k of d.keywords) {
      const { normalised: nk, terms } = cutOf(k);
      if (!nk) continue;
      if ([...nk].length >= 2) {
        pushTo(keywordRows, nk, i);
        keywordLengths.add(nk.length);
      }
      for (const t of terms) put(t, CODE.keyword, 0);
      pushTo(exact, nk, i);
    }
    if (d.category) for (const t of cutOf(d.category).terms) put(t, CODE.category, 0);
    if (q) pushTo(exact, q, i);
  }
  const n = docs.length;
  const idfOf = (df: number) => Math.log(1 + (n + 1) / (df + 0.5));
  const questionMass = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % (ROWS_PER_STEP * 8) === 0) yield;
    let mass = 0;
    for (; j < (questionEnd[i] as number); j++)
      mass += idfOf((questionLists[j] as number[]).length) * (questionWeights[j] as number);
    questionMass[i] = mass;
  }
  return {
    docs,
    postings,
    questionMass,
    exact,
    keywordRows,
    keywordLengths: [...keywordLengths].sort((a, b) => a - b),
    idfUnknown: idfOf(0),
    scratch: { covered: new Float64Array(n), questionCovered: new Float64Array(n), seen: new Uint8Array(n) },
  };
}

/** Builds the index of a channel's FAQ at once (tests, small FAQs). */
export function buildFaqIndex(docs: FaqDoc[]): FaqIndex {
  const steps = indexSteps(docs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Builds the index in slices of about `sliceMs` of work, giving the event loop back (setImmediate)
 * between them: 5,000 rows never hold the server's loop for the whole build.
 */
export async function buildFaqIndexSliced(docs: FaqDoc[], sliceMs = 5): Promise<FaqIndex> {
  const steps = indexSteps(docs);
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}

interface Scored {
  doc: FaqDoc;
  score: number;
}

const better = (a: Scored, b: Scored) => b.score - a.score || a.doc.rowNo - b.doc.rowNo;

/**
 * The rows sharing a term with `text` (and its exact rows), scored; the best `top` of them best
 * first (all of them when top is Infinity).
 */
function rank(index: FaqIndex, text: string, top: number): Scored[] {
  const q = [...normalizeForMatch(text)].slice(0, MAX_QUERY).join('');
  if (!q || index.docs.length === 0) return [];
  const n = index.docs.length;
  const idfOf = (df: number) => Math.log(1 + (n + 1) / (df + 0.5));
  const { covered, questionCovered, seen } = index.scratch;
  const touched: number[] = [];
  let total = 0;
  for (const [t, w] of termsOf(q)) {
    const list = index.postings.get(t);
    const idf = list ? idfOf(list.length) : index.idfUnknown;
    total += idf * w;
    if (!list) continue;
    for (const p of list) {
      const doc = p >> 3;
      if (seen[doc] === 0) {
        seen[doc] = 1;
        touched.push(doc);
      }
      covered[doc] = (covered[doc] as number) + idf * w * (FIELD_OF_CODE[(p >> 1) & 3] as number);
      if (p & 1) questionCovered[doc] = (questionCovered[doc] as number) + idf * w;
    }
  }
  // The rows' keywords the question contains whole: looked up by the question's substrings.
  const keyword = new Map<number, number>();
  for (const len of index.keywordLengths) {
    if (len > q.length) break;
    for (let at = 0; at + len <= q.length; at++) {
      const rows = index.keywordRows.get(q.slice(at, at + len));
      if (!rows) continue;
      const weight = Math.min(1, len / 4);
      for (const i of rows) if (weight > (keyword.get(i) ?? 0)) keyword.set(i, weight);
    }
  }
  const exact = new Set(index.exact.get(q) ?? []);
  const scored: Scored[] = [];
  const keep = (s: Scored) => {
    if (top === Number.POSITIVE_INFINITY) {
      scored.push(s);
      return;
    }
    // Insertion into the best `top` so far (top is small).
    if (scored.length === top && better(s, scored[top - 1] as Scored) >= 0) return;
    let at = scored.length < top ? scored.length : top - 1;
    scored[at] = s;
    while (at > 0 && better(s, scored[at - 1] as Scored) < 0) {
      scored[at] = scored[at - 1] as Scored;
      scored[at - 1] = s;
      at--;
    }
  };
  for (const i of touched) {
    const mass = index.questionMass[i] as number;
    const score = exact.has(i)
      ? 1
      : 0.55 * ((covered[i] as number) / total) +
        0.25 * (mass > 0 ? Math.min(1, (questionCovered[i] as number) / mass) : 0) +
        0.2 * (keyword.get(i) ?? 0);
    keep({ doc: index.docs[i] as FaqDoc, score: Math.round(score * 1000) / 1000 });
  }
  for (const i of exact) if (seen[i] === 0) keep({ doc: index.docs[i] as FaqDoc, score: 1 });
  for (const i of touched) {
    covered[i] = 0;
    questionCovered[i] = 0;
    seen[i] = 0;
  }
  return top === Number.POSITIVE_INFINITY ? scored.sort(better) : scored;
}

/** Every row's score for `text`, best first (rows that share no term are left out). */
export function scoreFaq(index: FaqIndex, text: string): { doc: FaqDoc; score: number }[] {
  return rank(index, text, Number.POSITIVE_INFINITY);
}

/** What LINE answers: one confident row, up to three suggestions, or none. */
export function searchFaq(index: FaqIndex, text: string): FaqSearchResult {
  const scored = rank(index, text, Math.max(2, FAQ_LIMITS.suggestions));
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
