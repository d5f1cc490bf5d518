import { type ReactNode, useState } from 'react';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { AnalyticsFilters, AnalyticsTabs, DownloadLinks, type Period } from './AnalyticsFilters.tsx';

type Query = Period & { channelId: string };

/**
 * The frame of an analytics page over a period: header with CSV / Excel links, tabs, channel and
 * period filters, loading and errors; `children` renders the report once it is there.
 */
export function AnalyticsPeriodPage<T>({
  title,
  description,
  tab,
  initialPeriod,
  path,
  children,
}: {
  title: string;
  description: string;
  tab: 'deliveries' | 'friends';
  initialPeriod: () => Period;
  /** The report's API path for a query; with an extension, its download. */
  path: (q: Query, ext?: '.csv' | '.xlsx') => string;
  children: (data: T) => ReactNode;
}) {
  const t = useT();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const [period, setPeriod] = useState<Period>(initialPeriod);
  const ready = channels.data?.some((c) => c.id === channelId) ?? false;
  const q = { channelId, ...period };
  const report = useApi<T>(ready ? path(q) : null);
  const data = report.data;
  const hintId = `${tab}-download-hint`;

  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={ready && <DownloadLinks csv={path(q, '.csv')} xlsx={path(q, '.xlsx')} hintId={hintId} />}
      />
      <p id={hintId} className="-mt-3 mb-4 text-dns-14N-130 text-solid-gray-700">
        {t('analytics.downloadHint')}
      </p>
      <AnalyticsTabs current={tab} />
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
      {data !== undefined && children(data)}
    </>
  );
}
