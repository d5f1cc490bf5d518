import { STAFF_STATUSES, type StaffStatus } from '@madoguchi/contracts/applications.ts';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
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
  type ApplicationFilter,
  type ApplicationSummary,
  applicationsApi,
  assigneesPath,
  type ProcedureView,
  proceduresPath,
} from './api.ts';
import { applicationPagePath, STATUS_TONE, statusKey, yen } from './labels.ts';

type FilterForm = {
  status: StaffStatus | '';
  procedureId: string;
  assigneeId: string;
  from: string;
  to: string;
};
/** The queue opens on what is waiting: 受付. */
const INITIAL: FilterForm = { status: 'received', procedureId: '', assigneeId: '', from: '', to: '' };

/** The filter as the API takes it: Tokyo days → instants (the end day included). */
function filterOf(f: FilterForm): ApplicationFilter {
  return {
    status: f.status || undefined,
    procedureId: f.procedureId || undefined,
    assigneeId: f.assigneeId || undefined,
    from: (f.from && jstToIso(f.from, '00:00')) || undefined,
    to: (f.to && jstToIso(addDays(f.to, 1), '00:00')) || undefined,
  };
}

type Pages = { items: ApplicationSummary[]; next: string | null; total: number };

/** 申請 (#/applications, A-03): the channel's applications with filters and a link to each. */
export function ApplicationsPage() {
  const t = useT();
  const can = useCan();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const procedures = useApi<ProcedureView[]>(ready ? proceduresPath(channelId) : null);
  const people = useApi<{ id: string; displayName: string }[]>(assigneesPath);
  const [applied, setApplied] = useState<ApplicationFilter>({ status: 'received' });
  const filters = usePeriodForm(INITIAL, (values) => setApplied(filterOf(values)), openPeriodErrors);
  const draft = filters.values;
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    setPages(null);
    setLoadError(null);
    applicationsApi
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
      const page = await applicationsApi.list(channelId, applied, pages.next);
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
      title={t('applications.title')}
      description={t('applications.lead')}
      actions={
        can('procedures.manage') ? (
          <LinkButton to="/procedures" size="sm" variant="tertiary">
            {t('applications.procedures')}
          </LinkButton>
        ) : undefined
      }
      list={procedures}
    >
      <div className="flex flex-col gap-5">
        <form
          noValidate
          onSubmit={filters.onSubmit}
          aria-label={t('applications.filters')}
          className="flex flex-wrap items-end gap-4"
        >
          <Select
            label={t('applications.filter.status')}
            value={draft.status}
            onChange={filters.set('status')}
            placeholder={t('applications.filter.all')}
            options={STAFF_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            className="w-44"
          />
          <Select
            label={t('applications.filter.procedure')}
            value={draft.procedureId}
            onChange={filters.set('procedureId')}
            placeholder={t('applications.filter.all')}
            options={(procedures.data ?? []).map((p) => ({ value: p.id, label: p.nameJa }))}
            className="w-56"
          />
          <Select
            label={t('applications.filter.assignee')}
            value={draft.assigneeId}
            onChange={filters.set('assigneeId')}
            placeholder={t('applications.filter.all')}
            options={(people.data ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
            className="w-52"
          />
          <PeriodFields values={draft} errors={filters.errors} onChange={filters.set} className="w-52" />
          <Button type="submit" variant="secondary">
            {t('applications.filter.apply')}
          </Button>
        </form>
        {loadError !== null && <LoadError error={loadError} onRetry={() => setApplied((a) => ({ ...a }))} />}
        {pages === null && loadError === null && <Loading />}
        {pages && (
          <>
            <p role="status" className="text-std-16N-170">
              {t('applications.count', {
                total: formatNumber(pages.total),
                shown: formatNumber(pages.items.length),
              })}
            </p>
            <Table caption={t('applications.table')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('applications.col.submittedAt')}</Th>
                  <Th>{t('applications.col.number')}</Th>
                  <Th>{t('applications.col.procedure')}</Th>
                  <Th>{t('applications.col.status')}</Th>
                  <Th className="text-right">{t('applications.col.amount')}</Th>
                  <Th>{t('applications.col.assignee')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {pages.items.length === 0 && <EmptyRow colSpan={7}>{t('applications.empty')}</EmptyRow>}
                {pages.items.map((a) => (
                  <tr key={a.id}>
                    <Td className="whitespace-nowrap">{formatJst(a.submittedAt ?? a.updatedAt)}</Td>
                    <Td className="whitespace-nowrap">{a.number}</Td>
                    <Td>{a.procedure}</Td>
                    <Td>
                      <Badge tone={STATUS_TONE[a.status]}>{t(statusKey(a.status))}</Badge>
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      {a.amount === null ? '—' : yen(a.amount)}
                    </Td>
                    <Td className="whitespace-nowrap">{a.assignee ?? '—'}</Td>
                    <Td>
                      <LinkButton
                        to={applicationPagePath(a.id)}
                        size="sm"
                        variant="secondary"
                        aria-label={t('applications.openLabel', { number: a.number })}
                      >
                        {t('applications.open')}
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
                  {loadingMore ? t('app.loading') : t('applications.more')}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </ChannelListPage>
  );
}
