import { useState } from 'react';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { LineChart } from '../../components/LineChart.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { shortDate } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { analyticsFriendsPath, type FriendsReport } from '../deliveries/api.ts';
import {
  AnalyticsFilters,
  AnalyticsTabs,
  DownloadLinks,
  lastDays,
  type Period,
} from './AnalyticsFilters.tsx';

/** 友だち数の推移 (#/analytics/friends, O-08): follows, blocks and friends per day, CSV / Excel. */
export function FriendsAnalyticsPage() {
  const t = useT();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const [period, setPeriod] = useState<Period>(() => lastDays(30));
  const ready = channels.data?.some((c) => c.id === channelId) ?? false;
  const q = { channelId, ...period };
  const report = useApi<FriendsReport>(ready ? analyticsFriendsPath(q) : null);
  const data = report.data;
  const labels = (data?.series ?? []).map((d) => shortDate(d.date));

  return (
    <>
      <PageHeader
        title={t('analytics.friends.title')}
        description={t('analytics.friends.lead')}
        actions={
          ready && (
            <DownloadLinks
              csv={analyticsFriendsPath(q, '.csv')}
              xlsx={analyticsFriendsPath(q, '.xlsx')}
              hintId="friends-download-hint"
            />
          )
        }
      />
      <p id="friends-download-hint" className="-mt-3 mb-4 text-dns-14N-130 text-solid-gray-700">
        {t('analytics.downloadHint')}
      </p>
      <AnalyticsTabs current="friends" />
      {channels.error !== null && <LoadError error={channels.error} onRetry={() => void channels.reload()} />}
      {channels.data?.length === 0 && <Alert tone="info">{t('dashboard.noChannels')}</Alert>}
      <AnalyticsFilters
        channels={channels.data}
        channelId={channelId}
        onChannelChange={setChannelId}
        period={period}
        onApply={setPeriod}
      />
      <p className="mb-4 text-std-17B-170 text-solid-gray-900" aria-live="polite">
        {t('analytics.period', {
          from: period.from.replaceAll('-', '/'),
          to: period.to.replaceAll('-', '/'),
        })}
        {report.loading && data && (
          <span className="ml-3 text-std-16N-170 text-solid-gray-700">{t('app.loading')}</span>
        )}
      </p>
      {report.error !== null && <LoadError error={report.error} onRetry={() => void report.reload()} />}
      {!data && (report.loading || channels.loading) && <Loading />}
      {data && (
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
      )}
    </>
  );
}
