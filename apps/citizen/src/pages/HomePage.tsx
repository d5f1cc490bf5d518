import { useEffect, useState } from 'react';
import { ApiError, type CitizenService, type CitizenUser, citizenApi } from '../api/client.ts';
import { Avatar } from '../components/Avatar.tsx';
import { Button } from '../components/Button.tsx';
import { ServiceCard } from '../components/ServiceCard.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { isMessageKey, useI18n } from '../i18n/i18n.tsx';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import { applicationsHref, bookingsHref, consultHref, registerHref, surveyHref } from '../router.ts';

const errorKey = (code: string) => {
  const key = `error.${code}`;
  return isMessageKey(key) ? key : 'error.UNKNOWN';
};

type ServicesState =
  | { status: 'loading' }
  | { status: 'error'; code: string }
  | { status: 'ready'; services: CitizenService[] };

/**
 * マイページ ("ホーム"): who is signed in, and exactly the services the city has enabled for this
 * channel (from the server), each a working link: 相談する for each desk that takes LINE
 * consultees, 受信設定 when there is a registration form. Nothing is shown as "coming soon".
 */
export function HomePage({
  user,
  liff,
  channelId,
}: {
  user: CitizenUser;
  liff: Liff | null;
  channelId: string;
}) {
  const { t } = useI18n();
  const [before = '', after = ''] = t('home.welcome').split('{name}');
  const canClose = isInLineClient(liff);
  const [state, setState] = useState<ServicesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setState({ status: 'loading' });
    citizenApi.services(channelId).then(
      ({ services }) => active && setState({ status: 'ready', services }),
      (err: unknown) => {
        console.error('Could not load the services', err);
        if (active) setState({ status: 'error', code: err instanceof ApiError ? err.code : 'UNKNOWN' });
      },
    );
    return () => {
      active = false;
    };
  }, [channelId, attempt]);

  return (
    <div className="flex flex-col gap-8 py-6">
      <section aria-labelledby="welcome-heading" className="flex flex-col gap-3">
        <div className="flex items-center gap-4">
          <Avatar
            src={user.pictureUrl}
            name={user.displayName}
            alt={t('home.pictureAlt', { name: user.displayName })}
          />
          <p className="flex items-center gap-2 text-std-16N-170 text-solid-gray-700">
            <span aria-hidden="true" className="size-2.5 shrink-0 rounded-full bg-green-700" />
            {t('home.signedInWithLine')}
          </p>
        </div>
        {/* Japanese wraps at "、" and spaces only, so the name and "さん" stay whole. */}
        <h1 id="welcome-heading" className="text-std-24B-150 break-keep text-solid-gray-900">
          {before}
          <span data-testid="citizen-user-name">{user.displayName}</span>
          <span className="whitespace-nowrap">{after}</span>
        </h1>
      </section>

      <section aria-labelledby="services-heading" className="flex flex-col gap-3">
        <h2 id="services-heading" className="text-std-20B-160 text-solid-gray-900">
          {t('home.servicesHeading')}
        </h2>
        {state.status === 'loading' && <StatusView message={t('home.servicesLoading')} />}
        {state.status === 'error' && (
          <>
            <p
              role="alert"
              className="rounded-8 border-2 border-error-2 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
            >
              {t(errorKey(state.code))}
            </p>
            <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t('error.retry')}
            </Button>
          </>
        )}
        {state.status === 'ready' &&
          (state.services.length === 0 ? (
            <p className="text-std-16N-170">{t('home.servicesNone')}</p>
          ) : (
            <ul data-testid="services" className="flex flex-col gap-3">
              {state.services.map((s) =>
                s.kind === 'consult' ? (
                  <ServiceCard
                    key={`consult-${s.slug}`}
                    title={t('home.service.consult', { name: s.name })}
                    description={s.description || t('home.service.consult.description')}
                    href={consultHref(s.slug, channelId)}
                  />
                ) : s.kind === 'booking' ? (
                  <ServiceCard
                    key="booking"
                    title={t('home.service.booking')}
                    description={t('home.service.booking.description')}
                    href={bookingsHref(channelId)}
                  />
                ) : s.kind === 'applications' ? (
                  <ServiceCard
                    key="applications"
                    title={t('home.service.applications')}
                    description={t('home.service.applications.description')}
                    href={applicationsHref(channelId)}
                  />
                ) : s.kind === 'survey' ? (
                  <ServiceCard
                    key={`survey-${s.id}`}
                    title={t(
                      s.surveyKind === 'public_comment' ? 'home.service.comment' : 'home.service.survey',
                      {
                        title: s.title,
                      },
                    )}
                    description={t(
                      s.surveyKind === 'public_comment'
                        ? 'home.service.comment.description'
                        : 'home.service.survey.description',
                    )}
                    href={surveyHref(s.id, channelId)}
                  />
                ) : (
                  <ServiceCard
                    key="register"
                    title={t('home.service.register')}
                    description={t('home.service.register.description')}
                    href={registerHref(channelId)}
                  />
                ),
              )}
            </ul>
          ))}
      </section>

      {canClose && liff && (
        <Button variant="secondary" onClick={() => liff.closeWindow()}>
          {t('home.close')}
        </Button>
      )}
    </div>
  );
}
