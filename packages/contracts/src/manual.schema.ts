import { z } from 'zod';
import type { ManualChapter, ManualChapterSummary, ManualSearchResult, ManualSection } from './manual.ts';

// The answers of GET /api/manual… (O-01) as schemas; the types and rules: manual.ts.

export const manualSection = z.object({
  slug: z.string(),
  title: z.string(),
  /** 2 for `##`, 3 for `###`. */
  level: z.number().int(),
}) satisfies z.ZodType<ManualSection>;

export const manualChapterSummary = z.object({
  slug: z.string(),
  title: z.string(),
  sections: z.array(manualSection),
}) satisfies z.ZodType<ManualChapterSummary>;

export const manualChapter = manualChapterSummary.extend({
  html: z.string(),
}) satisfies z.ZodType<ManualChapter>;

export const manualSearchHit = z.object({
  chapter: z.string(),
  chapterTitle: z.string(),
  /** null: the chapter's text before its first section heading. */
  section: z.string().nullable(),
  sectionTitle: z.string().nullable(),
  snippet: z.string(),
});

export const manualSearchResult = z.object({
  hits: z.array(manualSearchHit),
  /** More places matched than `hits` holds. */
  truncated: z.boolean(),
}) satisfies z.ZodType<ManualSearchResult>;
