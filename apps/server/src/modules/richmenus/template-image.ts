import { readFileSync } from 'node:fs';
import { RICH_MENU_LIMITS, type RichMenuImage, templateAreaBounds } from '@madoguchi/contracts/richmenus.ts';
import opentype from 'opentype.js';
import sharp from 'sharp';
import { iconSvg } from './template-icons.ts';

// Template images (M-02): an SVG drawn from the layout, the city's colours, icons and Japanese
// labels, rendered to PNG with sharp. Text is turned into SVG paths with opentype.js from the font
// vendored beside this file (font/README.md: Noto Sans CJK JP, SIL OFL 1.1, subset to JIS X 0208),
// so the image is the same on every machine, with or without Japanese fonts installed; sharp/librsvg
// never has to find a font.

type Template = Extract<RichMenuImage, { kind: 'template' }>;

const FONT_FILE = new URL('./font/noto-sans-jp-subset.otf', import.meta.url);
let font: opentype.Font | undefined;

function loadFont(): opentype.Font {
  if (!font) {
    const bytes = readFileSync(FONT_FILE);
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return font;
}

const escapeAttr = (v: string) => v.replace(/[^#0-9A-Fa-f]/g, '');

/**
 * One line of text as an SVG path, centred on cx with its baseline at y, shrunk to fit maxWidth.
 * Drawn with a stroke of the same colour as well, so the regular weight reads as a bold one.
 */
export function textPath(text: string, cx: number, y: number, size: number, maxWidth: number, color: string) {
  const f = loadFont();
  let fontSize = size;
  const width = f.getAdvanceWidth(text, fontSize);
  if (width > maxWidth) fontSize = (fontSize * maxWidth) / width;
  const advance = f.getAdvanceWidth(text, fontSize);
  const d = f.getPath(text, cx - advance / 2, y, fontSize).toPathData(1);
  const c = escapeAttr(color);
  return `<path d="${d}" fill="${c}" stroke="${c}" stroke-width="${(fontSize * 0.035).toFixed(1)}" stroke-linejoin="round"/>`;
}

/** The SVG of a template tab: the tab bar (when the group has several tabs), then the cells. */
export function templateSvg(
  template: Template,
  size: { width: number; height: number },
  tabLabels: string[],
  current: number,
): string {
  const { background, cell, text, accent } = template.colors;
  const { tabs, cells } = templateAreaBounds(template.layout, size, tabLabels.length);
  const parts: string[] = [
    `<rect x="0" y="0" width="${size.width}" height="${size.height}" fill="${escapeAttr(background)}"/>`,
  ];
  tabs.forEach((b, i) => {
    const active = i === current;
    parts.push(
      `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${escapeAttr(active ? accent : cell)}"/>`,
    );
    if (active) {
      parts.push(
        `<rect x="${b.x}" y="${b.y + b.height - 12}" width="${b.width}" height="12" fill="${escapeAttr(text)}"/>`,
      );
    }
    const fontSize = Math.min(b.height * 0.5, 110);
    parts.push(
      textPath(
        tabLabels[i] ?? '',
        b.x + b.width / 2,
        b.y + b.height / 2 + fontSize * 0.36,
        fontSize,
        b.width * 0.85,
        active ? '#FFFFFF' : text,
      ),
    );
  });
  const gap = Math.max(8, Math.round(size.width * 0.006));
  template.cells.forEach((c, i) => {
    const b = cells[i];
    if (!b) return;
    const x = b.x + gap;
    const y = b.y + gap;
    const w = b.width - gap * 2;
    const h = b.height - gap * 2;
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${gap * 3}" fill="${escapeAttr(cell)}"/>`,
    );
    const iconSize = Math.min(h * 0.45, w * 0.5);
    const labelSize = Math.min(h * 0.16, 120);
    const blockTop = y + (h - iconSize - labelSize * 1.4) / 2;
    parts.push(iconSvg(c.icon, x + (w - iconSize) / 2, blockTop, iconSize, accent));
    parts.push(textPath(c.label, x + w / 2, blockTop + iconSize + labelSize * 1.2, labelSize, w * 0.9, text));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}">${parts.join('')}</svg>`;
}

/** The template rendered to PNG, under LINE's 1 MB. */
export async function renderTemplate(
  template: Template,
  size: { width: number; height: number },
  tabLabels: string[],
  current: number,
): Promise<Buffer> {
  const svg = Buffer.from(templateSvg(template, size, tabLabels, current));
  for (const colours of [128, 64, 32]) {
    const png = await sharp(svg).png({ palette: true, colours, compressionLevel: 9 }).toBuffer();
    if (png.length <= RICH_MENU_LIMITS.maxImageBytes) return png;
  }
  throw new Error('template image over 1 MB');
}
