import { useEffect } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { href } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { type DisasterModeView, disasterStatusPath } from './api.ts';
import { sinceText } from './sinceText.ts';

const POLL_MS = 15_000;

/** The dashboard's 「災害モード中（◯時◯分から）」: read on load and every 15 s; nothing in normal times. */
export function DisasterBanner({ channelId }: { channelId: string | null }) {
  const t = useT();
  const can = useCan();
  const state = useApi<DisasterModeView>(channelId ? disasterStatusPath(channelId) : null);
  const { reload } = state;

  useEffect(() => {
    if (!channelId) return;
    const timer = window.setInterval(() => {
      if (!document.hidden) void reload(true);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [channelId, reload]);

  const mode = state.data;
  if (!mode?.active) return null;
  return (
    <div data-testid="disaster-banner">
      <Alert tone="warning" title={t('disaster.banner', { time: sinceText(t, mode.since) })}>
        <p>{t('disaster.bannerGroup', { name: mode.groupName })}</p>
        {can('richmenus.manage') && (
          <p>
            <a
              href={href('/disaster')}
              className="inline-flex min-h-11 items-center text-std-16B-170 text-blue-900 underline hover:decoration-2"
            >
              {t('disaster.bannerLink')}
            </a>
          </p>
        )}
      </Alert>
    </div>
  );
}
