import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { type DeliveryStatus, type DeliveryView, deliveryProgress } from './api.ts';

export const STATUS_KEYS: Record<DeliveryStatus, MessageKey> = {
  draft: 'status.draft',
  scheduled: 'status.scheduled',
  sending: 'status.sending',
  sent: 'status.sent',
  failed: 'status.failed',
  cancelled: 'status.cancelled',
};

const TONES: Record<DeliveryStatus, BadgeTone> = {
  draft: 'neutral',
  scheduled: 'info',
  sending: 'strong',
  sent: 'success',
  failed: 'danger',
  cancelled: 'warning',
};

/** 下書き / 予約済み / 配信中 / 配信済み / 失敗 / 取消 */
export function StatusBadge({ status }: { status: DeliveryStatus }) {
  const t = useT();
  return <Badge tone={TONES[status]}>{t(STATUS_KEYS[status])}</Badge>;
}

/**
 * Progress of a sending delivery: a native <progress> (its value is read by screen readers on
 * demand) and a polite live text that changes only every 10 %, so it is not read every 2 s.
 */
export function DeliveryProgress({ delivery }: { delivery: DeliveryView }) {
  const t = useT();
  const ratio = deliveryProgress(delivery);
  const percent = Math.floor(ratio * 100);
  const total = delivery.recipients;
  return (
    <div className="flex min-w-48 flex-col gap-1">
      <progress
        value={ratio}
        max={1}
        aria-label={t('deliveries.progressLabel', { title: delivery.title })}
        className="h-3 w-full overflow-hidden rounded-4 bg-solid-gray-200 [&::-moz-progress-bar]:bg-blue-900 [&::-webkit-progress-bar]:bg-solid-gray-200 [&::-webkit-progress-value]:bg-blue-900"
      />
      <span className="text-dns-14N-130 text-solid-gray-800">
        {total === null
          ? t('deliveries.progressPreparing')
          : t('deliveries.progressText', {
              done: formatNumber(delivery.sent + delivery.failed),
              total: formatNumber(total),
              percent,
            })}
      </span>
      <span className="sr-only" aria-live="polite">
        {t('deliveries.progressLive', { title: delivery.title, percent: Math.floor(percent / 10) * 10 })}
      </span>
    </div>
  );
}
