import { useEffect, useState } from 'react';
import type { ConsultationStatus, ConsultationSummary, Origin } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';

/** The current time, refreshed every `ms` (one timer per list, not per row). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** `5分` / `1時間20分` between an ISO time and now. */
export function durationText(t: TFunction, fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 60) return t('consult.minutes', { m: minutes });
  return t('consult.hoursMinutes', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** 待機 5分 / 経過 12分 / 終了 2026/11/01 10:00 */
export function timeText(t: TFunction, c: ConsultationSummary, now: number): string {
  if (c.status === 'waiting') return t('consult.waitingFor', { time: durationText(t, c.openedAt, now) });
  if (c.status === 'active') return t('consult.elapsed', { time: durationText(t, c.openedAt, now) });
  return t('consult.closedAt', { time: formatDateTimeMinutes(c.closedAt) });
}

export function OriginBadge({ origin }: { origin: Origin }) {
  const t = useT();
  return origin === 'line' ? (
    <Badge tone="success">{t('consult.originLine')}</Badge>
  ) : (
    <Badge tone="info">{t('consult.originWeb')}</Badge>
  );
}

export function StatusBadge({ status }: { status: ConsultationStatus }) {
  const t = useT();
  if (status === 'waiting') return <Badge tone="warning">{t('consult.statusWaiting')}</Badge>;
  if (status === 'active') return <Badge tone="strong">{t('consult.statusActive')}</Badge>;
  return <Badge tone="neutral">{t('consult.statusClosed')}</Badge>;
}

export function RiskBadge() {
  const t = useT();
  return <Badge tone="danger">{t('consult.risk')}</Badge>;
}

/** Filled green dot = screen open, hollow grey ring = closed (not colour alone); text for screen readers. */
export function PresenceDot({ online }: { online: boolean }) {
  const t = useT();
  return (
    <span
      className="inline-flex shrink-0 items-center"
      title={online ? t('consult.online') : t('consult.offline')}
    >
      <span
        aria-hidden="true"
        className={`inline-block size-3 rounded-full border-2 ${
          online ? 'border-success-2 bg-success-1' : 'border-solid-gray-536 bg-white'
        }`}
      />
      <span className="sr-only">{online ? t('consult.online') : t('consult.offline')}</span>
    </span>
  );
}
