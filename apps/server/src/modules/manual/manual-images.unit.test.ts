import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MANUAL_IMAGE_PATTERN } from '@madoguchi/contracts/manual.ts';
import { describe, expect, it } from 'vitest';
import { MANUAL_DIR, MANUAL_IMAGES_DIR } from './manual.service.ts';

// The staff manual's screenshots never go stale (O-01, issue 16): every image docs/manual names
// is in docs/images and is taken by an e2e journey — a `shot(page, 'name.png')` call in e2e/ (or a
// journey helper's `shot: 'name.png'` option) — so every `npm run test:e2e` writes it afresh.

const e2eDir = path.resolve(MANUAL_DIR, '../../e2e');

function manualImages(): Map<string, string[]> {
  const images = new Map<string, string[]>();
  for (const file of readdirSync(MANUAL_DIR).filter((f) => f.endsWith('.md'))) {
    const markdown = readFileSync(path.join(MANUAL_DIR, file), 'utf8');
    for (const m of markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
      const name = path.basename(m[1] ?? '');
      images.set(name, [...(images.get(name) ?? []), file]);
    }
  }
  return images;
}

function shots(): Map<string, string[]> {
  const taken = new Map<string, string[]>();
  for (const file of readdirSync(e2eDir).filter((f) => f.endsWith('.ts'))) {
    const code = readFileSync(path.join(e2eDir, file), 'utf8');
    for (const m of code.matchAll(/\bshot(?:\(\s*[\w.]+\s*,|\s*:)\s*'([^']+)'/g)) {
      const name = m[1] ?? '';
      taken.set(name, [...(taken.get(name) ?? []), file]);
    }
  }
  return taken;
}

describe('the staff manual’s screenshots (O-01)', () => {
  const images = manualImages();
  const taken = shots();

  it('O-01: every image the manual shows is in docs/images', () => {
    expect(images.size).toBeGreaterThan(90);
    const missing = [...images].filter(([name]) => !existsSync(path.join(MANUAL_IMAGES_DIR, name)));
    expect(missing).toEqual([]);
  });

  it('O-01: every image the manual shows is taken by an e2e journey (shot), so none goes stale', () => {
    const notTaken = [...images]
      .filter(([name]) => !taken.has(name))
      .map(([name, where]) => `${name} (${where})`);
    expect(notTaken).toEqual([]);
  });

  it('O-01: each screenshot is taken in one place only, and is a PNG the server serves', () => {
    expect([...taken].filter(([, where]) => where.length > 1)).toEqual([]);
    expect([...taken.keys()].filter((name) => !MANUAL_IMAGE_PATTERN.test(name))).toEqual([]);
  });
});
