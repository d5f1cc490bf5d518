// The check of a web app's two catalogs (ja first, en second), run by each app's unit test: the
// same keys, the same {name} placeholders, and English that is English — not empty, no kana or
// kanji left over. `allow` lists the few keys where that is meant (the link to 日本語 says its name
// in Japanese; a unit such as 件 has no English word).

/** Hiragana, katakana (also half-width), CJK ideographs, and Japanese punctuation (、。「」〜) and full-width forms (（）：). */
const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uff66-\uff9f]/u;

const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join(',');

export type CatalogAllow = {
  /** Keys whose English text may hold Japanese, each with why. */
  japanese?: Record<string, string>;
  /** Keys whose text is empty in both catalogs on purpose, each with why. */
  empty?: Record<string, string>;
};

/** Every problem of the en catalog against the ja one, one line each (none: an empty list). */
export function catalogProblems(
  ja: Record<string, string>,
  en: Record<string, string>,
  allow: CatalogAllow = {},
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(ja)) if (!(key in en)) problems.push(`${key}: missing in en`);
  for (const key of Object.keys(en)) if (!(key in ja)) problems.push(`${key}: missing in ja`);
  for (const [key, text] of Object.entries(en)) {
    const source = ja[key];
    if (source === undefined) continue;
    if (!text.trim() && !(key in (allow.empty ?? {}))) problems.push(`${key}: empty in en`);
    if (JAPANESE.test(text) && !(key in (allow.japanese ?? {})))
      problems.push(`${key}: Japanese in en: ${JSON.stringify(text)}`);
    if (placeholders(text) !== placeholders(source))
      problems.push(`${key}: placeholders {${placeholders(source)}} in ja, {${placeholders(text)}} in en`);
  }
  for (const key of [...Object.keys(allow.japanese ?? {}), ...Object.keys(allow.empty ?? {})])
    if (!(key in en)) problems.push(`${key}: allowed but not in the catalogs (remove it from the list)`);
  return problems;
}
