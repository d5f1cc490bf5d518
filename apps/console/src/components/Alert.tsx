import type { ReactNode } from 'react';

export type AlertTone = 'error' | 'success' | 'info' | 'warning';

const tones: Record<AlertTone, { box: string; icon: string; path: string }> = {
  error: {
    box: 'border-error-1 bg-red-50',
    icon: 'fill-error-1',
    path: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z',
  },
  success: {
    box: 'border-success-1 bg-green-50',
    icon: 'fill-success-2',
    path: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-2 15-5-5 1.4-1.4 3.6 3.6 7.6-7.6L19 8l-9 9Z',
  },
  info: {
    box: 'border-blue-900 bg-blue-50',
    icon: 'fill-blue-900',
    path: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-6h2v6Zm0-8h-2V7h2v2Z',
  },
  warning: {
    box: 'border-warning-yellow-1 bg-yellow-50',
    icon: 'fill-warning-yellow-2',
    path: 'M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z',
  },
};

type AlertProps = { tone: AlertTone; title?: ReactNode; children?: ReactNode; className?: string };

/**
 * Notification banner. Errors use role="alert" (announced immediately);
 * other tones use role="status".
 */
export function Alert({ tone, title, children, className = '' }: AlertProps) {
  const style = tones[tone];
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={`flex gap-3 rounded-8 border-2 px-4 py-3 text-std-16N-170 text-solid-gray-800 ${style.box} ${className}`}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className={`mt-0.5 size-6 shrink-0 ${style.icon}`}>
        <path d={style.path} />
      </svg>
      <div className="flex min-w-0 flex-col gap-1">
        {title && <p className="text-std-16B-170">{title}</p>}
        {children && <div>{children}</div>}
      </div>
    </div>
  );
}
