import { useT } from '../i18n/i18n.tsx';
import { formatNumber } from '../lib/format.ts';

/** The chart's numbers as a table, collapsed by default (accessible alternative to the SVG). */
export function ChartTable({
  labels,
  series,
  labelHeader,
}: {
  labels: string[];
  series: { name: string; values: number[] }[];
  /** Header of the label column (default 日付). */
  labelHeader?: string;
}) {
  const t = useT();
  return (
    <details className="mt-2">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-std-16N-170 text-blue-900 underline">
        {t('chart.showTable')}
      </summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <div tabIndex={0} className="max-h-72 overflow-y-auto">
        <table className="w-full border-collapse text-left text-dns-16N-130">
          <thead>
            <tr>
              <th
                scope="col"
                className="sticky top-0 border-b-2 border-solid-gray-420 bg-solid-gray-50 px-3 py-2"
              >
                {labelHeader ?? t('chart.date')}
              </th>
              {series.map((s) => (
                <th
                  key={s.name}
                  scope="col"
                  className="sticky top-0 border-b-2 border-solid-gray-420 bg-solid-gray-50 px-3 py-2 text-right"
                >
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row" className="border-b border-solid-gray-200 px-3 py-1.5 font-normal">
                  {label}
                </th>
                {series.map((s) => (
                  <td key={s.name} className="border-b border-solid-gray-200 px-3 py-1.5 text-right">
                    {formatNumber(s.values[i] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
