import type { TemplateIcon } from '@madoguchi/contracts/richmenus.ts';

// Simple line icons for template cells (M-02), drawn in a 100 × 100 box with strokes and fills of
// one colour: plain shapes so they stay readable at a phone's rich menu size.

const s = (c: string) =>
  `fill="none" stroke="${c}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"`;

const ICONS: Record<TemplateIcon, (c: string) => string> = {
  home: (c) =>
    `<path d="M12 50 L50 16 L88 50" ${s(c)}/><path d="M24 44 V86 H76 V44" ${s(c)}/><rect x="42" y="60" width="16" height="26" fill="${c}"/>`,
  info: (c) =>
    `<circle cx="50" cy="50" r="38" ${s(c)}/><circle cx="50" cy="30" r="6" fill="${c}"/><path d="M50 44 V74" ${s(c)}/>`,
  calendar: (c) =>
    `<rect x="14" y="22" width="72" height="64" rx="8" ${s(c)}/><path d="M14 40 H86 M32 12 V28 M68 12 V28" ${s(c)}/><rect x="28" y="52" width="12" height="10" fill="${c}"/><rect x="48" y="52" width="12" height="10" fill="${c}"/><rect x="28" y="68" width="12" height="10" fill="${c}"/>`,
  form: (c) =>
    `<rect x="20" y="10" width="60" height="80" rx="6" ${s(c)}/><path d="M32 32 H68 M32 50 H68 M32 68 H54" ${s(c)}/>`,
  survey: (c) =>
    `<rect x="16" y="12" width="68" height="76" rx="6" ${s(c)}/><path d="M28 34 l6 6 l10 -12 M28 62 l6 6 l10 -12 M54 36 H72 M54 64 H72" ${s(c)}/>`,
  booking: (c) =>
    `<rect x="14" y="22" width="72" height="64" rx="8" ${s(c)}/><path d="M14 40 H86 M32 12 V28 M68 12 V28 M36 62 l10 10 l20 -20" ${s(c)}/>`,
  report: (c) => `<path d="M22 90 V12 M22 16 H78 L66 32 L78 48 H22" ${s(c)}/>`,
  shelter: (c) =>
    `<path d="M10 48 L50 14 L90 48" ${s(c)}/><path d="M22 40 V88 H78 V40" ${s(c)}/><path d="M40 88 V64 H60 V88" ${s(c)}/><path d="M50 26 V36" ${s(c)}/>`,
  consult: (c) =>
    `<path d="M14 20 H72 a8 8 0 0 1 8 8 V58 a8 8 0 0 1 -8 8 H40 L24 82 V66 H14 a8 8 0 0 1 -8 -8 V28 a8 8 0 0 1 8 -8 Z" ${s(c)}/><circle cx="28" cy="43" r="5" fill="${c}"/><circle cx="43" cy="43" r="5" fill="${c}"/><circle cx="58" cy="43" r="5" fill="${c}"/>`,
  phone: (c) =>
    `<path d="M30 12 L44 30 L36 40 C42 54 48 60 60 66 L70 58 L88 72 L80 86 C50 88 14 52 16 22 Z" ${s(c)}/>`,
  bell: (c) =>
    `<path d="M24 70 V46 a26 26 0 0 1 52 0 V70 L84 78 H16 Z" ${s(c)}/><path d="M42 86 a8 8 0 0 0 16 0" ${s(c)}/>`,
  map: (c) =>
    `<path d="M50 90 C30 66 22 52 22 40 a28 28 0 0 1 56 0 C78 52 70 66 50 90 Z" ${s(c)}/><circle cx="50" cy="40" r="10" ${s(c)}/>`,
  trash: (c) =>
    `<path d="M16 26 H84 M40 26 V16 H60 V26 M24 26 L30 88 H70 L76 26 M42 40 V74 M58 40 V74" ${s(c)}/>`,
  child: (c) =>
    `<circle cx="50" cy="24" r="12" ${s(c)}/><path d="M50 38 V66 M30 50 L50 44 L70 50 M50 66 L36 88 M50 66 L64 88" ${s(c)}/>`,
  health: (c) =>
    `<path d="M50 86 C20 64 10 48 10 34 a20 20 0 0 1 40 -8 a20 20 0 0 1 40 8 C90 48 80 64 50 86 Z" ${s(c)}/><path d="M50 38 V62 M38 50 H62" ${s(c)}/>`,
  link: (c) =>
    `<path d="M42 58 L58 42" ${s(c)}/><path d="M46 30 L56 20 a16 16 0 0 1 24 24 L70 54" ${s(c)}/><path d="M54 70 L44 80 a16 16 0 0 1 -24 -24 L30 46" ${s(c)}/>`,
};

/** The icon as SVG elements, scaled to `size` px with its top-left corner at (x, y). */
export function iconSvg(icon: TemplateIcon, x: number, y: number, size: number, color: string): string {
  return `<g transform="translate(${x} ${y}) scale(${size / 100})">${ICONS[icon](color)}</g>`;
}
