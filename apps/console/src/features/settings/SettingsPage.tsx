import { useAuth, useSession } from '../../auth/AuthContext.tsx';
import { PasswordChangeForm } from '../../auth/PasswordChangeForm.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { TotpSection } from './TotpSection.tsx';

export function SettingsPage() {
  const t = useT();
  const { refresh } = useAuth();
  const { account } = useSession();
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.lead')} />
      <div className="flex flex-col gap-6">
        <Section title={t('settings.profile')}>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-8 gap-y-2 text-std-16N-170">
            <dt className="font-bold">{t('accounts.loginId')}</dt>
            <dd className="font-mono">{account.loginId}</dd>
            <dt className="font-bold">{t('accounts.displayName')}</dt>
            <dd>{account.displayName}</dd>
            <dt className="font-bold">{t('accounts.role')}</dt>
            <dd>{account.role.name}</dd>
          </dl>
        </Section>
        <Section title={t('password.title')}>
          <PasswordChangeForm onChanged={refresh} />
        </Section>
        <TotpSection />
      </div>
    </>
  );
}
