import { useEffect, useState } from 'react';
import { errorText } from '../api/error-text.ts';
import { bookingsApi, type PublicCalendar } from '../bookings/api.ts';
import { calendarsByCategory } from '../bookings/days.ts';
import { MyBookingList } from '../components/bookings/MyBookingList.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { bookingsHref, homeHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';

const linkClass =
  'inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2';

/**
 * `/citizen/bookings`: the channel's open booking calendars by category (V-01), each linking to its
 * page, and 予約の確認・取消 (V-03), the citizen's bookings.
 */
export function BookingsPage({ channelId }: { channelId: string | null }) {
  const { t } = useI18n();
  const [calendars, setCalendars] = useState<PublicCalendar[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useDocumentTitle(t('booking.listTitle'));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    bookingsApi.calendars().then(
      (list) => active && setCalendars(list),
      (err: unknown) => {
        console.error('Could not load the booking calendars', err);
        if (active) setLoadError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  if (loadError) {
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  }
  if (!calendars) return <StatusView message={t('status.loading')} />;

  return (
    <>
      <p className="pt-4">
        <Link href={homeHref(channelId)} className={linkClass}>
          {t('booking.back')}
        </Link>
      </p>
      <div className="flex flex-col gap-8 pt-2 pb-6">
        <div className="flex flex-col gap-3">
          <h1 className="text-std-24B-150 text-solid-gray-900">{t('booking.listTitle')}</h1>
          <p className="text-std-17N-170">
            {calendars.length > 0 ? t('booking.listLead') : t('booking.calendarsNone')}
          </p>
        </div>
        {calendarsByCategory(calendars).map((group, n) => (
          <section
            key={group.category}
            aria-labelledby={`booking-category-${n}`}
            className="flex flex-col gap-3"
          >
            <h2 id={`booking-category-${n}`} className="text-std-20B-160 text-solid-gray-900">
              {group.category}
            </h2>
            <ul className="flex flex-col gap-3">
              {group.calendars.map((c) => (
                <li key={c.id}>
                  <Link
                    href={bookingsHref(channelId, c.id)}
                    className="flex min-h-12 flex-col gap-1 rounded-12 border-2 border-blue-900 bg-white p-4 text-blue-1000 hover:bg-blue-50"
                  >
                    <span className="text-std-18B-160 underline underline-offset-[3px]">{c.name}</span>
                    {c.description && (
                      <span className="line-clamp-3 whitespace-pre-line text-std-16N-170 text-solid-gray-800">
                        {c.description}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <section aria-labelledby="my-bookings" className="flex flex-col gap-3">
          <h2 id="my-bookings" className="text-std-20B-160 text-solid-gray-900">
            {t('booking.mineHeading')}
          </h2>
          <MyBookingList headingId="my-bookings" />
        </section>
      </div>
    </>
  );
}
