import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber, shortDate } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import {
  analyticsDeliveryPath,
  breakdownItems,
  type DeliveryReport,
  type RegistrationForm,
  registrationFormPath,
} from '../deliveries/api.ts';
import { StatusBadge } from '../deliveries/StatusBadge.tsx';
import { formatJst } from '../deliveries/time.ts';
import { DownloadLinks } from './AnalyticsFilters.tsx';

const blue = { className: 'fill-blue-900', swatchClassName: 'bg-blue-900' };
const orange = { className: 'fill-orange-600', swatchClassName: 'bg-orange-600' };

/** 配信の分析 (#/analytics/deliveries/:id, G-10): counts, clicks per link / day / hour, breakdown by an item. */
export function DeliveryReportPage({ id }: { id: string }) {
  const t = useT();
  const [itemId, setItemId] = useState('');
  const report = useApi<DeliveryReport>(analyticsDeliveryPath(id, itemId));
  const data = report.data;
  const channelId = data?.delivery.channelId ?? '';
  const form = useApi<RegistrationForm>(channelId ? registrationFormPath(channelId) : null);
  const items = breakdownItems(form.data);

  return (
    <>
      <PageHeader
        title={data ? `${t('analytics.report.title')}: ${data.delivery.title}` : t('analytics.report.title')}
        description={data ? t('analytics.report.at', { at: formatJst(data.delivery.startedAt) }) : undefined}
        actions={
          <>
            <DownloadLinks
              csv={analyticsDeliveryPath(id, itemId, '.csv')}
              xlsx={analyticsDeliveryPath(id, itemId, '.xlsx')}
              hintId="report-download-hint"
            />
            <LinkButton to="/analytics" variant="tertiary">
              {t('analytics.report.back')}
            </LinkButton>
          </>
        }
      />
      <p id="report-download-hint" className="-mt-3 mb-4 text-dns-14N-130 text-solid-gray-700">
        {t('analytics.downloadHint')}
      </p>
      {report.error !== null && <LoadError error={report.error} onRetry={() => void report.reload()} />}
      {!data && report.loading && <Loading />}
      {data && (
        <div className="flex flex-col gap-6">
          <div className="flex items-center gap-3">
            <StatusBadge status={data.delivery.status} />
          </div>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <StatCard
              label={t('analytics.recipients')}
              value={data.delivery.recipients}
              unit={t('analytics.unitPeople')}
              testId="report-recipients"
            />
            <StatCard
              label={t('analytics.sent')}
              value={data.delivery.sent}
              unit={t('analytics.unitPeople')}
              testId="report-sent"
            />
            <StatCard
              label={t('analytics.failed')}
              value={data.delivery.failed}
              unit={t('analytics.unitPeople')}
              testId="report-failed"
            />
            <StatCard
              label={t('analytics.clicks')}
              value={data.delivery.clicks}
              unit={t('analytics.unitClicks')}
              testId="report-clicks"
            />
          </div>
          <p className="text-dns-14N-130 text-solid-gray-700">{data.note}</p>

          <Section title={t('analytics.report.links')}>
            <Table caption={t('analytics.report.links')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('analytics.report.position')}</Th>
                  <Th>{t('analytics.report.place')}</Th>
                  <Th>{t('analytics.report.url')}</Th>
                  <Th className="text-right">{t('analytics.clicks')}</Th>
                </tr>
              </thead>
              <tbody>
                {data.links.length === 0 && <EmptyRow colSpan={4}>{t('analytics.report.noLinks')}</EmptyRow>}
                {data.links.map((l, i) => (
                  <tr key={l.position} data-testid="report-link" data-clicks={l.clicks}>
                    <Td>{i + 1}</Td>
                    <Td data-testid="report-link-place">
                      {l.message === null || l.kind === null
                        ? t('common.none')
                        : t(`analytics.report.place.${l.kind}`, { n: l.message + 1 })}
                    </Td>
                    <Td className="break-all">{l.url}</Td>
                    <Td className="text-right">{formatNumber(l.clicks)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Section>

          {data.clicksByDay.length > 0 && (
            <Section title={t('analytics.report.byDay')}>
              <BarChart
                title={t('analytics.report.byDay')}
                labels={data.clicksByDay.map((d) => shortDate(d.date))}
                series={[
                  { name: t('analytics.clicks'), values: data.clicksByDay.map((d) => d.clicks), ...blue },
                ]}
              />
            </Section>
          )}
          <Section title={t('analytics.report.byHour')}>
            <BarChart
              title={t('analytics.report.byHour')}
              labels={data.clicksByHour.map((h) => t('analytics.report.hourLabel', { hour: h.hour }))}
              series={[
                { name: t('analytics.clicks'), values: data.clicksByHour.map((h) => h.clicks), ...blue },
              ]}
              labelHeader={t('analytics.report.hour')}
            />
          </Section>

          <Section title={t('analytics.report.breakdown')} description={t('analytics.report.breakdownLead')}>
            <div className="flex flex-col gap-4">
              {form.error !== null ? (
                <p className="text-std-16N-170">
                  {t('analytics.report.formUnavailable', { message: errorMessage(t, form.error) })}
                </p>
              ) : form.data && items.length === 0 ? (
                <p className="text-std-16N-170">{t('analytics.report.noItems')}</p>
              ) : (
                <Select
                  label={t('analytics.report.item')}
                  value={itemId}
                  onChange={setItemId}
                  placeholder={t('analytics.report.itemNone')}
                  options={items.map((i) => ({
                    value: i.id,
                    label: i.retired ? t('analytics.report.retired', { label: i.label }) : i.label,
                  }))}
                  selectClassName="w-96 max-w-full"
                />
              )}
              {itemId && report.loading && <Loading />}
              {data.breakdown && <Breakdown breakdown={data.breakdown} />}
            </div>
          </Section>
        </div>
      )}
    </>
  );
}

function Breakdown({ breakdown }: { breakdown: NonNullable<DeliveryReport['breakdown']> }) {
  const t = useT();
  const { item, rows } = breakdown;
  const label = (r: (typeof rows)[number]) =>
    r.retired ? t('analytics.report.retired', { label: r.label }) : r.label;
  // Towns of an area item are listed in the table; the chart shows the wards (top-level choices).
  const charted = rows.filter((r) => r.parentId === null);
  const title = t('analytics.report.breakdownTable', { label: item.label });
  return (
    <>
      {breakdown.note && <p className="text-dns-14N-130 text-solid-gray-700">{breakdown.note}</p>}
      <Table caption={title}>
        <thead>
          <tr>
            <Th>{t('analytics.report.choice')}</Th>
            <Th className="text-right">{t('analytics.recipients')}</Th>
            <Th className="text-right">{t('analytics.sent')}</Th>
            <Th className="text-right">{t('analytics.failed')}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.choiceId ?? 'none'} data-testid="breakdown-row">
              <Td className={r.parentId ? 'pl-8' : 'font-bold'}>{label(r)}</Td>
              <Td className="text-right">{formatNumber(r.recipients)}</Td>
              <Td className="text-right">{formatNumber(r.sent)}</Td>
              <Td className="text-right">{formatNumber(r.failed)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <BarChart
        title={title}
        labels={charted.map(label)}
        series={[
          { name: t('analytics.sent'), values: charted.map((r) => r.sent), ...blue },
          { name: t('analytics.failed'), values: charted.map((r) => r.failed), ...orange },
        ]}
        labelHeader={t('analytics.report.choice')}
        maxLabels={charted.length}
      />
    </>
  );
}
