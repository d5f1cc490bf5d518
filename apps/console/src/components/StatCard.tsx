import { formatNumber } from '../../lib/format.ts';

export function StatCard({
  label,
  value,
  unit,
  note,
  testId,
}: {
  label: string;
  value: number;
  unit: string;
  note: string;
  testId: string;
}) {
  return (
    <div className="flex flex-col gap-1 rounded-12 border border-solid-gray-420 bg-white px-5 py-4">
      <h2 className="text-std-16B-170 text-solid-gray-800">{label}</h2>
      <p className="text-solid-gray-900">
        <span data-testid={testId} data-value={value} className="text-std-36B-140">
          {formatNumber(value)}
        </span>
        {unit && <span className="ml-1 text-std-16N-170">{unit}</span>}
      </p>
      <p className="text-dns-14N-130 text-solid-gray-700">{note}</p>
    </div>
  );
}
