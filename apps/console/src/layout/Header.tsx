import { useAuth, useSession } from '../auth/AuthContext.tsx';
import { Button, LinkButton } from '../components/Button.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useT } from '../i18n/i18n.tsx';

/** Product name, signed-in account, language switch, password change and sign-out. */
export function Header({ showPasswordLink = true }: { showPasswordLink?: boolean }) {
  const t = useT();
  const { logout } = useAuth();
  const { account } = useSession();
  return (
    <header className="border-b border-solid-gray-420 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2 sm:px-6">
        <p className="shrink-0 text-std-20B-150 text-solid-gray-900">
          {t('app.name')}
          <span className="ml-3 text-std-16N-170 text-solid-gray-700">{t('app.consoleName')}</span>
        </p>
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <section
            aria-label={t('header.account')}
            className="mr-2 flex min-w-0 flex-col items-end leading-tight"
          >
            <span className="truncate text-dns-16B-130 text-solid-gray-900" data-testid="account-name">
              {account.displayName}
            </span>
            <span className="truncate text-dns-14N-130 text-solid-gray-700">
              {t('header.role', { role: account.role.name })}
            </span>
          </section>
          <LanguageSwitch />
          {showPasswordLink && (
            <LinkButton to="/settings" variant="tertiary" size="sm">
              {t('header.changePassword')}
            </LinkButton>
          )}
          <Button variant="secondary" size="sm" onClick={() => void logout()}>
            {t('header.logout')}
          </Button>
        </div>
      </div>
    </header>
  );
}
