import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { useSession } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { ChatView } from './ChatView.tsx';
import { QueueColumn } from './QueueColumn.tsx';

/** Space kept below the work area: the main area's bottom padding, so the page itself never scrolls. */
const BOTTOM_GAP = 24;
/** Below this the work area stops shrinking and the page scrolls instead (very small windows). */
const MIN_HEIGHT = 480;

/**
 * The work area of 相談対応 and モニタリング: from where it starts down to the bottom of the window,
 * whatever the header and the notices above it take. The lists inside it scroll, not the page
 * (C-12: at 1366×768 the chat log gets every pixel left over).
 */
export function Workspace({ className = '', children }: { className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      const height = `${Math.max(MIN_HEIGHT, Math.floor(window.innerHeight - top - BOTTOM_GAP))}px`;
      if (el.style.height !== height) el.style.height = height;
    };
    fit();
    window.addEventListener('resize', fit);
    // A live notice shown above the page moves the area down (and back up when it goes).
    const observer = new ResizeObserver(fit);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => {
      window.removeEventListener('resize', fit);
      observer.disconnect();
    };
  }, []);
  return (
    <div ref={ref} className={`h-[calc(100vh-7rem)] ${className}`}>
      {children}
    </div>
  );
}

/**
 * 相談対応 (#/consultations and #/consultations/:id). Both routes share one mounted page, so the
 * queue column keeps its scroll position and filters while the counselor switches chats. The page
 * title sits above the queue column, so the chat column has the full height.
 */
export function ConsultationsPage({ id }: { id?: string }) {
  const t = useT();
  const { account } = useSession();
  return (
    <Workspace className="flex gap-4">
      <div className="flex min-h-0 w-64 shrink-0 flex-col">
        <PageHeader title={t('consult.title')} />
        <QueueColumn currentId={id} me={account.id} />
      </div>
      <div className="min-w-0 flex-1">
        {id ? (
          <ChatView key={id} id={id} />
        ) : (
          <div className="flex h-full items-center justify-center rounded-12 border border-dashed border-solid-gray-420 p-6">
            <p className="text-std-16N-170 text-solid-gray-700">{t('consult.selectPrompt')}</p>
          </div>
        )}
      </div>
    </Workspace>
  );
}
