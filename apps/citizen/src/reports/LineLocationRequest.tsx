import type { ReportLineLocation, ReportLinePoint } from '@madoguchi/contracts/reports.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/error-text.ts';
import { Button } from '../components/Button.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { tokyoTimeText } from '../i18n/tokyo-time.ts';
import { reportsApi } from './api.ts';

// 「LINEのトークで位置を送る」 on the report page: asks the server to send the friend a message
// with a location quick reply in the LINE talk, then checks every few seconds while the page is
// shown (and whenever it comes back into view, or on the check button) until the place arrived,
// which it hands to the page's place fields (still editable). A place received shortly before (the
// friend came back through the link in the talk) is read when the page opens.

const POLL_MS = 3000;

export function LineLocationRequest({
  describedBy,
  onPoint,
}: {
  /** The id of the place's help text. */
  describedBy?: string;
  /** The place arrived; `earlier`: it was there when the page opened. */
  onPoint: (point: ReportLinePoint, earlier: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const [state, setState] = useState<ReportLineLocation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handed = useRef(false);
  const onPointRef = useRef(onPoint);
  onPointRef.current = onPoint;

  const take = useCallback((next: ReportLineLocation, earlier: boolean) => {
    setState(next);
    if (next.status === 'received' && next.point && !handed.current) {
      handed.current = true;
      onPointRef.current(next.point, earlier);
    }
  }, []);

  const check = useCallback(
    async (earlier = false) => {
      try {
        take(await reportsApi.lineLocation(), earlier);
        setError(null);
      } catch (err) {
        console.error('Could not read the place sent in LINE', err);
        setError(errorText(t, err));
      }
    },
    [take, t],
  );

  // Once when the page opens: a place sent shortly before, or a request still waiting.
  useEffect(() => {
    void check(true);
  }, [check]);

  // While waiting: every few seconds when the page is shown, and at once when it is shown again.
  const pending = state?.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void check();
    }, POLL_MS);
    const onShow = () => {
      if (document.visibilityState === 'visible') void check();
    };
    document.addEventListener('visibilitychange', onShow);
    window.addEventListener('focus', onShow);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('focus', onShow);
    };
  }, [pending, check]);

  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      handed.current = false;
      take(await reportsApi.askLineLocation(), false);
    } catch (err) {
      console.error('Could not ask for the place in LINE', err);
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const point = state?.status === 'received' ? state.point : null;
  return (
    <div className="flex flex-col gap-2" data-testid="report-line-location">
      <Button variant="secondary" onClick={ask} disabled={busy} aria-describedby={describedBy}>
        {t('report.lineLocation')}
      </Button>
      <div role="status" className="flex flex-col gap-2">
        {pending && state.expiresAt && (
          <p className="rounded-8 border-2 border-blue-900 bg-blue-50 p-3 text-std-16N-170 text-solid-gray-900">
            {t('report.lineLocationWaiting', { time: tokyoTimeText(state.expiresAt, locale) })}
          </p>
        )}
        {state?.status === 'expired' && (
          <p className="text-std-16N-170 text-solid-gray-700">{t('report.lineLocationExpired')}</p>
        )}
        {point && (
          <p className="rounded-8 border-2 border-success-1 bg-green-50 p-3 text-std-16N-170 text-solid-gray-900">
            {point.address
              ? t('report.lineLocationReceivedAddress', {
                  address: point.address,
                  lat: point.lat,
                  lng: point.lng,
                })
              : t('report.lineLocationReceived', { lat: point.lat, lng: point.lng })}
          </p>
        )}
        {error && <p className="text-std-16B-170 text-error-1">＊{error}</p>}
      </div>
      {pending && (
        <Button variant="secondary" onClick={() => void check()}>
          {t('report.lineLocationCheck')}
        </Button>
      )}
    </div>
  );
}
