import { type ReactNode, useEffect, useRef } from 'react';
import { useT } from '../i18n/i18n.tsx';

type PageHeaderProps = { title: string; description?: ReactNode; actions?: ReactNode };

/** Page title (h1). Sets document.title and moves focus to the heading when a page opens. */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} | ${t('app.name')} ${t('app.consoleName')}`;
  }, [title, t]);

  useEffect(() => {
    // Only on mount: tells screen-reader users that a new page opened.
    heading.current?.focus({ preventScroll: true });
  }, []);

  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4 border-b border-solid-gray-420 pb-4">
      <div className="flex min-w-0 flex-col gap-1">
        <h1 ref={heading} tabIndex={-1} className="text-std-28B-150 text-solid-gray-900 outline-none">
          {title}
        </h1>
        {description && <div className="text-std-16N-170 text-solid-gray-700">{description}</div>}
      </div>
      {actions && <div className="flex flex-wrap gap-3">{actions}</div>}
    </div>
  );
}
