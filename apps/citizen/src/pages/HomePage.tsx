import type { CitizenUser } from '../api/client.ts';
import { Avatar } from '../components/Avatar.tsx';
import { Button } from '../components/Button.tsx';
import { ServiceCard } from '../components/ServiceCard.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/ja.ts';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';

const SERVICES = ['profile', 'consult', 'booking', 'report'] as const;

/**
 * "ホーム": who is signed in, and the services. "相談する" is a link when the URL names a desk
 * (`?desk=<slug>`, as the LINE account's consultation menu opens it); the others are still coming.
 */
export function HomePage({
  user,
  liff,
  consultHref = null,
  registerHref = null,
}: {
  user: CitizenUser;
  liff: Liff | null;
  consultHref?: string | null;
  /** The registration page (受信設定, G-03), offered as "登録情報の変更". */
  registerHref?: string | null;
}) {
  const { t } = useI18n();
  const [before = '', after = ''] = t('home.welcome').split('{name}');
  const canClose = isInLineClient(liff);

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
        <p className="text-std-16N-170">{t(consultHref ? 'home.consultAvailable' : 'home.servicesLead')}</p>
        <ul className="flex flex-col gap-3">
          {SERVICES.map((id) => {
            const href = id === 'consult' ? consultHref : id === 'profile' ? registerHref : null;
            return (
              <ServiceCard
                key={id}
                title={t(`home.service.${id}` as MessageKey)}
                description={t(`home.service.${id}.description` as MessageKey)}
                {...(href ? { href } : { badge: t('home.comingSoon') })}
              />
            );
          })}
        </ul>
      </section>

      {canClose && liff && (
        <Button variant="secondary" onClick={() => liff.closeWindow()}>
          {t('home.close')}
        </Button>
      )}
    </div>
  );
}
