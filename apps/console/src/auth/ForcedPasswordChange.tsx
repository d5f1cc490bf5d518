import { useEffect } from 'react';
import { Alert } from '../components/Alert.tsx';
import { useT } from '../i18n/i18n.tsx';
import { Header } from '../layout/Header.tsx';
import { useAuth } from './AuthContext.tsx';
import { PasswordChangeForm } from './PasswordChangeForm.tsx';

/** Shown instead of the console while the account has mustChangePassword. */
export function ForcedPasswordChange() {
  const t = useT();
  const { refresh } = useAuth();

  useEffect(() => {
    document.title = `${t('password.mustChangeTitle')} | ${t('app.name')} ${t('app.consoleName')}`;
  }, [t]);

  return (
    <div className="min-h-screen bg-white">
      <Header showPasswordLink={false} />
      <main id="main" className="mx-auto max-w-3xl px-8 py-8">
        <h1 className="text-std-28B-150 text-solid-gray-900">{t('password.mustChangeTitle')}</h1>
        <Alert tone="warning" className="mt-4 mb-6">
          {t('password.mustChangeLead')}
        </Alert>
        <PasswordChangeForm onChanged={refresh} />
      </main>
    </div>
  );
}
