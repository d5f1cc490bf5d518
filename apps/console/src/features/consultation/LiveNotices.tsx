import { useEffect, useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link, usePath } from '../../lib/router.tsx';
import { clearUnseen, dismissRisk, startLive, useConsultationList, useLiveMeta } from './live.ts';

/** How long a dropped connection may stay dropped before the warning is shown (no flicker on restarts). */
const CONNECTION_WARNING_DELAY_MS = 4000;

/**
 * Mounted on every page for accounts that handle or monitor consultations: opens the tab's single
 * WebSocket and shows risk alerts (role="alert"), new arrivals (aria-live="polite") and a warning
 * while the live connection is down.
 */
export function LiveNotices() {
  const t = useT();
  const can = useCan();
  const meta = useLiveMeta();
  const path = usePath();
  const [showDisconnected, setShowDisconnected] = useState(false);
  const chatBase = can('consultation.handle') ? '/consultations' : '/monitor';

  useEffect(() => startLive(), []);

  const down = meta.connection === 'reconnecting';
  useEffect(() => {
    if (!down) {
      setShowDisconnected(false);
      return;
    }
    const timer = window.setTimeout(() => setShowDisconnected(true), CONNECTION_WARNING_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [down]);

  const unseen = meta.unseen.size;
  // On 相談対応 the queue itself shows the new arrivals: the banner is only announced there.
  const bannerVisible = unseen > 0 && path !== '/consultations' && !path.startsWith('/consultations/');

  return (
    <div className="flex flex-col gap-2 [&:has(>*:not(.sr-only))]:mb-4">
      {meta.risks.map((risk) => (
        <Alert key={risk.key} tone="error" className="py-1.5 shadow-2">
          <div className="flex flex-wrap items-center gap-x-4">
            <p className="text-std-16B-170 text-red-1000">{t('consult.riskAlert', { word: risk.word })}</p>
            <Link
              to={`${chatBase}/${encodeURIComponent(risk.consultationId)}`}
              className="text-std-16B-170 text-blue-900 underline hover:decoration-2"
              onClick={() => dismissRisk(risk.key)}
            >
              {risk.label ? t('consult.riskOpen', { label: risk.label }) : t('consult.riskOpenUnknown')}
            </Link>
            <Button variant="tertiary" size="sm" onClick={() => dismissRisk(risk.key)}>
              {t('consult.riskDismiss')}
            </Button>
          </div>
        </Alert>
      ))}
      {showDisconnected && <Alert tone="warning">{t('consult.connectionLost')}</Alert>}
      <div
        className={
          bannerVisible
            ? 'flex flex-wrap items-center gap-x-4 gap-y-1 rounded-8 border-2 border-blue-900 bg-blue-50 px-4 py-1.5'
            : 'sr-only'
        }
      >
        {/* Always in the DOM, so screen readers announce the text when it is inserted. */}
        <p
          aria-live="polite"
          data-testid="new-consultation-notice"
          className="text-std-16B-170 text-blue-1000"
        >
          {unseen > 0 && <span key={meta.announceSeq}>{t('consult.newArrival')}</span>}
        </p>
        {bannerVisible && (
          <>
            <Badge tone="strong">{t('consult.newCount', { count: unseen })}</Badge>
            {can('consultation.handle') && (
              <LinkButton to="/consultations" size="sm" variant="secondary">
                {t('consult.showWaiting')}
              </LinkButton>
            )}
            <Button variant="tertiary" size="sm" onClick={clearUnseen}>
              {t('common.close')}
            </Button>
          </>
        )}
      </div>
    </div>
  );
}

/** Number of waiting consultations next to the 相談対応 menu item. */
export function WaitingCount() {
  const t = useT();
  const { items } = useConsultationList();
  const count = items.reduce((n, c) => (c.status === 'waiting' ? n + 1 : n), 0);
  if (count === 0) return null;
  return (
    <span className="ml-auto">
      <span
        aria-hidden="true"
        className="inline-flex min-w-7 items-center justify-center rounded-full bg-error-2 px-2 text-dns-14B-130 text-white"
      >
        {count}
      </span>
      <span className="sr-only">{t('nav.waitingCount', { count })}</span>
    </span>
  );
}
