import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Header } from './Header.tsx';
import { SideNav } from './SideNav.tsx';

export function SkipLink() {
  const t = useT();
  return (
    // A button rather than href="#main": the hash is used by the router.
    <button
      type="button"
      onClick={() => document.getElementById('main')?.focus()}
      className="sr-only z-10 bg-yellow-300 px-4 py-2 text-std-16B-170 text-black underline focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
    >
      {t('app.skipToContent')}
    </button>
  );
}

export function AppLayout({
  currentPath,
  notices,
  children,
}: {
  currentPath: string;
  /** Shown above every page (live consultation alerts). */
  notices?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col bg-white">
      <SkipLink />
      <Header />
      {/* On a phone (below 640 px) the menu sits above the page, folded (X-05: status changes on a phone). */}
      <div className="flex flex-1 flex-col sm:flex-row">
        <SideNav currentPath={currentPath} />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 outline-none sm:px-6">
          <div className="max-w-6xl">
            {notices}
            {children}
          </div>
        </main>
      </div>
    </div>
  );
}
