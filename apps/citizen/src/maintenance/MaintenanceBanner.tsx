import { useEffect, useState } from 'react';
import { request } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

// The maintenance notice on every citizen page (O-04, C-15): the maintenance running now with the
// city's message, and the maintenance announced for the next 7 days
// (「12月20日 22時から23時まで、メンテナンスのため停止します」).

type PublicWindow = {
  startsAt: string;
  messageJa: string;
  messageEn: string | null;
  notice: { ja: string; en: string };
};
type PublicMaintenance = { active: PublicWindow | null; upcoming: PublicWindow[] };

export function MaintenanceBanner() {
  const { t, locale } = useI18n();
  const [notice, setNotice] = useState<PublicMaintenance | null>(null);
  useEffect(() => {
    request<PublicMaintenance>('GET', '/api/public/maintenance').then(setNotice, () => setNotice(null));
  }, []);
  if (!notice || (!notice.active && notice.upcoming.length === 0)) return null;
  const { active, upcoming } = notice;
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-3 px-4 pt-4">
      {active && (
        <section
          role="alert"
          aria-labelledby="maintenance-active"
          className="rounded-8 border-2 border-warning-orange-2 bg-orange-50 p-4 text-std-16N-170 text-solid-gray-900"
        >
          <h2 id="maintenance-active" className="text-std-18B-160">
            {t('maintenance.activeTitle')}
          </h2>
          <p className="mt-1">{locale === 'en' && active.messageEn ? active.messageEn : active.messageJa}</p>
          <p className="mt-1">{active.notice[locale]}</p>
          <p className="mt-1">{t('maintenance.activeLead')}</p>
        </section>
      )}
      {upcoming.length > 0 && (
        <section
          aria-labelledby="maintenance-upcoming"
          className="rounded-8 border border-blue-900 bg-blue-50 p-4 text-std-16N-170 text-solid-gray-900"
        >
          <h2 id="maintenance-upcoming" className="text-std-18B-160">
            {t('maintenance.upcomingTitle')}
          </h2>
          <ul className="mt-1 flex flex-col gap-1">
            {upcoming.map((w) => (
              <li key={w.startsAt}>{w.notice[locale]}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
