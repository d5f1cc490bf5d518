import { useEffect, useState } from 'react';
import { query } from '../../api/client.ts';
import type { Channel, Dashboard } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { LineChart } from '../../components/LineChart.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatTime, shortDate } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { DisasterBanner } from '../disaster/DisasterBanner.tsx';

const POLL_MS = 10_000;

export function DashboardPage() {
  const t = useT();
  // Without channels.view the list is forbidden; the dashboard then shows the server's default channel.
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const channelsKnown = channels.data !== undefined || channels.error !== null;
  const ready =
    channelsKnown && (channels.data === undefined || channels.data.some((c) => c.id === channelId));
  const path = ready
    ? `/api/dashboard${query({ channelId: channels.data ? channelId : '', days: 30 })}`
    : null;
  const dashboard = useApi<Dashboard>(path);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const { reload, data } = dashboard;

  useEffect(() => {
    if (data) setUpdatedAt(new Date());
  }, [data]);

  useEffect(() => {
    if (path === null) return;
    const timer = window.setInterval(() => {
      if (!document.hidden) void reload(true);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [path, reload]);

  const series = data?.series ?? [];
  const labels = series.map((d) => shortDate(d.date));

  return (
    <>
      <PageHeader title={t('dashboard.title')} description={t('dashboard.lead')} />
      <DisasterBanner channelId={data?.channel?.id ?? null} />
      {channels.data && channels.data.length === 0 ? (
        <Alert tone="info">{t('dashboard.noChannels')}</Alert>
      ) : (
        <div className="flex flex-col gap-6">
          <div className="flex flex-wrap items-end justify-between gap-4">
            {channels.data ? (
              <ChannelSelect channels={channels.data} value={channelId} onChange={setChannelId} />
            ) : (
              <p className="text-std-17B-170">{data?.channel.name}</p>
            )}
            {updatedAt && (
              <p className="text-dns-14N-130 text-solid-gray-700">
                {t('common.lastUpdated', { time: formatTime(updatedAt) })}
              </p>
            )}
          </div>
          {dashboard.error !== null && <LoadError error={dashboard.error} onRetry={() => void reload()} />}
          {!data && dashboard.loading && <Loading />}
          {data && (
            <>
              <div className="grid grid-cols-3 gap-4">
                <StatCard
                  label={t('dashboard.following')}
                  value={data.totals.following}
                  unit={t('dashboard.people')}
                  note={t('dashboard.followingNote')}
                  testId="friend-count"
                />
                <StatCard
                  label={t('dashboard.blocked')}
                  value={data.totals.blocked}
                  unit={t('dashboard.people')}
                  note={t('dashboard.blockedNote')}
                  testId="blocked-count"
                />
                <StatCard
                  label={t('dashboard.total')}
                  value={data.totals.total}
                  unit={t('dashboard.people')}
                  note={t('dashboard.totalNote')}
                  testId="total-count"
                />
              </div>
              <Section title={t('dashboard.friendsChart')}>
                <LineChart
                  title={t('dashboard.friendsChart')}
                  labels={labels}
                  values={series.map((d) => d.following)}
                  seriesName={t('dashboard.following')}
                />
              </Section>
              <Section title={t('dashboard.followsChart')}>
                <BarChart
                  title={t('dashboard.followsChart')}
                  labels={labels}
                  series={[
                    {
                      name: t('dashboard.follows'),
                      values: series.map((d) => d.follows),
                      className: 'fill-blue-900',
                      swatchClassName: 'bg-blue-900',
                    },
                    {
                      name: t('dashboard.unfollows'),
                      values: series.map((d) => d.unfollows),
                      className: 'fill-orange-600',
                      swatchClassName: 'bg-orange-600',
                    },
                  ]}
                />
              </Section>
            </>
          )}
        </div>
      )}
    </>
  );
}
