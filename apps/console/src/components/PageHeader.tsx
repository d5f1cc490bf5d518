import { manualRoute } from '@madoguchi/contracts/manual.ts';
import { type ReactNode, useEffect, useRef } from 'react';
import { screenManual } from '../features/manual/screens.ts';
import { useT } from '../i18n/i18n.tsx';
import { Link, usePath } from '../lib/router.tsx';

type PageHeaderProps = {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /**
   * The part of the staff manual that explains this screen (`chapter#section`, O-01); by default
   * the one SCREEN_MANUAL (features/manual/screens.ts) gives for the current path. `null`: none.
   */
  manual?: string | null;
};

/**
 * Page title (h1). Sets document.title and moves focus to the heading when a page opens. Shows
 * 「この画面の説明」, a link to the screen's chapter of the staff manual, when there is one.
 */
export function PageHeader({ title, description, actions, manual }: PageHeaderProps) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  const path = usePath();
  const manualRef = manual === undefined ? screenManual(path) : manual;

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
      {(actions || manualRef) && (
        <div className="flex flex-wrap items-center gap-3">
          {manualRef && (
            <Link
              to={manualRoute(manualRef)}
              className="text-std-16N-170 text-blue-1000 underline underline-offset-[0.1875rem] hover:decoration-[0.1875rem]"
              data-testid="screen-manual-link"
            >
              {t('manual.thisScreen')}
            </Link>
          )}
          {actions}
        </div>
      )}
    </div>
  );
}
