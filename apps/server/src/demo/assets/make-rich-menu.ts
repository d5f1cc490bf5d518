import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

// Draws the demo city's rich menu image (2500×843, four areas: マイページ / 相談する / 防災情報 /
// 住民票の申請)
// as an SVG and renders it with sharp into rich-menu.png next to this file. Run once by a developer
// when the design changes; the product only reads the committed PNG, so it needs no fonts at run
// time. Needs the Noto Sans CJK JP font (Debian: `apt-get install fonts-noto-cjk`, SIL OFL 1.1).
//
//   node apps/server/src/demo/assets/make-rich-menu.ts

export const WIDTH = 2500;
export const HEIGHT = 843;
const QUARTER = Math.floor(WIDTH / 4);

// Background colours chosen so white text has a contrast of at least 7:1 (WCAG AAA for large text).
const AREAS = [
  { label: 'マイページ', caption: '受信設定・登録情報', color: '#0031A8', icon: person },
  { label: '相談する', caption: '相談員とチャット', color: '#115A36', icon: bubbles },
  { label: '防災情報', caption: '避難情報・避難所', color: '#A42A0A', icon: warning },
  { label: '住民票の申請', caption: 'スマホ市役所', color: '#5A2D82', icon: certificate },
];

/** A person: head and shoulders, centred on (cx, cy). */
function person(cx: number, cy: number, color: string) {
  return `<circle cx="${cx}" cy="${cy - 45}" r="58" fill="${color}"/>
    <path d="M ${cx - 105} ${cy + 105} a 105 95 0 0 1 210 0 z" fill="${color}"/>`;
}

/** Two speech bubbles. */
function bubbles(cx: number, cy: number, color: string) {
  return `<rect x="${cx - 115}" y="${cy - 100}" width="150" height="105" rx="30" fill="${color}"/>
    <path d="M ${cx - 85} ${cy + 3} l -8 40 l 45 -40 z" fill="${color}"/>
    <rect x="${cx - 20}" y="${cy - 15}" width="140" height="100" rx="30" fill="${color}" stroke="#ffffff" stroke-width="14"/>
    <path d="M ${cx + 85} ${cy + 83} l 10 38 l -45 -38 z" fill="${color}"/>
    <circle cx="${cx + 17}" cy="${cy + 35}" r="11" fill="#ffffff"/>
    <circle cx="${cx + 50}" cy="${cy + 35}" r="11" fill="#ffffff"/>
    <circle cx="${cx + 83}" cy="${cy + 35}" r="11" fill="#ffffff"/>`;
}

/** A warning triangle with an exclamation mark. */
function warning(cx: number, cy: number, color: string) {
  return `<path d="M ${cx} ${cy - 120} L ${cx + 128} ${cy + 100} L ${cx - 128} ${cy + 100} Z"
      fill="${color}" stroke="${color}" stroke-width="24" stroke-linejoin="round"/>
    <rect x="${cx - 13}" y="${cy - 50}" width="26" height="95" rx="13" fill="#ffffff"/>
    <circle cx="${cx}" cy="${cy + 72}" r="16" fill="#ffffff"/>`;
}

/** A certificate: a sheet with lines and a seal. */
function certificate(cx: number, cy: number, color: string) {
  return `<rect x="${cx - 90}" y="${cy - 120}" width="180" height="235" rx="16" fill="${color}"/>
    <rect x="${cx - 58}" y="${cy - 80}" width="116" height="16" rx="8" fill="#ffffff"/>
    <rect x="${cx - 58}" y="${cy - 40}" width="116" height="16" rx="8" fill="#ffffff"/>
    <rect x="${cx - 58}" y="${cy}" width="70" height="16" rx="8" fill="#ffffff"/>
    <circle cx="${cx + 40}" cy="${cy + 62}" r="30" fill="none" stroke="#ffffff" stroke-width="12"/>`;
}

export function richMenuSvg(): string {
  const font = `font-family="Noto Sans CJK JP" font-weight="700"`;
  const panels = AREAS.map((a, i) => {
    const x = i * QUARTER;
    const w = i === AREAS.length - 1 ? WIDTH - x : QUARTER;
    const cx = x + w / 2;
    return `<g>
      <rect x="${x}" y="0" width="${w}" height="${HEIGHT}" fill="${a.color}"/>
      <circle cx="${cx}" cy="290" r="190" fill="#ffffff"/>
      ${a.icon(cx, 290, a.color)}
      <text x="${cx}" y="650" ${font} font-size="${a.label.length > 5 ? 96 : 112}" fill="#ffffff" text-anchor="middle">${a.label}</text>
      <text x="${cx}" y="760" font-family="Noto Sans CJK JP" font-weight="400" font-size="54" fill="#ffffff" text-anchor="middle">${a.caption}</text>
    </g>`;
  }).join('\n');
  const dividers = [QUARTER, QUARTER * 2, QUARTER * 3]
    .map((x) => `<rect x="${x - 5}" y="0" width="10" height="${HEIGHT}" fill="#ffffff"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
${panels}
${dividers}
</svg>`;
}

if (import.meta.main) {
  const out = new URL('./rich-menu.png', import.meta.url);
  const png = await sharp(Buffer.from(richMenuSvg()))
    .png({ palette: true, colours: 64, compressionLevel: 9 })
    .toBuffer();
  writeFileSync(out, png);
  console.log(`${out.pathname}: ${png.length} bytes`);
}
