import { BarChart } from '../../components/BarChart.tsx';
import { LinkButton } from '../../components/Button.tsx';
import { Section } from '../../components/Section.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber, shortDate } from '../../lib/format.ts';
import { analyticsDeliveriesPath, type DeliveriesReport } from '../deliveries/api.ts';
import { StatusBadge } from '../deliveries/StatusBadge.tsx';
import { formatJst } from '../deliveries/time.ts';
import { lastDays } from './AnalyticsFilters.tsx';
import { AnalyticsPeriodPage } from './AnalyticsPeriodPage.tsx';

const bar = { className: 'fill-blue-900', swatchClassName: 'bg-blue-900' };

/** 配信分析 (#/analytics, G-10): deliveries of a period with totals, a chart and CSV / Excel. */
export function DeliveryAnalyticsPage() {
  const t = useT();
  return (
    <AnalyticsPeriodPage<DeliveriesReport>
      title={t('analytics.title')}
      description={t('analytics.lead')}
      tab="deliveries"
      initialPeriod={() => lastDays(30)}
      path={analyticsDeliveriesPath}
    >
      {(data) => <ReportBody data={data} />}
    </AnalyticsPeriodPage>
  );
}

function ReportBody({ data }: { data: DeliveriesReport }) {
  const t = useT();
  const { totals } = data;
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <StatCard
          label={t('analytics.deliveries')}
          value={totals.deliveries}
          unit={t('analytics.unitDeliveries')}
          note={t('analytics.totalsNote')}
          testId="analytics-deliveries"
        />
        <StatCard
          label={t('analytics.recipients')}
          value={totals.recipients}
          unit={t('analytics.unitPeople')}
          testId="analytics-recipients"
        />
        <StatCard
          label={t('analytics.sent')}
          value={totals.sent}
          unit={t('analytics.unitPeople')}
          testId="analytics-sent"
        />
        <StatCard
          label={t('analytics.failed')}
          value={totals.failed}
          unit={t('analytics.unitPeople')}
          testId="analytics-failed"
        />
        <StatCard
          label={t('analytics.clicks')}
          value={totals.clicks}
          unit={t('analytics.unitClicks')}
          testId="analytics-clicks"
        />
      </div>
      <p className="text-dns-14N-130 text-solid-gray-700">{data.note}</p>

      <Table caption={t('analytics.table')}>
        <thead>
          <tr>
            <Th>{t('analytics.col.at')}</Th>
            <Th>{t('analytics.col.title')}</Th>
            <Th>{t('analytics.col.status')}</Th>
            <Th className="text-right">{t('analytics.recipients')}</Th>
            <Th className="text-right">{t('analytics.sent')}</Th>
            <Th className="text-right">{t('analytics.failed')}</Th>
            <Th className="text-right">{t('analytics.clicks')}</Th>
            <Th>{t('common.actions')}</Th>
          </tr>
        </thead>
        <tbody>
          {data.deliveries.length === 0 && <EmptyRow colSpan={8}>{t('analytics.empty')}</EmptyRow>}
          {data.deliveries.map((d) => (
            <tr key={d.id} data-testid="analytics-row">
              <Td className="whitespace-nowrap">{formatJst(d.startedAt ?? d.scheduledAt)}</Td>
              <Td className="font-bold">{d.title}</Td>
              <Td>
                <StatusBadge status={d.status} />
              </Td>
              <Td className="text-right">{formatNumber(d.recipients)}</Td>
              <Td className="text-right">{formatNumber(d.sent)}</Td>
              <Td className="text-right">{formatNumber(d.failed)}</Td>
              <Td className="text-right">{formatNumber(d.clicks)}</Td>
              <Td>
                <LinkButton
                  to={`/analytics/deliveries/${encodeURIComponent(d.id)}`}
                  size="sm"
                  aria-label={`${t('analytics.detail')}: ${d.title}`}
                >
                  {t('analytics.detail')}
                </LinkButton>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>

      <Section title={t('analytics.sentPerDay')}>
        <BarChart
          title={t('analytics.sentPerDay')}
          labels={data.byDay.map((d) => shortDate(d.date))}
          series={[{ name: t('analytics.sent'), values: data.byDay.map((d) => d.sent), ...bar }]}
        />
      </Section>
    </div>
  );
}
