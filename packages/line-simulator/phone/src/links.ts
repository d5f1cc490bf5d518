/** A LIFF link: https://liff.line.me/{liffId}/{path} or line://app/{liffId}/{path}. */
export interface LiffLink {
  liffId: string;
  path: string;
}

const LIFF_PATTERNS = [/^https:\/\/liff\.line\.me\/([^/?#]+)(.*)$/i, /^line:\/\/app\/([^/?#]+)(.*)$/i];

export function parseLiffLink(uri: string): LiffLink | null {
  for (const pattern of LIFF_PATTERNS) {
    const m = pattern.exec(uri.trim());
    if (m?.[1]) return { liffId: m[1], path: m[2] ?? '' };
  }
  return null;
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /(https?:\/\/[^\s<>"'「」（）()、。]+|line:\/\/[^\s<>"'「」（）()、。]+)/g;

/** Splits text into plain parts and URL parts. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    const start = m.index ?? 0;
    let href = m[0];
    // Trailing punctuation is rarely part of the URL.
    const trail = /[.,!?;:]+$/.exec(href);
    if (trail) href = href.slice(0, -trail[0].length);
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: href, href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
