// The staff manual in the console (O-01, issue 16): what GET /api/manual… answer (the schemas:
// manual.schema.ts), and the one slug function both the server (heading anchors) and the console
// (each screen's link to its chapter section) use. Zod-free: the console imports values from it.

/**
 * GitHub-style heading anchor: lower case, punctuation and symbols dropped (Japanese letters
 * kept), each space a hyphen — so `## 5. メッセージを配信する` is `5-メッセージを配信する`, as
 * GitHub renders the same Markdown, and existing `file.md#anchor` links keep working.
 */
export const manualSlug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');

/** Slugs for the headings of one document in order, repeated ones numbered (`x`, `x-1`, …) as GitHub does. */
export function manualSlugger(): (heading: string) => string {
  const occurrences = new Map<string, number>();
  return (heading) => {
    const base = manualSlug(heading);
    let slug = base;
    while (occurrences.has(slug)) {
      const n = (occurrences.get(base) ?? 0) + 1;
      occurrences.set(base, n);
      slug = `${base}-${n}`;
    }
    occurrences.set(slug, 0);
    return slug;
  };
}

/** A chapter's slug: its file name without `.md`; the index (README.md) is `basics`. */
export const MANUAL_INDEX_CHAPTER = 'basics';
export const MANUAL_CHAPTER_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Screenshot files served at /api/manual/images/<file>. */
export const MANUAL_IMAGE_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}\.png$/;
export const MANUAL_QUERY_MAX = 100;

export interface ManualSection {
  slug: string;
  title: string;
  /** 2 for `##`, 3 for `###`. */
  level: number;
}

export interface ManualChapterSummary {
  slug: string;
  title: string;
  sections: ManualSection[];
}

export interface ManualChapter extends ManualChapterSummary {
  html: string;
}

export interface ManualSearchHit {
  chapter: string;
  chapterTitle: string;
  /** null: the chapter's text before its first section heading. */
  section: string | null;
  sectionTitle: string | null;
  snippet: string;
}

export interface ManualSearchResult {
  hits: ManualSearchHit[];
  /** More places matched than `hits` holds. */
  truncated: boolean;
}

/** `chapter#section` → the console route of that place in the manual. */
export function manualRoute(ref: string): string {
  const [chapter = '', section] = ref.split('#');
  return section ? `/manual/${chapter}/${encodeURIComponent(section)}` : `/manual/${chapter}`;
}
