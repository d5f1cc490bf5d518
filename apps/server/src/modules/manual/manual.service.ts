import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MANUAL_IMAGE_PATTERN,
  MANUAL_INDEX_CHAPTER,
  type ManualChapter,
  type ManualChapterSummary,
  type ManualSearchHit,
  type ManualSearchResult,
  type ManualSection,
  manualRoute,
  manualSlugger,
} from '@madoguchi/contracts/manual.ts';
import { Lexer, Marked, Renderer, type Token, type Tokens } from 'marked';

// The staff manual (O-01, issue 16): docs/manual/*.md, shipped with the product, read and rendered
// once at start-up. Chapters are the files (title: the first `#` heading), sections their `##` and
// `###` headings with GitHub-style anchors. The Markdown is rendered here to HTML that needs no
// inline script or style (the console's CSP): raw HTML in the Markdown is shown as text, images
// point at /api/manual/images/<file> (read from docs/images at request time, so the screenshots
// the e2e run writes are what is served), links between chapters become console routes.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const MANUAL_DIR = path.join(repoRoot, 'docs/manual');
export const MANUAL_IMAGES_DIR = path.join(repoRoot, 'docs/images');

/** Most search hits answered; more are reported as `truncated`. */
export const MANUAL_SEARCH_MAX_HITS = 50;
const SNIPPET_BEFORE = 30;
const SNIPPET_AFTER = 60;

/** A chapter's slug from its file name (`reservations.md` → `reservations`, README.md → `basics`). */
export const chapterSlugOf = (file: string) => {
  const base = path.basename(file, '.md').toLowerCase();
  return base === 'readme' ? MANUAL_INDEX_CHAPTER : base;
};

/** Search and compare ignoring case and full-width / half-width differences (Ｗｅｂ = web). */
const normalize = (text: string) => text.normalize('NFKC').toLowerCase();

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** The text of inline tokens without markup (a heading's words, a paragraph's words). */
function plainText(tokens: readonly Token[]): string {
  let out = '';
  for (const token of tokens) {
    if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length)
      out += plainText(token.tokens);
    else if (token.type === 'br') out += '\n';
    else if ('text' in token && typeof token.text === 'string') out += token.text;
  }
  return out;
}

/** Lines of one Markdown paragraph joined: no space between Japanese lines, one between others. */
const joinLines = (text: string) =>
  text.replace(/(\P{ASCII})[ \t]*\n\s*(?=\P{ASCII})/gu, '$1').replace(/\s*\n\s*/g, ' ');

const BLOCKS = new Set(['paragraph', 'list_item', 'heading', 'code', 'blockquote', 'table', 'space', 'hr']);

