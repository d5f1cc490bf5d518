import { buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import type { ChangeRecord } from './api.ts';

// 変更履歴 (O-05): what each start ran that differed from the one before, and the operators' work.

export function ChangesPage() {
  const { t } = useI18n();
  const changes = useApi<{ items: ChangeRecord[] }>('/api/changes');
  return (
    <>
      <PageHeader
        title={t('changes.title')}
        description={
          <>
            {t('changes.lead')}{' '}
            <a href="#/audit" className="text-blue-1000 underline">
              {t('changes.auditLink')}
            </a>
          </>
        }
        actions={
          <a href="/api/changes.csv" download className={buttonClass('secondary')}>
            {t('changes.csv')}
          </a>
        }
      />
      {changes.error !== null && <LoadError error={changes.error} onRetry={() => void changes.reload()} />}
      {changes.loading && !changes.data && <Loading />}
      {changes.data && (
        <Table caption={t('changes.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('changes.col.at')}</Th>
              <Th>{t('changes.col.kind')}</Th>
              <Th>{t('changes.col.summary')}</Th>
              <Th>{t('changes.col.version')}</Th>
              <Th>{t('changes.col.keys')}</Th>
              <Th>{t('changes.col.by')}</Th>
            </tr>
          </thead>
          <tbody>
            {changes.data.items.length === 0 && <EmptyRow colSpan={6}>{t('common.noData')}</EmptyRow>}
            {changes.data.items.map((c) => (
              <tr key={c.id}>
                <Td className="whitespace-nowrap">{formatDateTime(c.at)}</Td>
                <Td>{t(`changes.kind.${c.kind}`)}</Td>
                <Td className="max-w-96 break-words">{c.summary}</Td>
                <Td className="font-mono">
                  {c.version ?? t('common.none')}
                  {c.revision ? ` (${c.revision})` : ''}
                </Td>
                <Td className="max-w-64 break-all font-mono">
                  {c.changedKeys.length ? c.changedKeys.join(', ') : t('common.none')}
                </Td>
                <Td className="font-mono">{c.createdBy}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
