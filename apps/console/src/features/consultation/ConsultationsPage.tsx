import { useSession } from '../../auth/AuthContext.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { ChatView } from './ChatView.tsx';
import { QueueColumn } from './QueueColumn.tsx';

/** Height of the work area: the viewport minus header, page title and padding (lists scroll inside). */
export const WORKSPACE_HEIGHT = 'h-[calc(100vh-12.5rem)] min-h-[30rem]';

/**
 * 相談対応 (#/consultations and #/consultations/:id). Both routes share one mounted page, so the
 * queue column keeps its scroll position and filters while the counselor switches chats.
 */
export function ConsultationsPage({ id }: { id?: string }) {
  const t = useT();
  const { account } = useSession();
  return (
    <>
      <PageHeader title={t('consult.title')} />
      <div className={`flex gap-4 ${WORKSPACE_HEIGHT}`}>
        <QueueColumn currentId={id} me={account.id} />
        <div className="min-w-0 flex-1">
          {id ? (
            <ChatView key={id} id={id} />
          ) : (
            <div className="flex h-full items-center justify-center rounded-12 border border-dashed border-solid-gray-420 p-6">
              <p className="text-std-16N-170 text-solid-gray-700">{t('consult.selectPrompt')}</p>
            </div>
          )}
        </div>
      </div>
    </>
  );
}
