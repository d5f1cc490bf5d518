import { useEffect, useRef, useState } from 'react';
import type { Channel } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { AUDIENCE_KEYS } from './AudienceSection.tsx';
import {
  cancelDelivery,
  type DeliveryStatus,
  type DeliveryView,
  deliveriesPath,
  getDelivery,
  type Segment,
  segmentsPath,
} from './api.ts';
import { describeRecurrence } from './recurrence.ts';
import { DeliveryProgress, STATUS_KEYS, StatusBadge } from './StatusBadge.tsx';
import { formatJst } from './time.ts';

/** Progress of a sending delivery is re-read this often (only while one is sending). */
const PROGRESS_MS = 2_000;
/** A scheduled delivery due within this time makes the list re-read itself when it is due. */
const DUE_WINDOW_MS = 15 * 60_000;

const STATUSES: DeliveryStatus[] = ['draft', 'scheduled', 'sending', 'sent', 'failed', 'cancelled'];

/** メッセージ配信 (#/deliveries): deliveries of the selected channel with status and live progress. */
export function DeliveriesPage() {
  const t = useT();
  const can = useCan();
  const flash = useFlash();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const [status, setStatus] = useState('');
  const [cancelling, setCancelling] = useState<DeliveryView | null>(null);
  const [notice, setNotice] = useState<string | null>(flash);

  const ready = channels.data?.some((c) => c.id === channelId) ?? false;
  const path = ready ? `${deliveriesPath(channelId)}${status ? `&status=${status}` : ''}` : null;
  const list = useApi<DeliveryView[]>(path);
  const segments = useApi<Segment[]>(ready ? segmentsPath(channelId) : null);
  const { data, setData, reload } = list;
  const latest = useRef(data);
  latest.current = data;

  // Live progress: GET /api/deliveries/:id every 2 s for the deliveries that are sending, and only then.
  const sendingIds = (data ?? [])
    .filter((d) => d.status === 'sending')
    .map((d) => d.id)
    .join(',');
  useEffect(() => {
    if (!sendingIds) return;
    let stopped = false;
    let inFlight = false;
    const timer = window.setInterval(async () => {
      if (document.hidden || inFlight) return;
      inFlight = true;
      try {
        const fresh = await Promise.all(sendingIds.split(',').map((id) => getDelivery(id)));
        if (stopped) return;
        const byId = new Map(fresh.map((d) => [d.id, d]));
        setData((latest.current ?? []).map((d) => byId.get(d.id) ?? d));
      } catch {
        // The next tick tries again; a lasting error shows when the list is reloaded.
      } finally {
        inFlight = false;
      }
    }, PROGRESS_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [sendingIds, setData]);

  // A scheduled delivery that becomes due soon: re-read the list when it starts.
  const nextDue = (data ?? [])
    .filter((d) => d.status === 'scheduled' && d.scheduledAt)
    .map((d) => Date.parse(d.scheduledAt!))
    .filter((ms) => ms - Date.now() < DUE_WINDOW_MS)
    .sort((a, b) => a - b)[0];
  useEffect(() => {
    if (nextDue === undefined) return;
    const timer = window.setTimeout(() => void reload(true), Math.max(2_000, nextDue - Date.now() + 3_000));
    return () => window.clearTimeout(timer);
  }, [nextDue, reload]);

  const segmentName = (id: string) => segments.data?.find((s) => s.id === id)?.name;
  const audienceText = (d: DeliveryView) =>
    d.audience.kind === 'segment'
      ? `${t(AUDIENCE_KEYS.segment)}: ${segmentName(d.audience.segmentId) ?? '—'}`
      : t(AUDIENCE_KEYS[d.audience.kind]);

  return (
    <>
      <PageHeader
        title={t('deliveries.title')}
        description={t('deliveries.lead')}
        actions={
          <LinkButton to="/deliveries/new" variant="primary">
            {t('deliveries.new')}
          </LinkButton>
        }
      />
      {notice && (
        <Alert tone="success" className="mb-4">
          {notice}
        </Alert>
      )}
      {channels.error !== null && <LoadError error={channels.error} onRetry={() => void channels.reload()} />}
      {channels.data && channels.data.length === 0 ? (
        <Alert tone="info">{t('dashboard.noChannels')}</Alert>
      ) : (
        <>
          <div className="mb-6 flex flex-wrap items-end gap-4">
            {channels.data && (
              <ChannelSelect
                widthClassName="w-80"
                channels={channels.data}
                value={channelId}
                onChange={setChannelId}
              />
            )}
            <Select
              label={t('deliveries.statusFilter')}
              value={status}
              onChange={setStatus}
              placeholder={t('deliveries.statusAll')}
              options={STATUSES.map((s) => ({ value: s, label: t(STATUS_KEYS[s]) }))}
              className="w-48"
            />
          </div>
          {list.error !== null && <LoadError error={list.error} onRetry={() => void reload()} />}
          {(list.loading || channels.loading) && !data && <Loading />}
          {data && (
            <Table caption={t('deliveries.table')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('deliveries.col.status')}</Th>
                  <Th>{t('deliveries.col.title')}</Th>
                  <Th>{t('deliveries.col.time')}</Th>
                  <Th>{t('deliveries.col.audience')}</Th>
                  <Th className="text-right">{t('deliveries.col.recipients')}</Th>
                  <Th>{t('deliveries.col.result')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody aria-busy={list.loading}>
                {data.length === 0 && <EmptyRow colSpan={7}>{t('deliveries.empty')}</EmptyRow>}
                {data.map((d) => (
                  <tr key={d.id} data-testid="delivery-row" data-status={d.status}>
                    <Td>
                      <div className="flex flex-wrap gap-1">
                        <StatusBadge status={d.status} />
                        {d.isTest && <Badge tone="neutral">{t('deliveries.testBadge')}</Badge>}
                        {d.source === 'mail' && <Badge tone="info">{t('deliveries.mailBadge')}</Badge>}
                        {d.recurrence && <Badge tone="info">{t('deliveries.recurringBadge')}</Badge>}
                      </div>
                    </Td>
                    <Td className="font-bold">{d.title}</Td>
                    <Td className="whitespace-nowrap">
                      {d.recurrence ? (
                        <span className="whitespace-normal">{describeRecurrence(t, d.recurrence)}</span>
                      ) : (
                        formatJst(d.startedAt ?? d.scheduledAt)
                      )}
                    </Td>
                    <Td>{audienceText(d)}</Td>
                    <Td className="text-right" data-testid="delivery-recipients">
                      {d.recipients === null ? '—' : formatNumber(d.recipients)}
                    </Td>
                    <Td>
                      {d.status === 'sending' ? (
                        <DeliveryProgress delivery={d} />
                      ) : d.status === 'sent' || d.status === 'failed' ? (
                        <span data-testid="delivery-result" data-sent={d.sent} data-failed={d.failed}>
                          {t('deliveries.result', {
                            sent: formatNumber(d.sent),
                            failed: formatNumber(d.failed),
                          })}
                        </span>
                      ) : (
                        '—'
                      )}
                      {d.error && <p className="mt-1 text-dns-14N-130 text-error-1">{d.error}</p>}
                    </Td>
                    <Td>
                      <div className="flex flex-wrap gap-2">
                        {(d.status === 'draft' || d.status === 'scheduled') && !d.isTest && (
                          <LinkButton
                            to={`/deliveries/${encodeURIComponent(d.id)}/edit`}
                            size="sm"
                            aria-label={`${t('common.edit')}: ${d.title}`}
                          >
                            {t('common.edit')}
                          </LinkButton>
                        )}
                        {d.status === 'scheduled' && can('deliveries.send') && (
                          <Button
                            variant="danger"
                            size="sm"
                            aria-label={`${t('deliveries.cancel')}: ${d.title}`}
                            onClick={() => setCancelling(d)}
                          >
                            {t('deliveries.cancel')}
                          </Button>
                        )}
                        {(d.status === 'sent' || d.status === 'failed' || d.status === 'sending') &&
                          can('analytics.view') && (
                            <LinkButton
                              to={`/analytics/deliveries/${encodeURIComponent(d.id)}`}
                              size="sm"
                              variant="tertiary"
                              aria-label={`${t('deliveries.analytics')}: ${d.title}`}
                            >
                              {t('deliveries.analytics')}
                            </LinkButton>
                          )}
                      </div>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title={t('deliveries.cancelTitle')}
        message={t('deliveries.cancelConfirm', {
          title: cancelling?.title ?? '',
          time: formatJst(cancelling?.scheduledAt),
        })}
        confirmLabel={t('deliveries.cancel')}
        confirmVariant="danger"
        onConfirm={async () => {
          if (!cancelling) return;
          await cancelDelivery(cancelling.id);
          setCancelling(null);
          setNotice(t('deliveries.cancelDone'));
          await reload(true);
        }}
        onClose={() => setCancelling(null)}
      />
    </>
  );
}
