import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { errorText } from '../../api/error-text.ts';
import { bookingsApi, type MyBooking } from '../../bookings/api.ts';
import { slotText } from '../../bookings/days.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../Button.tsx';

// 予約の確認・取消 (V-03): the citizen's bookings with their status; 取消 (with a confirm step) while
// the cancellation cutoff has not passed; the list is read again after a cancellation.

const smallButton =
  'inline-flex min-h-11 min-w-11 items-center justify-center rounded-8 border-2 px-4 py-1 text-oln-16B-100 underline-offset-[3px] hover:underline';

export function MyBookingList({ headingId }: { headingId: string }) {
  const { t, locale } = useI18n();
  const [bookings, setBookings] = useState<MyBooking[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState('');
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const active = useRef(true);

  const load = useCallback(() => {
    setLoadError(null);
    bookingsApi.mine().then(
      (list) => active.current && setBookings(list),
      (err: unknown) => {
        console.error('Could not load the bookings', err);
        if (active.current) setLoadError(err);
      },
    );
  }, []);
  useEffect(() => {
    active.current = true;
    load();
    return () => {
      active.current = false;
    };
  }, [load]);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const cancel = async (booking: MyBooking) => {
    if (busy) return;
    setBusy(true);
    setFailure('');
    try {
      await bookingsApi.cancel(booking.id);
      setNotice(t('booking.cancelled'));
      setConfirming(null);
      load();
    } catch (err) {
      console.error('Could not cancel the booking', err);
      setFailure(err instanceof ApiError && err.code === 'NETWORK' ? t('error.NETWORK') : errorText(t, err));
      setConfirming(null);
      load();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <p role="status" aria-live="polite" className="text-std-17B-170 text-success-2 empty:hidden">
        {notice}
      </p>
      {failure && (
        <div
          role="alert"
          className="rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
        >
          {failure}
        </div>
      )}
      {loadError ? (
        <div className="flex flex-col gap-3">
          <p role="alert" className="text-std-17N-170 text-error-1">
            {errorText(t, loadError)}
          </p>
          <Button variant="secondary" onClick={load}>
            {t('error.retry')}
          </Button>
        </div>
      ) : bookings === null ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t('booking.mineLoading')}</p>
      ) : bookings.length === 0 ? (
        <p className="text-std-17N-170">{t('booking.mineNone')}</p>
      ) : (
        <ul aria-labelledby={headingId} className="flex flex-col gap-3">
          {bookings.map((b) => {
            const whatId = `my-booking-${b.id}`;
            return (
              <li
                key={b.id}
                data-testid="my-booking"
                className="flex flex-col gap-2 rounded-12 border border-solid-gray-420 bg-white p-4"
              >
                <div id={whatId} className="flex flex-col gap-1">
                  <h3 className="text-std-18B-160 text-solid-gray-900">{b.calendar.name}</h3>
                  <p className="text-std-17N-170">{slotText(b, locale)}</p>
                </div>
                <p className="text-std-16N-170 text-solid-gray-800">
                  {t('booking.seatsAndStatus', {
                    seats: t('booking.seatsCount', { n: b.seats }),
                    status: t('booking.statusLabel', { status: t(`booking.status.${b.status}`) }),
                  })}
                </p>
                {b.status === 'booked' && !b.cancellable && (
                  <p className="text-std-16N-170 text-solid-gray-700">{t('booking.cancelNotAllowed')}</p>
                )}
                {b.cancellable &&
                  (confirming === b.id ? (
                    <div className="flex flex-col gap-3 rounded-8 bg-solid-gray-50 p-3">
                      <p ref={confirmRef} tabIndex={-1} className="text-std-17B-170 outline-offset-4">
                        {t('booking.cancelConfirm')}
                      </p>
                      <div className="flex flex-wrap gap-3">
                        <button
                          type="button"
                          disabled={busy}
                          aria-describedby={whatId}
                          onClick={() => void cancel(b)}
                          className={`${smallButton} border-error-1 bg-error-1 text-white`}
                        >
                          {busy ? t('booking.cancelling') : t('booking.cancelYes')}
                        </button>
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => setConfirming(null)}
                          className={`${smallButton} border-blue-900 bg-white text-blue-900`}
                        >
                          {t('booking.cancelNo')}
                        </button>
                      </div>
                    </div>
                  ) : (
                    <div>
                      <button
                        type="button"
                        aria-describedby={whatId}
                        onClick={() => {
                          setNotice('');
                          setFailure('');
                          setConfirming(b.id);
                        }}
                        className={`${smallButton} border-blue-900 bg-white text-blue-900`}
                      >
                        {t('booking.cancel')}
                      </button>
                    </div>
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
