import { auditActionLabel, auditTargetLabel } from '@madoguchi/contracts/audit-labels.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../../api/client.ts';
import type { Account, AuditEntry, AuditPage as AuditPageData } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { dayBoundaryIso, formatDateTime, formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { AccessLogExport } from '../operations/AccessLogExport.tsx';
import { AuditFilters, type AuditFilterValues } from './AuditFilters.tsx';

const PAGE_SIZE = 100;
const EMPTY_FILTERS: AuditFilterValues = { from: '', to: '', loginId: '', action: '', result: '' };

function filterParams(filters: AuditFilterValues) {
  return {
    from: filters.from ? dayBoundaryIso(filters.from, 'start') : '',
    to: filters.to ? dayBoundaryIso(filters.to, 'end') : '',
    loginId: filters.loginId,
    action: filters.action,
    result: filters.result,
  };
}

/** The target in words: its name when the server resolved it, else its kind and a short ID. */
function targetText(entry: AuditEntry, locale: 'ja' | 'en', none: string): string {
  const kind = auditTargetLabel(entry.targetType, locale);
  if (entry.targetName) return kind ? `${kind}「${entry.targetName}」` : entry.targetName;
  if (!kind) return none;
  return entry.targetId ? `${kind}（${entry.targetId.slice(0, 8)}）` : kind;
}

export function AuditPage() {
  const { t, locale } = useI18n();
  const can = useCan();
  const accounts = useApi<Account[]>(can('accounts.view') ? '/api/accounts' : null);
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY_FILTERS);
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const requestId = useRef(0);

  const load = useCallback(async (applied: AuditFilterValues, after: string | null) => {
    const id = ++requestId.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<AuditPageData>(
        `/api/audit${query({
          ...filterParams(applied),
          limit: PAGE_SIZE,
          cursor: after,
        })}`,
      );
      if (id !== requestId.current) return;
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setLoaded(true);
    } catch (err) {
      if (id === requestId.current) setError(err);
    } finally {
      if (id === requestId.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(filters, null);
  }, [filters, load]);

  const csvHref = `/api/audit.csv${query(filterParams(filters))}`;

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.lead')}
        actions={
          <a href={csvHref} download className={buttonClass('secondary')} aria-describedby="audit-csv-hint">
            {t('audit.csv')}
          </a>
        }
      />
      <p id="audit-csv-hint" className="-mt-3 mb-4 text-dns-14N-130 text-solid-gray-700">
        {t('audit.csvHint')}
      </p>
      <AuditFilters initial={filters} accounts={accounts.data} onApply={setFilters} />
      {error !== null && (
        <LoadError error={error} onRetry={() => void load(filters, items.length ? cursor : null)} />
      )}
      {!loaded && loading && <Loading />}
      {loaded && (
        <>
          <p className="mb-2 text-dns-16N-130 text-solid-gray-700" aria-live="polite">
            {t('audit.shown', { count: formatNumber(items.length) })}
          </p>
          <Table caption={t('audit.title')} hideCaption>
            <thead>
              <tr>
                <Th>{t('audit.at')}</Th>
                <Th>{t('audit.account')}</Th>
                <Th>{t('audit.action')}</Th>
                <Th>{t('audit.target')}</Th>
                <Th>{t('audit.result')}</Th>
                <Th className="text-right">{t('audit.count')}</Th>
                <Th>{t('audit.ip')}</Th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && <EmptyRow colSpan={7}>{t('common.noData')}</EmptyRow>}
              {items.map((entry) => (
                <tr key={entry.id}>
                  <Td className="whitespace-nowrap">{formatDateTime(entry.at)}</Td>
                  <Td className="font-mono">{entry.loginId ?? t('common.none')}</Td>
                  <Td>{auditActionLabel(entry.action, locale)}</Td>
                  <Td className="max-w-64 break-all">{targetText(entry, locale, t('common.none'))}</Td>
                  <Td>
                    {entry.result === 'success' ? (
                      <Badge tone="success">{t('audit.success')}</Badge>
                    ) : (
                      <Badge tone="danger">{t('audit.failure')}</Badge>
                    )}
                  </Td>
                  <Td className="text-right">
                    {entry.count == null ? t('common.none') : formatNumber(entry.count)}
                  </Td>
                  <Td className="font-mono">{entry.ip ?? t('common.none')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <div className="mt-4">
            {cursor ? (
              <Button variant="secondary" disabled={loading} onClick={() => void load(filters, cursor)}>
                {loading ? t('app.loading') : t('audit.more')}
              </Button>
            ) : (
              items.length > 0 && <p className="text-std-16N-170 text-solid-gray-700">{t('audit.end')}</p>
            )}
          </div>
        </>
      )}
      <AccessLogExport />
    </>
  );
}
