import { formatNumber } from '../lib/format.ts';
import { ChartTable } from './ChartTable.tsx';
import { CHART, labelIndexes, niceTicks } from './chartScale.ts';

type LineChartProps = {
  /** Accessible name of the chart image (also used as the summary). */
  title: string;
  labels: string[];
  values: number[];
  seriesName: string;
  /** Accessible name of the chart image; default: the title and the last value. */
  summary?: string;
  /** Header of the label column of the table (default 日付). */
  labelHeader?: string;
};

/** Single-series line chart drawn as inline SVG (no chart library). */
export function LineChart({ title, labels, values, seriesName, summary, labelHeader }: LineChartProps) {
  const { width, height, left, right, top, bottom } = CHART;
  const ticks = niceTicks(Math.max(0, ...values));
  const max = ticks[ticks.length - 1] ?? 1;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i: number) => left + (values.length <= 1 ? plotW / 2 : (plotW * i) / (values.length - 1));
  const y = (v: number) => top + plotH - (plotH * v) / max;
  const shown = labelIndexes(labels.length);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = values[values.length - 1];
  const name =
    summary ?? (last === undefined ? title : `${title}: ${labels[labels.length - 1]} ${formatNumber(last)}`);

  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={name} className="h-auto w-full">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} className="stroke-solid-gray-200" />
            <text x={left - 8} y={y(tick) + 4} textAnchor="end" className="fill-solid-gray-700 text-[12px]">
              {formatNumber(tick)}
            </text>
          </g>
        ))}
        <line x1={left} x2={width - right} y1={y(0)} y2={y(0)} className="stroke-solid-gray-600" />
        {labels.map((label, i) =>
          shown.has(i) ? (
            <text
              key={label}
              x={x(i)}
              y={height - 10}
              textAnchor="middle"
              className="fill-solid-gray-700 text-[12px]"
            >
              {label}
            </text>
          ) : null,
        )}
        {values.length > 1 && (
          <polyline points={points} fill="none" strokeWidth={2.5} className="stroke-blue-900" />
        )}
        {values.map((v, i) => (
          <circle key={labels[i] ?? i} cx={x(i)} cy={y(v)} r={3} className="fill-blue-900">
            <title>{`${labels[i]}: ${formatNumber(v)}`}</title>
          </circle>
        ))}
      </svg>
      <ChartTable labels={labels} series={[{ name: seriesName, values }]} labelHeader={labelHeader} />
    </figure>
  );
}
