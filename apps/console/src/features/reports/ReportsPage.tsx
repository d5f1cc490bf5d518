import { REPORT_STATUSES, type ReportStatus } from '@madoguchi/contracts/reports.ts';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, buttonClass, LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';
import { openPeriodErrors } from '../../lib/period.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import { addDays, formatJst, jstToIso } from '../deliveries/time.ts';
import {
  categoriesPath,
  type ReportCategoryView,
  type ReportFilter,
  type ReportSummary,
  reportsApi,
  reportsExportHref,
} from './api.ts';
import { reportPagePath, STATUS_TONE, statusKey } from './labels.ts';
import { ReportMap } from './ReportMap.tsx';

type FilterForm = { status: ReportStatus | ''; categoryId: string; from: string; to: string };
const EMPTY: FilterForm = { status: '', categoryId: '', from: '', to: '' };

/** The filter as the API takes it: Tokyo days → instants (the end day included). */
function filterOf(f: FilterForm): ReportFilter {
  return {
    status: f.status || undefined,
    categoryId: f.categoryId || undefined,
    from: (f.from && jstToIso(f.from, '00:00')) || undefined,
    to: (f.to && jstToIso(addDays(f.to, 1), '00:00')) || undefined,
  };
}

type Pages = { items: ReportSummary[]; next: string | null; total: number };

/** 通報 (#/reports, R-01 … R-03): the channel's fault reports with filters, export, and a link to each. */
export function ReportsPage() {
  const t = useT();
  const can = useCan();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const categories = useApi<ReportCategoryView[]>(ready ? categoriesPath(channelId) : null);
  const [applied, setApplied] = useState<ReportFilter>({});
  const filters = usePeriodForm(EMPTY, (values) => setApplied(filterOf(values)), openPeriodErrors);
  const draft = filters.values;
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [view, setView] = useState<'list' | 'map'>('list');

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    setPages(null);
    setLoadError(null);
    reportsApi
      .list(channelId, applied, null, controller.signal)
      .then((page) => setPages(page))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [ready, channelId, applied]);

  async function more() {
    if (!pages?.next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await reportsApi.list(channelId, applied, pages.next);
      setPages({ items: [...pages.items, ...page.items], next: page.next, total: page.total });
    } catch (err) {
      setMoreError(errorMessage(t, err));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <ChannelListPage
      scope={scope}
      title={t('reports.title')}
      description={t('reports.lead')}
      actions={
        <div className="flex flex-wrap gap-3">
          <a
            href={reportsExportHref(channelId, applied, 'csv')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('reports.exportCsv')}
          </a>
          <a
            href={reportsExportHref(channelId, applied, 'xlsx')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('reports.exportXlsx')}
          </a>
          {can('reports.manage') && (
            <LinkButton to="/reports/categories" size="sm" variant="tertiary">
              {t('nav.reportCategories')}
            </LinkButton>
          )}
        </div>
      }
      list={categories}
    >
      <div className="flex flex-col gap-5">
        <form
          noValidate
          onSubmit={filters.onSubmit}
          aria-label={t('reports.filters')}
          className="flex flex-wrap items-end gap-4"
        >
          <Select
            label={t('reports.filter.status')}
            value={draft.status}
            onChange={filters.set('status')}
            placeholder={t('reports.filter.all')}
            options={REPORT_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            className="w-44"
          />
          <Select
            label={t('reports.filter.category')}
            value={draft.categoryId}
            onChange={filters.set('categoryId')}
            placeholder={t('reports.filter.all')}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            className="w-52"
          />
          <PeriodFields values={draft} errors={filters.errors} onChange={filters.set} className="w-52" />
          <Button type="submit" variant="secondary">
            {t('reports.filter.apply')}
          </Button>
        </form>
        <p className="text-dns-14N-130 text-solid-gray-700">{t('reports.exportHint')}</p>
        <fieldset className="flex gap-2">
          <legend className="sr-only">{t('reports.view')}</legend>
          {(['list', 'map'] as const).map((v) => (
            <Button
              key={v}
              size="sm"
              variant={view === v ? 'primary' : 'secondary'}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(v === 'list' ? 'reports.view.list' : 'reports.view.map')}
            </Button>
          ))}
        </fieldset>
        {loadError !== null && <LoadError error={loadError} onRetry={() => setApplied((a) => ({ ...a }))} />}
        {pages === null && loadError === null && <Loading />}
        {pages && (
          <>
            <p role="status" className="text-std-16N-170">
              {t('reports.count', {
                total: formatNumber(pages.total),
                shown: formatNumber(pages.items.length),
              })}
            </p>
            {view === 'map' && <ReportMap reports={pages.items} />}
            <Table caption={t('reports.table')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('reports.col.receivedAt')}</Th>
                  <Th>{t('reports.col.category')}</Th>
                  <Th>{t('reports.col.status')}</Th>
                  <Th>{t('reports.col.text')}</Th>
                  <Th className="text-right">{t('reports.col.photos')}</Th>
                  <Th>{t('reports.col.assignee')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {pages.items.length === 0 && <EmptyRow colSpan={7}>{t('reports.empty')}</EmptyRow>}
                {pages.items.map((r) => (
                  <tr key={r.id}>
                    <Td className="whitespace-nowrap">{formatJst(r.receivedAt)}</Td>
                    <Td className="whitespace-nowrap">{r.category}</Td>
                    <Td>
                      <span className="flex flex-wrap gap-1">
                        <Badge tone={STATUS_TONE[r.status]}>{t(statusKey(r.status))}</Badge>
                        {r.mailFailed && <Badge tone="danger">{t('reports.mailFailed')}</Badge>}
                      </span>
                    </Td>
                    <Td className="max-w-96">
                      <span className="line-clamp-2 break-words">{r.text}</span>
                    </Td>
                    <Td className="text-right">{formatNumber(r.photos)}</Td>
                    <Td className="whitespace-nowrap">{r.assignee ?? '—'}</Td>
                    <Td>
                      <LinkButton
                        to={reportPagePath(r.id)}
                        size="sm"
                        variant="secondary"
                        aria-label={t('reports.openLabel', { at: formatJst(r.receivedAt) })}
                      >
                        {t('reports.open')}
                      </LinkButton>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {moreError && <Alert tone="error">{moreError}</Alert>}
            {pages.next && (
              <div>
                <Button variant="secondary" disabled={loadingMore} onClick={() => void more()}>
                  {loadingMore ? t('app.loading') : t('reports.more')}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </ChannelListPage>
  );
}
