import type { ReactNode } from 'react';

export type BadgeTone = 'strong' | 'info' | 'success' | 'neutral' | 'danger' | 'warning';

const tones: Record<BadgeTone, string> = {
  strong: 'border-blue-900 bg-blue-900 text-white',
  info: 'border-blue-900 bg-blue-50 text-blue-1000',
  success: 'border-success-2 bg-green-50 text-green-1000',
  neutral: 'border-solid-gray-600 bg-solid-gray-50 text-solid-gray-800',
  danger: 'border-error-2 bg-red-50 text-red-1000',
  warning: 'border-warning-orange-2 bg-orange-50 text-orange-1100',
};

export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return (
    <span
      className={`inline-flex items-center rounded-4 border px-2 py-0.5 text-dns-14B-130 whitespace-nowrap ${tones[tone]}`}
    >
      {children}
    </span>
  );
}
