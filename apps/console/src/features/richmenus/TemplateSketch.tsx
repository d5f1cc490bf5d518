import { templateAreaBounds } from '@madoguchi/contracts/richmenu-constants.ts';
import type { DraftTemplate } from './draft.ts';
import type { Size } from './geometry.ts';

/**
 * A quick drawing of a template tab in the browser (tab bar, cells and their labels) for the layout
 * picker and for tabs not saved yet. The image LINE gets is the server's (labels and icons drawn
 * with Noto Sans CJK), shown once the tab is saved.
 */
export function TemplateSketch({
  template,
  size,
  tabLabels,
  current,
  className = '',
}: {
  template: DraftTemplate;
  size: Size;
  /** Labels of the group's tabs (the bar is drawn for two or more). */
  tabLabels: string[];
  current: number;
  className?: string;
}) {
  const { tabs, cells } = templateAreaBounds(template.layout, size, tabLabels.length);
  const { colors } = template;
  const font = Math.round(size.height / 14);
  const gap = Math.round(size.width / 160);
  return (
    <svg
      viewBox={`0 0 ${size.width} ${size.height}`}
      className={`block h-auto w-full ${className}`}
      aria-hidden="true"
      preserveAspectRatio="none"
    >
      <rect width={size.width} height={size.height} fill={colors.background} />
      {tabs.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tabs are positional.
        <g key={`t${i}`}>
          <rect
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            fill={i === current ? colors.accent : colors.cell}
          />
          <text
            x={b.x + b.width / 2}
            y={b.y + b.height / 2}
            fontSize={Math.round(b.height * 0.45)}
            fill={i === current ? '#FFFFFF' : colors.text}
            textAnchor="middle"
            dominantBaseline="central"
          >
            {tabLabels[i]}
          </text>
        </g>
      ))}
      {cells.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
        <g key={`c${i}`}>
          <rect
            x={b.x + gap}
            y={b.y + gap}
            width={Math.max(1, b.width - 2 * gap)}
            height={Math.max(1, b.height - 2 * gap)}
            rx={gap * 2}
            fill={colors.cell}
          />
          <circle
            cx={b.x + b.width / 2}
            cy={b.y + b.height * 0.38}
            r={Math.min(b.width, b.height) * 0.14}
            fill={colors.accent}
          />
          <text
            x={b.x + b.width / 2}
            y={b.y + b.height * 0.72}
            fontSize={Math.min(font, Math.round(b.height * 0.16))}
            fill={colors.text}
            textAnchor="middle"
            dominantBaseline="central"
          >
            {template.cells[i]?.label ?? ''}
          </text>
        </g>
      ))}
    </svg>
  );
}
