import { buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { StatCard } from '../../components/StatCard.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { type ScenarioStats, statsExportHref, statsPath } from './api.ts';

/** 統計 (issue 12 analytics): started / completed / dropped and, per node, reached and dropped. */
export function StatsPanel({ scenarioId, channelId }: { scenarioId: string; channelId: string }) {
  const t = useT();
  const stats = useApi<ScenarioStats>(statsPath(scenarioId));
  return (
    <div className="flex flex-col gap-4">
      {stats.error !== null && <LoadError error={stats.error} onRetry={() => void stats.reload()} />}
      {stats.loading && !stats.data && <Loading />}
      {stats.data && (
        <>
          <div className="grid grid-cols-3 gap-2">
            <StatCard label={t('chatbot.stats.started')} value={stats.data.started} />
            <StatCard label={t('chatbot.stats.completed')} value={stats.data.completed} />
            <StatCard label={t('chatbot.stats.dropped')} value={stats.data.dropped} />
          </div>
          <Table caption={t('chatbot.stats.nodes')}>
            <thead>
              <tr>
                <Th>{t('chatbot.stats.node')}</Th>
                <Th>{t('chatbot.stats.reached')}</Th>
                <Th>{t('chatbot.stats.droppedHere')}</Th>
              </tr>
            </thead>
            <tbody>
              {stats.data.nodes.length === 0 && <EmptyRow colSpan={3}>{t('chatbot.stats.empty')}</EmptyRow>}
              {stats.data.nodes.map((n) => (
                <tr key={n.nodeId}>
                  <Td>{n.title || n.nodeId}</Td>
                  <Td className="text-right">{formatNumber(n.reached)}</Td>
                  <Td className="text-right">{formatNumber(n.dropped)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
      <div className="flex flex-wrap gap-2">
        <a href={statsExportHref(channelId, 'csv')} download className={buttonClass('secondary', 'sm')}>
          {t('chatbot.stats.exportCsv')}
        </a>
        <a href={statsExportHref(channelId, 'xlsx')} download className={buttonClass('secondary', 'sm')}>
          {t('chatbot.stats.exportXlsx')}
        </a>
      </div>
      <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.stats.exportHint')}</p>
    </div>
  );
}
