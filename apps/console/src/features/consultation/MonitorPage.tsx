import { LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { OriginBadge, PresenceDot, RiskBadge, StatusBadge, timeText, useNow } from './bits.tsx';
import { ChatView } from './ChatView.tsx';
import { Workspace } from './ConsultationsPage.tsx';
import { reloadLists, useConsultationList } from './live.ts';

/** モニタリング (#/monitor): every waiting / active consultation, updated live. */
export function MonitorPage() {
  const t = useT();
  const list = useConsultationList();
  const now = useNow();
  const items = list.items
    .filter((c) => c.status !== 'closed')
    .sort((a, b) =>
      a.status === b.status ? a.openedAt.localeCompare(b.openedAt) : a.status === 'waiting' ? -1 : 1,
    );

  return (
    <>
      <PageHeader title={t('monitor.title')} description={t('monitor.lead')} />
      {list.error !== null && !list.loaded && (
        <LoadError error={list.error} onRetry={() => void reloadLists()} />
      )}
      {!list.loaded && list.error === null && <Loading />}
      {list.loaded && (
        <>
          <p className="mb-2 text-dns-16N-130 text-solid-gray-700">
            {t('common.count', { count: items.length })}
          </p>
          <Table caption={t('monitor.table')} hideCaption>
            <thead>
              <tr>
                <Th>{t('consult.consultee')}</Th>
                <Th>{t('consult.desk')}</Th>
                <Th>{t('consult.origin')}</Th>
                <Th>{t('consult.status')}</Th>
                <Th>{t('consult.counselor')}</Th>
                <Th>{t('monitor.time')}</Th>
                <Th>{t('monitor.lastMessage')}</Th>
                <Th>{t('common.actions')}</Th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && <EmptyRow colSpan={8}>{t('monitor.empty')}</EmptyRow>}
              {items.map((c) => (
                <tr key={c.id} className={c.riskFlagged ? 'bg-red-50' : undefined}>
                  <Td>
                    <span className="flex items-center gap-2">
                      <PresenceDot online={c.presence.online} />
                      <span className="font-bold">{c.consulteeLabel}</span>
                      {c.riskFlagged && <RiskBadge />}
                    </span>
                  </Td>
                  <Td>{c.deskName}</Td>
                  <Td>
                    <OriginBadge origin={c.origin} />
                  </Td>
                  <Td>
                    <StatusBadge status={c.status} />
                  </Td>
                  <Td className="whitespace-nowrap">{c.counselorName ?? t('consult.unassigned')}</Td>
                  <Td className="whitespace-nowrap">{timeText(t, c, now)}</Td>
                  <Td className="whitespace-nowrap">{formatDateTimeMinutes(c.lastMessageAt)}</Td>
                  <Td>
                    <LinkButton
                      to={`/monitor/${encodeURIComponent(c.id)}`}
                      size="sm"
                      aria-label={t('monitor.openLabel', { label: c.consulteeLabel })}
                    >
                      {t('monitor.open')}
                    </LinkButton>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </>
  );
}

/** #/monitor/:id: the chat view in read-only mode (the consultee is never told who watches, C-04). */
export function MonitorChatPage({ id }: { id: string }) {
  const t = useT();
  return (
    <>
      <PageHeader
        title={t('monitor.title')}
        actions={
          <Link
            to="/monitor"
            className="inline-flex min-h-11 items-center text-std-16N-170 text-blue-900 underline"
          >
            {t('consult.backToMonitor')}
          </Link>
        }
      />
      <Workspace>
        <ChatView key={id} id={id} readOnly />
      </Workspace>
    </>
  );
}
