import { useEffect, useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes, formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { chatbotApi, type ScenarioVersionSummary, type ScenarioView, versionsPath } from './api.ts';

/** 版の履歴 (B-01): the published versions; 復元 makes one of them the draft again. */
export function VersionsPanel({
  scenarioId,
  reloadKey,
  onRestored,
}: {
  scenarioId: string;
  /** Changes after a publish, so the list is read again. */
  reloadKey: number;
  onRestored: (view: ScenarioView, version: number) => void;
}) {
  const t = useT();
  const versions = useApi<ScenarioVersionSummary[]>(versionsPath(scenarioId));
  const { reload } = versions;
  useEffect(() => {
    if (reloadKey > 0) void reload(true);
  }, [reloadKey, reload]);
  const [restoring, setRestoring] = useState<number | null>(null);
  return (
    <div className="flex flex-col gap-4">
      {versions.error !== null && <LoadError error={versions.error} onRetry={() => void versions.reload()} />}
      {versions.loading && !versions.data && <Loading />}
      {versions.data && (
        <Table caption={t('chatbot.versions.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('chatbot.versions.version')}</Th>
              <Th>{t('chatbot.versions.publishedAt')}</Th>
              <Th>{t('chatbot.col.nodes')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {versions.data.length === 0 && <EmptyRow colSpan={4}>{t('chatbot.versions.empty')}</EmptyRow>}
            {versions.data.map((v) => (
              <tr key={v.version}>
                <Td className="whitespace-nowrap">
                  {t('chatbot.versions.n', { n: v.version })}
                  {v.current && (
                    <span className="ml-2">
                      <Badge tone="success">{t('chatbot.versions.current')}</Badge>
                    </span>
                  )}
                </Td>
                <Td>
                  {formatDateTimeMinutes(v.publishedAt)}
                  {v.publishedBy && <span className="block text-dns-14N-130">{v.publishedBy}</span>}
                </Td>
                <Td className="text-right">{formatNumber(v.nodeCount)}</Td>
                <Td>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={t('chatbot.versions.restoreLabel', { n: v.version })}
                    onClick={() => setRestoring(v.version)}
                  >
                    {t('chatbot.versions.restore')}
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <ConfirmDialog
        open={restoring !== null}
        title={t('chatbot.versions.restoreTitle')}
        message={t('chatbot.versions.restoreConfirm', { n: restoring ?? '' })}
        confirmLabel={t('chatbot.versions.restore')}
        onClose={() => setRestoring(null)}
        onConfirm={async () => {
          if (restoring === null) return;
          const view = await chatbotApi.restore(scenarioId, restoring);
          onRestored(view, restoring);
          setRestoring(null);
        }}
      />
    </div>
  );
}
