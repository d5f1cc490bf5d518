import { BarChart } from '../../components/BarChart.tsx';
import { LineChart } from '../../components/LineChart.tsx';
import { Section } from '../../components/Section.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { shortDate } from '../../lib/format.ts';
import { analyticsFriendsPath, type FriendsReport } from '../deliveries/api.ts';
import { lastDays } from './AnalyticsFilters.tsx';
import { AnalyticsPeriodPage } from './AnalyticsPeriodPage.tsx';

/** 友だち数の推移 (#/analytics/friends, O-08): follows, blocks and friends per day, CSV / Excel. */
export function FriendsAnalyticsPage() {
  const t = useT();
  return (
    <AnalyticsPeriodPage<FriendsReport>
      title={t('analytics.friends.title')}
      description={t('analytics.friends.lead')}
      tab="friends"
      initialPeriod={() => lastDays(30)}
      path={analyticsFriendsPath}
    >
      {(data) => <FriendsReportBody data={data} />}
    </AnalyticsPeriodPage>
  );
}

function FriendsReportBody({ data }: { data: FriendsReport }) {
  const t = useT();
  const labels = data.series.map((d) => shortDate(d.date));
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard
          label={t('analytics.friends.now')}
          value={data.followingNow}
          unit={t('analytics.unitPeople')}
          testId="friends-now"
        />
        <StatCard
          label={t('analytics.friends.follows')}
          value={data.totals.follows}
          unit={t('analytics.unitPeople')}
          note={t('analytics.friends.periodNote')}
          testId="friends-follows"
        />
        <StatCard
          label={t('analytics.friends.refollows')}
          value={data.totals.refollows}
          unit={t('analytics.unitPeople')}
          note={t('analytics.friends.periodNote')}
          testId="friends-refollows"
        />
        <StatCard
          label={t('analytics.friends.blocks')}
          value={data.totals.blocks}
          unit={t('analytics.unitPeople')}
          note={t('analytics.friends.periodNote')}
          testId="friends-blocks"
        />
      </div>
      <Section title={t('analytics.friends.friendsChart')}>
        <LineChart
          title={t('analytics.friends.friendsChart')}
          labels={labels}
          values={data.series.map((d) => d.friends)}
          seriesName={t('analytics.friends.friends')}
        />
      </Section>
      <Section title={t('analytics.friends.eventsChart')}>
        <BarChart
          title={t('analytics.friends.eventsChart')}
          labels={labels}
          series={[
            {
              name: t('analytics.friends.follows'),
              values: data.series.map((d) => d.follows + d.refollows),
              className: 'fill-blue-900',
              swatchClassName: 'bg-blue-900',
            },
            {
              name: t('analytics.friends.blocks'),
              values: data.series.map((d) => d.blocks),
              className: 'fill-orange-600',
              swatchClassName: 'bg-orange-600',
            },
          ]}
        />
      </Section>
    </div>
  );
}
