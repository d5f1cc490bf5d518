import { z } from 'zod';

// The staff manual in the console (O-01, issue 16): what GET /api/manual… answer, and the one
// slug function both the server (heading anchors) and the console (each screen's link to its
// chapter section) use.

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

export const manualSection = z.object({
  slug: z.string(),
  title: z.string(),
  /** 2 for `##`, 3 for `###`. */
  level: z.number().int(),
});
export type ManualSection = z.infer<typeof manualSection>;

export const manualChapterSummary = z.object({
  slug: z.string(),
  title: z.string(),
  sections: z.array(manualSection),
});
export type ManualChapterSummary = z.infer<typeof manualChapterSummary>;

export const manualChapter = manualChapterSummary.extend({ html: z.string() });
export type ManualChapter = z.infer<typeof manualChapter>;

export const manualSearchHit = z.object({
  chapter: z.string(),
  chapterTitle: z.string(),
  /** null: the chapter's text before its first section heading. */
  section: z.string().nullable(),
  sectionTitle: z.string().nullable(),
  snippet: z.string(),
});
export type ManualSearchHit = z.infer<typeof manualSearchHit>;

export const manualSearchResult = z.object({
  hits: z.array(manualSearchHit),
  /** More places matched than `hits` holds. */
  truncated: z.boolean(),
});
export type ManualSearchResult = z.infer<typeof manualSearchResult>;

/** `chapter#section` → the console route of that place in the manual. */
export function manualRoute(ref: string): string {
  const [chapter = '', section] = ref.split('#');
  return section ? `/manual/${chapter}/${encodeURIComponent(section)}` : `/manual/${chapter}`;
}
