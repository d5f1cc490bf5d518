import { PAYMENT_STATUSES, type PaymentStatus } from '@madoguchi/contracts/payments.ts';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, buttonClass, LinkButton } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';
import { openPeriodErrors, periodErrors } from '../../lib/period.ts';
import { useApi } from '../../lib/useApi.ts';
import { formatJst, todayJst } from '../deliveries/time.ts';
import {
  type PaymentFilter,
  type PaymentView,
  paymentPagePath,
  paymentsApi,
  reconciliationHref,
  type WebhookEventView,
  webhookEventsPath,
} from './api.ts';
import { eventStateKey, flagKey, STATUS_TONE, statusKey, yen } from './labels.ts';

type FilterForm = { status: PaymentStatus | ''; flagged: '' | 'true'; from: string; to: string };
const EMPTY: FilterForm = { status: '', flagged: '', from: '', to: '' };

const filterOf = (f: FilterForm): PaymentFilter => ({
  status: f.status || undefined,
  flagged: f.flagged || undefined,
  from: f.from || undefined,
  to: f.to || undefined,
});

type Pages = { items: PaymentView[]; next: string | null };

/** 決済 (#/payments, A-02): the payments with a status filter, the reconciliation export, a link to each. */
export function PaymentsPage() {
  const t = useT();
  const [applied, setApplied] = useState<PaymentFilter>({});
  const filters = usePeriodForm(EMPTY, (values) => setApplied(filterOf(values)), openPeriodErrors);
  const draft = filters.values;
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const today = todayJst();
  const [range, setRange] = useState({ from: today, to: today });
  const rangeErrors = periodErrors(range, t);
  const rangeOk = !rangeErrors.from && !rangeErrors.to;

  useEffect(() => {
    const controller = new AbortController();
    setPages(null);
    setLoadError(null);
    paymentsApi
      .list(applied, null, controller.signal)
      .then((page) => setPages(page))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [applied]);

  async function more() {
    if (!pages?.next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await paymentsApi.list(applied, pages.next);
      setPages({ items: [...pages.items, ...page.items], next: page.next });
    } catch (err) {
      setMoreError(errorMessage(t, err));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <PageHeader title={t('payments.title')} description={t('payments.lead')} />
      <div className="flex flex-col gap-6">
        <Section title={t('payments.export.title')} description={t('payments.export.lead')}>
          <div className="flex flex-wrap items-end gap-4">
            <PeriodFields
              values={range}
              errors={rangeErrors}
              onChange={(key) => (value) => setRange((r) => ({ ...r, [key]: value }))}
              className="w-52"
            />
            {(['csv', 'xlsx'] as const).map((format) =>
              rangeOk ? (
                <a
                  key={format}
                  href={reconciliationHref(range.from, range.to, format)}
                  download
                  className={buttonClass('secondary', 'sm')}
                >
                  {t(format === 'csv' ? 'payments.export.csv' : 'payments.export.xlsx')}
                </a>
              ) : (
                <Button key={format} variant="secondary" size="sm" disabled>
                  {t(format === 'csv' ? 'payments.export.csv' : 'payments.export.xlsx')}
                </Button>
              ),
            )}
          </div>
        </Section>
        <form
          noValidate
          onSubmit={filters.onSubmit}
          aria-label={t('payments.filters')}
          className="flex flex-wrap items-end gap-4"
        >
          <Select
            label={t('payments.filter.status')}
            value={draft.status}
            onChange={filters.set('status')}
            placeholder={t('payments.filter.all')}
            options={PAYMENT_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
            className="w-44"
          />
          <PeriodFields values={draft} errors={filters.errors} onChange={filters.set} className="w-52" />
          <Checkbox
            label={t('payments.filter.flagged')}
            checked={draft.flagged === 'true'}
            onChange={(checked) => filters.set('flagged')(checked ? 'true' : '')}
          />
          <Button type="submit" variant="secondary">
            {t('payments.filter.apply')}
          </Button>
        </form>
        {loadError !== null && <LoadError error={loadError} onRetry={() => setApplied((a) => ({ ...a }))} />}
        {pages === null && loadError === null && <Loading />}
        {pages && (
          <>
            <p role="status" className="text-std-16N-170">
              {t('payments.shown', { count: formatNumber(pages.items.length) })}
            </p>
            <Table caption={t('payments.table')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('payments.col.createdAt')}</Th>
                  <Th>{t('payments.col.description')}</Th>
                  <Th className="text-right">{t('payments.col.amount')}</Th>
                  <Th>{t('payments.col.status')}</Th>
                  <Th>{t('payments.col.provider')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {pages.items.length === 0 && <EmptyRow colSpan={6}>{t('payments.empty')}</EmptyRow>}
                {pages.items.map((p) => (
                  <tr key={p.id}>
                    <Td className="whitespace-nowrap">{formatJst(p.createdAt)}</Td>
                    <Td className="max-w-96 break-words">{p.description}</Td>
                    <Td className="whitespace-nowrap text-right">{yen(p.amount)}</Td>
                    <Td>
                      <span className="flex flex-wrap gap-1">
                        <Badge tone={STATUS_TONE[p.status]}>{t(statusKey(p.status))}</Badge>
                        {p.flag && <Badge tone="danger">{t(flagKey(p.flag))}</Badge>}
                      </span>
                    </Td>
                    <Td>{p.provider}</Td>
                    <Td>
                      <LinkButton
                        to={paymentPagePath(p.id)}
                        size="sm"
                        variant="secondary"
                        aria-label={t('payments.openLabel', { at: formatJst(p.createdAt) })}
                      >
                        {t('payments.open')}
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
                  {loadingMore ? t('app.loading') : t('payments.more')}
                </Button>
              </div>
            )}
          </>
        )}
        <UnmatchedEvents />
      </div>
    </>
  );
}

/** Notifications kept aside: for no payment here, or whose processing failed (retried by the server). */
function UnmatchedEvents() {
  const t = useT();
  const unknown = useApi<WebhookEventView[]>(webhookEventsPath('unknown_payment'));
  const failed = useApi<WebhookEventView[]>(webhookEventsPath('failed'));
  const events = [...(unknown.data ?? []), ...(failed.data ?? [])].sort((a, b) =>
    b.receivedAt.localeCompare(a.receivedAt),
  );
  return (
    <Section title={t('payments.events.title')} description={t('payments.events.lead')}>
      {(unknown.error ?? failed.error) !== null && (
        <LoadError
          error={unknown.error ?? failed.error}
          onRetry={() => void Promise.all([unknown.reload(), failed.reload()])}
        />
      )}
      <Table caption={t('payments.events.title')} hideCaption>
        <thead>
          <tr>
            <Th>{t('payments.event.receivedAt')}</Th>
            <Th>{t('payments.event.type')}</Th>
            <Th>{t('payments.event.state')}</Th>
            <Th>{t('payments.event.id')}</Th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 && <EmptyRow colSpan={4}>{t('payments.events.empty')}</EmptyRow>}
          {events.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap">{formatJst(e.receivedAt)}</Td>
              <Td className="font-mono">{e.type}</Td>
              <Td>{t(eventStateKey(e.state))}</Td>
              <Td className="break-all font-mono">{e.eventId}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Section>
  );
}
