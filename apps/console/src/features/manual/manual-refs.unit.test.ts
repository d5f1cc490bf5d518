import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManual } from '../../../../server/src/modules/manual/manual.service.ts';
import { SCREEN_MANUAL } from './screens.ts';

// 「この画面の説明」 (O-01, issue 16): every manual reference the console uses — the screen map and
// any `manual="…"` a page sets — names a chapter of docs/manual and one of its headings, read the
// way the server reads them (loadManual: the same anchors, one slug function, manualSlug).

const here = path.dirname(fileURLToPath(import.meta.url));
const consoleSrc = path.resolve(here, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const manual = loadManual();
const anchors = new Set(
  manual.chapters.flatMap((c) => [c.slug, ...c.sections.map((s) => `${c.slug}#${s.slug}`)]),
);

describe('manual references in the console (O-01)', () => {
  it('O-01: every screen reference points at an existing chapter and heading', () => {
    const refs = SCREEN_MANUAL.map(([pattern, ref]) => ({ where: pattern, ref }));
    for (const file of sourceFiles(consoleSrc)) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bmanual=(?:"([^"]*)"|\{'([^']*)'\})/g)) {
        refs.push({ where: path.relative(consoleSrc, file), ref: m[1] ?? m[2] ?? '' });
      }
    }
    expect(refs.length).toBeGreaterThan(40);
    expect(refs.filter((r) => !anchors.has(r.ref))).toEqual([]);
  });

  it('O-01: the screen map lists each route pattern once', () => {
    const patterns = SCREEN_MANUAL.map(([pattern]) => pattern);
    expect(patterns.filter((p, i) => patterns.indexOf(p) !== i)).toEqual([]);
  });

  it('O-01: links between chapters (other.md#section) point at existing headings', () => {
    const broken: string[] = [];
    for (const chapter of manual.chapters) {
      const html = manual.chapter(chapter.slug)?.html ?? '';
      for (const m of html.matchAll(/href="#\/manual\/([^"/]+)(?:\/([^"]+))?"/g)) {
        const ref = m[2] ? `${m[1]}#${decodeURIComponent(m[2])}` : (m[1] ?? '');
        if (!anchors.has(ref)) broken.push(`${chapter.slug}: ${ref}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
