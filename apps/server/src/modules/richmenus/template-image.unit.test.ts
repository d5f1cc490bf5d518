import { CITY_COLORS, type RichMenuImage } from '@madoguchi/contracts/richmenus.ts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateSvg, textPath } from './template-image.ts';

// M-02: template images are drawn from the vendored font, so labels are real glyphs on any machine
// (a fresh Debian has no Japanese fonts; nothing here asks fontconfig for one).

type Template = Extract<RichMenuImage, { kind: 'template' }>;
const template = (labels: string[]): Template => ({
  kind: 'template',
  layout: '1x3',
  colors: { ...CITY_COLORS },
  cells: labels.map((label) => ({ label, icon: 'info' as const })),
});
const size = { width: 2500, height: 843 };

async function pixels(png: Buffer) {
  return sharp(png).removeAlpha().raw().toBuffer();
}

describe('template images (M-02)', () => {
  it('M-02: a label is drawn as outline paths, never as <text> left to the system fonts', () => {
    const svg = templateSvg(template(['ごみ', '子育て', '防災']), size, [], 0);
    expect(svg).not.toContain('<text');
    const path = textPath('防災情報', 100, 100, 100, 1000, '#000000');
    expect(path).toMatch(/^<path d="M[\d.\- ]+/);
    expect(path.length).toBeGreaterThan(500); // four kanji of real outlines
  });

  it('M-02: different labels give different pixels (not blank, not the same tofu box)', async () => {
    const a = await pixels(await renderTemplate(template(['ごみの出し方', '子育て', '防災']), size, [], 0));
    const b = await pixels(await renderTemplate(template(['健康・医療', '子育て', '防災']), size, [], 0));
    const blank = await pixels(await renderTemplate(template([' ', '子育て', '防災']), size, [], 0));
    let diffAB = 0;
    let diffBlank = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) diffAB++;
      if (a[i] !== blank[i]) diffBlank++;
    }
    expect(diffAB).toBeGreaterThan(5_000);
    expect(diffBlank).toBeGreaterThan(5_000);
  });

  it('M-02: every kana and JIS level 1/2 kanji of a label has a glyph in the vendored font', () => {
    // .notdef (glyph 0) would be drawn as a box: a label of JIS X 0208 characters must never hit it.
    const a = textPath('亜', 0, 0, 100, 1000, '#000000');
    const notdef = textPath('\u{20BB7}', 0, 0, 100, 1000, '#000000'); // 𠮷: outside JIS X 0208
    expect(a).not.toBe(notdef);
    for (const ch of ['あ', 'ン', '亜', '腕', '弌', '熙', 'Ａ', '〒']) {
      expect(textPath(ch, 0, 0, 100, 1000, '#000000'), ch).not.toBe(notdef);
    }
  });

  it('M-02: the tab bar shows the group tab labels; the PNG is the tab size and under 1 MB', async () => {
    const png = await renderTemplate(
      template(['ごみ', '子育て', '防災']),
      { width: 2500, height: 1686 },
      ['くらし', '手続き', '防災'],
      1,
    );
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([2500, 1686, 'png']);
    expect(png.length).toBeLessThan(1024 * 1024);
    const other = await renderTemplate(
      template(['ごみ', '子育て', '防災']),
      { width: 2500, height: 1686 },
      ['くらし', '手続き', '防災'],
      0,
    );
    expect(png.equals(other)).toBe(false); // the highlighted tab differs
  });
});
