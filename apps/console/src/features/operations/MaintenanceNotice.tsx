import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { PublicMaintenance } from './api.ts';

/**
 * The maintenance notice of the sign-in page (O-04, C-15): the running maintenance with its
 * message, and the maintenance announced for the next 7 days. Read from the public endpoint.
 */
export function MaintenanceNotice() {
  const { t, locale } = useI18n();
  const [notice, setNotice] = useState<PublicMaintenance | null>(null);
  useEffect(() => {
    api
      .get<PublicMaintenance>('/api/public/maintenance', { skipSessionHandler: true })
      .then(setNotice)
      .catch(() => setNotice(null));
  }, []);
  if (!notice) return null;
  const { active, upcoming } = notice;
  const message = (w: { messageJa: string; messageEn: string | null }) =>
    locale === 'en' && w.messageEn ? w.messageEn : w.messageJa;
  return (
    <>
      {active && (
        <Alert tone="warning" title={t('maintenance.noticeTitle')}>
          <p>{message(active)}</p>
          <p className="mt-1">{active.notice[locale]}</p>
          <p className="mt-1">{t('maintenance.loginBlocked')}</p>
        </Alert>
      )}
      {upcoming.length > 0 && (
        <Alert tone="info" title={t('maintenance.noticeUpcoming')}>
          <ul className="flex flex-col gap-1">
            {upcoming.map((w) => (
              <li key={w.startsAt}>{w.notice[locale]}</li>
            ))}
          </ul>
        </Alert>
      )}
    </>
  );
}
