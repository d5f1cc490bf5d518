import type { ReactNode } from 'react';
import { formatNumber } from '../lib/format.ts';

/**
 * A figure with its label (h2) and a note. The number is formatted (`1,234`; `—` for null) and the raw
 * value is in `data-value` of the element with `testId`. `children` replaces the figure (several values).
 */
export function StatCard({
  label,
  value,
  unit,
  note,
  testId,
  children,
}: {
  label: string;
  value?: number | null;
  unit?: string;
  note?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1 rounded-12 border border-solid-gray-420 bg-white px-5 py-4">
      <h2 className="text-std-16B-170 text-solid-gray-800">{label}</h2>
      <p className="text-solid-gray-900">
        {children ?? (
          <>
            <StatValue value={value ?? null} testId={testId} />
            {unit && value != null && <span className="ml-1 text-std-16N-170">{unit}</span>}
          </>
        )}
      </p>
      {note && <p className="text-dns-14N-130 text-solid-gray-700">{note}</p>}
    </div>
  );
}

/** The big number of a StatCard (also usable several times inside one card). */
export function StatValue({ value, testId }: { value: number | null; testId?: string | undefined }) {
  return (
    <span data-testid={testId} data-value={value ?? ''} className="text-std-36B-140">
      {value === null ? '—' : formatNumber(value)}
    </span>
  );
}
