import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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

/**
 * The text to search in, ignoring case and full-width / half-width differences (Ｗｅｂ = web),
 * each character on its own, with where each of its characters came from in `text` (`at`), so a
 * snippet shows the manual's own words.
 */
function searchable(text: string): { norm: string; at: number[] } {
  let norm = '';
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    const n = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < n.length; k++) at.push(i);
    norm += n;
    i += ch.length;
  }
  at.push(i);
  return { norm, at };
}

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

/** The words of block tokens, one line per block (for the search); pictures' alt texts left out. */
function blockText(tokens: readonly Token[]): string {
  const parts: string[] = [];
  const visit = (list: readonly Token[]) => {
    for (const token of list) {
      if (token.type === 'image') continue;
      if (BLOCKS.has(token.type)) parts.push('\n');
      if (token.type === 'code') parts.push(token.text);
      else if (token.type === 'list') for (const item of (token as Tokens.List).items) visit([item]);
      else if (token.type === 'table') {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) {
          for (const cell of row) visit(cell.tokens);
          parts.push('\n');
        }
      } else if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length) visit(token.tokens);
      else if (token.type === 'br') parts.push('\n');
      else if ('text' in token && typeof token.text === 'string') parts.push(joinLines(token.text));
    }
  };
  visit(tokens);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

interface SearchUnit {
  section: ManualSection | null;
  /** Plain text of the part (its heading included). */
  text: string;
  /** `text` to search in (searchable). */
  norm: string;
  at: number[];
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

/** The screenshot file an image of the manual (`../images/x.png`) names; null when it names none. */
function imageFile(href: string): string | null {
  const m = /^(?:\.\.\/)?images\/([^/]+)$/.exec(href);
  return m?.[1] && MANUAL_IMAGE_PATTERN.test(m[1]) ? m[1] : null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Width and height of a screenshot (its PNG header), so the page keeps its place for the picture
 * before it loads and a section scrolled to stays in view; null when the file is missing.
 */
function pngSize(file: string, dir: string): { width: number; height: number } | null {
  let fd: number | undefined;
  try {
    fd = openSync(path.join(dir, file), 'r');
    const head = Buffer.alloc(24);
    if (readSync(fd, head, 0, 24, 0) < 24 || !head.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function loadChapter(
  slug: string,
  markdown: string,
  chapters: ReadonlySet<string>,
  imagesDir: string,
): LoadedChapter {
  const tokens = Lexer.lex(markdown);
  const slugOf = manualSlugger();
  const headingIds = new Map<Token, string>();
  const sections: ManualSection[] = [];
  let title = slug;
  const units: SearchUnit[] = [];
  let unit: { section: ManualSection | null; tokens: Token[] } = { section: null, tokens: [] };
  const flush = () => {
    const text = blockText(unit.tokens);
    if (text) units.push({ section: unit.section, text, ...searchable(text) });
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
        const file = imageFile(href);
        if (!file) return escapeHtml(text);
        const titleAttr = imageTitle ? ` title="${escapeHtml(imageTitle)}"` : '';
        const size = pngSize(file, imagesDir);
        const sizeAttr = size ? ` width="${size.width}" height="${size.height}"` : '';
        return `<img src="/api/manual/images/${file}" alt="${escapeHtml(text)}"${titleAttr}${sizeAttr} loading="lazy">`;
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

/** Reads and renders every chapter in `dir` (docs/manual), its pictures in `imagesDir` (docs/images). */
export function loadManual(dir = MANUAL_DIR, imagesDir = MANUAL_IMAGES_DIR): Manual {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  const slugs = new Set(files.map(chapterSlugOf));
  const loaded = new Map<string, LoadedChapter>();
  for (const file of files) {
    const slug = chapterSlugOf(file);
    loaded.set(slug, loadChapter(slug, readFileSync(path.join(dir, file), 'utf8'), slugs, imagesDir));
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
      const needle = searchable(query.trim()).norm;
      const hits: ManualSearchHit[] = [];
      let truncated = false;
      for (const slug of order) {
        const { chapter, units } = loaded.get(slug)!;
        for (const u of units) {
          const found = u.norm.indexOf(needle);
          if (found < 0) continue;
          const from = u.at[found] ?? 0;
          const to = u.at[found + needle.length] ?? u.text.length;
          if (hits.length === MANUAL_SEARCH_MAX_HITS) {
            truncated = true;
            break;
          }
          hits.push({
            chapter: chapter.slug,
            chapterTitle: chapter.title,
            section: u.section?.slug ?? null,
            sectionTitle: u.section?.title ?? null,
            snippet: snippetOf(u.text, from, to - from),
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
