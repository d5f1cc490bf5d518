import { type ReactNode, useEffect } from 'react';
import { useCitizenSession } from './auth/use-citizen-session.ts';
import { ErrorView } from './components/ErrorView.tsx';
import { Header } from './components/Header.tsx';
import { StatusView } from './components/StatusView.tsx';
import { isMessageKey, useI18n } from './i18n/i18n.tsx';
import { MaintenanceBanner } from './maintenance/MaintenanceBanner.tsx';
import { ApplicationPage } from './pages/ApplicationPage.tsx';
import { ApplicationsPage } from './pages/ApplicationsPage.tsx';
import { BookingPage } from './pages/BookingPage.tsx';
import { BookingsPage } from './pages/BookingsPage.tsx';
import { ChatPage } from './pages/ChatPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RegistrationPage } from './pages/RegistrationPage.tsx';
import { ReportPage } from './pages/ReportPage.tsx';
import { ShelterSearchPage } from './pages/ShelterSearchPage.tsx';
import { SurveyPage } from './pages/SurveyPage.tsx';
import { forwardHref, isLandingPage, navigate, useRoute } from './router.ts';
import { useDocumentTitle } from './site.ts';

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  // The home page always needs the LINE sign-in; the chat only for LINE consultees (`?ch=`).
  const needsSession =
    route.name === 'home' ||
    route.name === 'register' ||
    route.name === 'survey' ||
    route.name === 'bookings' ||
    route.name === 'booking' ||
    route.name === 'report' ||
    route.name === 'applications' ||
    route.name === 'application' ||
    (route.name === 'consult' && route.channelId !== null);
  const { state, retry } = useCitizenSession(needsSession);

  // A LINE consultee arrives at the LIFF endpoint with `desk=`: after sign-in, on to the chat.
  // The follow greeting's registration button arrives with `page=register`: on to the registration;
  // a survey's link with `page=survey&id=`: on to the survey; a booking calendar's with
  // `page=booking&id=`: on to the calendar (without id: the calendars and 予約の確認・取消).
  const forwardTo = state.status === 'signed-in' && isLandingPage() ? forwardHref(route) : null;
  const forwardToDesk = forwardTo !== null;
  useEffect(() => {
    if (forwardTo) navigate(forwardTo, { replace: true });
  }, [forwardTo]);

  const homeTitle = state.status === 'error' ? t('error.title') : t('app.homeTitle');
  useDocumentTitle(route.name === 'home' ? homeTitle : null);

  let content: ReactNode;
  if (route.name === 'not-found') {
    content = <NotFoundPage />;
  } else if (route.name === 'shelters') {
    content = <ShelterSearchPage />;
  } else if (needsSession && state.status !== 'signed-in') {
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
    }
  } else if (route.name === 'consult') {
    content = (
      <ChatPage
        key={route.slug}
        slug={route.slug}
        channelId={route.channelId}
        liff={state.status === 'signed-in' ? state.liff : null}
      />
    );
  } else if (route.name === 'register' && state.status === 'signed-in') {
    content = <RegistrationPage channelId={route.channelId} liff={state.liff} />;
  } else if (route.name === 'survey' && state.status === 'signed-in') {
    content = (
      <SurveyPage
        key={route.surveyId}
        surveyId={route.surveyId}
        channelId={route.channelId}
        liff={state.liff}
      />
    );
  } else if (route.name === 'bookings' && state.status === 'signed-in') {
    content = <BookingsPage channelId={route.channelId} />;
  } else if (route.name === 'booking' && state.status === 'signed-in') {
    content = (
      <BookingPage
        key={route.calendarId}
        calendarId={route.calendarId}
        channelId={route.channelId}
        liff={state.liff}
      />
    );
  } else if (route.name === 'report' && state.status === 'signed-in') {
    content = <ReportPage channelId={route.channelId} liff={state.liff} />;
  } else if (route.name === 'applications' && state.status === 'signed-in') {
    content = <ApplicationsPage channelId={route.channelId} procedureId={route.procedureId} />;
  } else if (route.name === 'application' && state.status === 'signed-in') {
    content = (
      <ApplicationPage
        key={route.applicationId}
        applicationId={route.applicationId}
        channelId={route.channelId}
        liff={state.liff}
      />
    );
  } else if (state.status === 'signed-in') {
    content = forwardToDesk ? (
      <StatusView message={t('status.loading')} />
    ) : (
      <HomePage
        user={state.session.user}
        liff={state.liff}
        channelId={route.channelId ?? state.session.channelId}
      />
    );
  }

  const wide = route.name === 'consult';
  return (
    <div className="flex min-h-dvh flex-col">
      <Header wide={wide} />
      <MaintenanceBanner />
      <main
        className={`mx-auto flex w-full flex-1 flex-col px-4 ${
          wide ? 'max-w-180' : 'max-w-2xl pb-[max(1.5rem,env(safe-area-inset-bottom))]'
        }`}
      >
        {content}
      </main>
    </div>
  );
}
