import { type ReactNode, useEffect } from 'react';
import { useCitizenSession } from './auth/use-citizen-session.ts';
import { ErrorView } from './components/ErrorView.tsx';
import { Header } from './components/Header.tsx';
import { StatusView } from './components/StatusView.tsx';
import { isMessageKey, useI18n } from './i18n/i18n.tsx';
import { HomePage } from './pages/HomePage.tsx';

export function App() {
  const { t } = useI18n();
  const { state, retry } = useCitizenSession();

  const pageTitle = state.status === 'error' ? t('error.title') : t('app.homeTitle');
  useEffect(() => {
    document.title = `${pageTitle} | ${t('app.cityName')}`;
  }, [pageTitle, t]);

  let content: ReactNode;
  switch (state.status) {
    case 'loading':
    case 'redirecting':
      content = (
        <StatusView message={t(state.status === 'loading' ? 'status.loading' : 'status.redirecting')} />
      );
      break;
    case 'error': {
      const key = `error.${state.code}`;
      content = (
        <ErrorView
          heading={t('error.title')}
          message={t(isMessageKey(key) ? key : 'error.UNKNOWN')}
          onRetry={retry}
        />
      );
      break;
    }
    case 'signed-in':
      content = <HomePage user={state.session.user} liff={state.liff} />;
      break;
  }

  return (
    <div className="flex min-h-dvh flex-col">
      <Header />
      <main className="mx-auto w-full max-w-2xl flex-1 px-4 pb-[max(1.5rem,env(safe-area-inset-bottom))]">
        {content}
      </main>
    </div>
  );
}
