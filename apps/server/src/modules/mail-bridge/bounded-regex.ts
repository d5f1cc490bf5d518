import vm from 'node:vm';

// Rule regexes (issue 14) are staff input run against mail text, so a catastrophic pattern such as
// (a+)+$ must not stall the server. Choice: JavaScript's own engine, run inside a node:vm context
// with a time bound (V8 interrupts the backtracking when the timeout fires) — `re2` was not used,
// it is a native addon (an install script and a compiler or a download at npm ci). Patterns are
// checked when a rule is saved (syntax, length); at run time each evaluation has REGEX_TIMEOUT_MS,
// and a timeout fails the mail (status failed with the reason): nothing is delivered by accident.

export const REGEX_TIMEOUT_MS = 50;
export const MAX_PATTERN_LENGTH = 300;

export class RegexTimeoutError extends Error {
  readonly pattern: string;
  constructor(pattern: string) {
    super(`正規表現の処理が ${REGEX_TIMEOUT_MS} ms で終わりませんでした: ${pattern}`);
    this.pattern = pattern;
  }
}

/** Null when the pattern is usable, else why not (Japanese, for the 400 answer). */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return '正規表現が空です';
  if (pattern.length > MAX_PATTERN_LENGTH) return `正規表現は ${MAX_PATTERN_LENGTH} 文字以内にしてください`;
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (err) {
    return `正規表現の書き方に誤りがあります: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const context = vm.createContext(Object.create(null) as object);
const scripts = {
  test: new vm.Script('new RegExp(p, "u").test(t)'),
  replace: new vm.Script('t.replace(new RegExp(p, "gu"), r)'),
};

function run<T>(script: keyof typeof scripts, pattern: string, text: string, replacement = ''): T {
  const c = context as { p?: string; t?: string; r?: string };
  c.p = pattern;
  c.t = text;
  c.r = replacement;
  try {
    return scripts[script].runInContext(context, { timeout: REGEX_TIMEOUT_MS }) as T;
  } catch (err) {
    // Errors thrown inside the context belong to its realm (not `instanceof Error` here).
    const message = String((err as { message?: unknown } | null)?.message ?? err);
    if (/timed out/.test(message)) throw new RegexTimeoutError(pattern);
    throw new Error(`正規表現を実行できませんでした: ${message}`);
  } finally {
    c.p = c.t = c.r = '';
  }
}

export const regexTest = (pattern: string, text: string) => run<boolean>('test', pattern, text);
export const regexReplace = (pattern: string, text: string, replacement: string) =>
  run<string>('replace', pattern, text, replacement);