/** The words of block tokens, one line per block (for the search). */
function blockText(tokens: readonly Token[]): string {
  const parts: string[] = [];
  new Marked().walkTokens(tokens as Token[], (token) => {
    if (BLOCKS.has(token.type)) parts.push('\n');
    if (token.type === 'code') parts.push(token.text);
    else if (!('tokens' in token && Array.isArray(token.tokens) && token.tokens.length)) {
      if (token.type === 'br') parts.push('\n');
      else if (token.type !== 'code' && 'text' in token && typeof token.text === 'string')
        parts.push(joinLines(token.text));
    }
  });
  return parts
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

interface SearchUnit {
  section: ManualSection | null;
  /** Normalized plain text of the part (its heading included). */
  text: string;
}

interface LoadedChapter {
  chapter: ManualChapter;
  units: SearchUnit[];
}

export interface Manual {
  /** Every chapter, the index (basics) first, then in the order the index links them. */
  chapters: ManualChapterSummary[];
  chapter(slug: string): ManualChapter | undefined;
  search(query: string): ManualSearchResult;
}

/** Where a link in the manual goes: another chapter (or a section) as a console route, or the web. */
function linkTarget(href: string, current: string, chapters: ReadonlySet<string>): string | null {
  if (/^(https?:|mailto:)/i.test(href)) return href;
  const m = /^(?:\.\/)?([A-Za-z0-9_-]+\.md)?(?:#(.+))?$/.exec(href);
  if (!m || (!m[1] && !m[2])) return null;
  const chapter = m[1] ? chapterSlugOf(m[1]) : current;
  if (!chapters.has(chapter)) return null;
  let section = m[2];
  try {
    section = section === undefined ? undefined : decodeURIComponent(section);
  } catch {
    return null;
  }
  return `#${manualRoute(section ? `${chapter}#${section}` : chapter)}`;
}

/** An image of the manual (`../images/x.png`) as the URL the server serves it at; null otherwise. */
function imageUrl(href: string): string | null {
  const m = /^(?:\.\.\/)?images\/([^/]+)$/.exec(href);
  return m?.[1] && MANUAL_IMAGE_PATTERN.test(m[1]) ? `/api/manual/images/${m[1]}` : null;
}

function loadChapter(slug: string, markdown: string, chapters: ReadonlySet<string>): LoadedChapter {
  const tokens = Lexer.lex(markdown);
  const slugOf = manualSlugger();
  const headingIds = new Map<Token, string>();
  const sections: ManualSection[] = [];
  let title = slug;
  const units: SearchUnit[] = [];
  let unit: { section: ManualSection | null; tokens: Token[] } = { section: null, tokens: [] };
  const flush = () => {
    const text = normalize(blockText(unit.tokens));
    if (text) units.push({ section: unit.section, text });
  };
  new Marked().walkTokens(tokens, (token) => {
    if (token.type !== 'heading') return;
    const heading = token as Tokens.Heading;
    const text = plainText(heading.tokens).trim();
    const id = slugOf(text);
    headingIds.set(token, id);
    if (heading.depth === 1 && title === slug) title = text;
    if (heading.depth === 2 || heading.depth === 3)
      sections.push({ slug: id, title: text, level: heading.depth });
  });
  for (const token of tokens) {
    if (token.type === 'heading') {
      const id = headingIds.get(token);
      const section = sections.find((s) => s.slug === id);
      if (section) {
        flush();
        unit = { section, tokens: [] };
      }
    }
    unit.tokens.push(token);
  }
  flush();

  let firstTitle = true;
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(token) {
        // The chapter's title is the console page's own heading (h1).
        if (token.depth === 1 && firstTitle) {
          firstTitle = false;
          return '';
        }
        const id = headingIds.get(token);
        const inner = this.parser.parseInline(token.tokens);
        return `<h${token.depth}${id ? ` id="manual-${escapeHtml(id)}"` : ''}>${inner}</h${token.depth}>\n`;
      },
      table(token) {
        // A wide table scrolls on its own instead of widening the page.
        return `<div class="manual-table">${Renderer.prototype.table.call(this, token)}</div>\n`;
      },
      html(token) {
        return escapeHtml(token.text);
      },
      image({ href, title: imageTitle, text }) {
        const src = imageUrl(href);
        if (!src) return escapeHtml(text);
        const titleAttr = imageTitle ? ` title="${escapeHtml(imageTitle)}"` : '';
        return `<img src="${src}" alt="${escapeHtml(text)}"${titleAttr} loading="lazy">`;
      },
      link({ href, tokens: inner }) {
        const text = this.parser.parseInline(inner);
        const target = linkTarget(href, slug, chapters);
        if (!target) return text;
        const external = !target.startsWith('#');
        return `<a href="${escapeHtml(target)}"${external ? ' rel="noreferrer" target="_blank"' : ''}>${text}</a>`;
      },
    },
  });
  const html = marked.parser(tokens);
  return { chapter: { slug, title, sections, html }, units };
}

function snippetOf(text: string, at: number, length: number): string {
  const start = Math.max(0, at - SNIPPET_BEFORE);
  const end = Math.min(text.length, at + length + SNIPPET_AFTER);
  const body = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** Reads and renders every chapter in `dir` (docs/manual). */
export function loadManual(dir = MANUAL_DIR): Manual {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const slugs = new Set(files.map(chapterSlugOf));
  const loaded = new Map<string, LoadedChapter>();
  for (const file of files) {
    const slug = chapterSlugOf(file);
    loaded.set(slug, loadChapter(slug, readFileSync(path.join(dir, file), 'utf8'), slugs));
  }
  // The index first, then the chapters in the order it links them, then any others.
  const indexHtml = loaded.get(MANUAL_INDEX_CHAPTER)?.chapter.html ?? '';
  const linked = [...indexHtml.matchAll(/href="#\/manual\/([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
  const order = [...new Set([MANUAL_INDEX_CHAPTER, ...linked, ...[...loaded.keys()]])].filter((s) =>
    loaded.has(s),
  );
  const chapters = order.map((s) => {
    const { slug, title, sections } = loaded.get(s)!.chapter;
    return { slug, title, sections };
  });
  return {
    chapters,
    chapter: (slug) => loaded.get(slug)?.chapter,
    search(query) {
      const needle = normalize(query.trim());
      const hits: ManualSearchHit[] = [];
      let truncated = false;
      for (const slug of order) {
        const { chapter, units } = loaded.get(slug)!;
        for (const u of units) {
          const at = u.text.indexOf(needle);
          if (at < 0) continue;
          if (hits.length === MANUAL_SEARCH_MAX_HITS) {
            truncated = true;
            break;
          }
          hits.push({
            chapter: chapter.slug,
            chapterTitle: chapter.title,
            section: u.section?.slug ?? null,
            sectionTitle: u.section?.title ?? null,
            snippet: snippetOf(u.text, at, needle.length),
          });
        }
      }
      return { hits, truncated };
    },
  };
}

/** A screenshot of the manual (docs/images/<file>), read now; null when there is none. */
export async function readManualImage(file: string, dir = MANUAL_IMAGES_DIR): Promise<Buffer | null> {
  if (!MANUAL_IMAGE_PATTERN.test(file)) return null;
  try {
    return await readFile(path.join(dir, file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
