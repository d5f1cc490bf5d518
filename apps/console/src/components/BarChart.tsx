import { formatNumber } from '../lib/format.ts';
import { ChartTable } from './ChartTable.tsx';
import { CHART, labelIndexes, niceTicks } from './chartScale.ts';

export type BarSeries = { name: string; values: number[]; className: string; swatchClassName: string };

type BarChartProps = {
  title: string;
  labels: string[];
  series: BarSeries[];
  /** Accessible name of the chart image; default: the title and each series' total. */
  summary?: string;
  /** Header of the label column of the table (default 日付). */
  labelHeader?: string;
  /** At most this many x labels are drawn (default 8); categories pass labels.length. */
  maxLabels?: number;
};

/** Grouped bar chart drawn as inline SVG, with a legend when there are several series. */
export function BarChart({ title, labels, series, summary, labelHeader, maxLabels }: BarChartProps) {
  const { width, height, left, right, top, bottom } = CHART;
  const ticks = niceTicks(Math.max(0, ...series.flatMap((s) => s.values)));
  const max = ticks[ticks.length - 1] ?? 1;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, Math.min(48, (slot * 0.7) / Math.max(1, series.length)));
  const y = (v: number) => top + plotH - (plotH * v) / max;
  const shown = labelIndexes(labels.length, maxLabels);
  const totals = series.map((s) => `${s.name} ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`);

  return (
    <figure>
      {series.length > 1 && (
        <ul className="mb-2 flex flex-wrap gap-x-6 gap-y-1 text-dns-16N-130">
          {series.map((s) => (
            <li key={s.name} className="inline-flex items-center gap-2">
              <span aria-hidden="true" className={`inline-block size-4 rounded-4 ${s.swatchClassName}`} />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary ?? `${title}: ${totals.join('、')}`}
        className="h-auto w-full"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} className="stroke-solid-gray-200" />
            <text x={left - 8} y={y(tick) + 4} textAnchor="end" className="fill-solid-gray-700 text-[12px]">
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        {labels.map((label, i) => {
          const groupX = left + slot * i + (slot - barW * series.length) / 2;
          return (
            <g key={label}>
              {series.map((s, j) => {
                const v = s.values[i] ?? 0;
                return (
                  <rect
                    key={s.name}
                    x={groupX + barW * j}
                    y={y(v)}
                    width={barW}
                    height={Math.max(0, y(0) - y(v))}
                    className={s.className}
                  >
                    <title>{`${label} ${s.name}: ${formatNumber(v)}`}</title>
                  </rect>
                );
              })}
              {shown.has(i) && (
                <text
                  x={left + slot * i + slot / 2}
                  y={height - 10}
                  textAnchor="middle"
                  className="fill-solid-gray-700 text-[12px]"
                >
                  {label}
                </text>
              )}
            </g>
          );
        })}
        <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} className="stroke-solid-gray-600" />
      </svg>
      <ChartTable
        labels={labels}
        series={series.map((s) => ({ name: s.name, values: s.values }))}
        labelHeader={labelHeader}
      />
    </figure>
  );
}
