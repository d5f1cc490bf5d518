import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import type { PermissionKey } from './api/types.ts';
import { useAuth, useCan } from './auth/AuthContext.tsx';
import { ForcedPasswordChange } from './auth/ForcedPasswordChange.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { Alert } from './components/Alert.tsx';
import { Loading } from './components/LoadState.tsx';
import { AccountFormPage } from './features/accounts/AccountFormPage.tsx';
import { AccountsPage } from './features/accounts/AccountsPage.tsx';
import { DeliveryAnalyticsPage } from './features/analytics/DeliveryAnalyticsPage.tsx';
import { DeliveryReportPage } from './features/analytics/DeliveryReportPage.tsx';
import { FriendsAnalyticsPage } from './features/analytics/FriendsAnalyticsPage.tsx';
import { AuditPage } from './features/audit/AuditPage.tsx';
import { ChannelFormPage } from './features/channels/ChannelFormPage.tsx';
import { ChannelsPage } from './features/channels/ChannelsPage.tsx';
import { HandoversPage } from './features/chatbot/HandoversPage.tsx';
import { ScenariosPage } from './features/chatbot/ScenariosPage.tsx';
import { UnansweredPage } from './features/chatbot/UnansweredPage.tsx';
import { ConsultationsPage } from './features/consultation/ConsultationsPage.tsx';
import { LiveNotices } from './features/consultation/LiveNotices.tsx';
import { MonitorChatPage, MonitorPage } from './features/consultation/MonitorPage.tsx';
import { ConsultationStatsPage } from './features/consultation-stats/ConsultationStatsPage.tsx';
import { DashboardPage } from './features/dashboard/DashboardPage.tsx';
import { DeliveriesPage } from './features/deliveries/DeliveriesPage.tsx';
import { DeliveryComposerPage } from './features/deliveries/DeliveryComposerPage.tsx';
import { DeskFormPage } from './features/desks/DeskFormPage.tsx';
import { DesksPage } from './features/desks/DesksPage.tsx';
import { DisasterPage } from './features/disaster/DisasterPage.tsx';
import { FaqPage } from './features/faq/FaqPage.tsx';
import { RegistrationFormPage } from './features/forms/RegistrationFormPage.tsx';
import { FriendsPage } from './features/friends/FriendsPage.tsx';
import { IncidentsPage } from './features/incidents/IncidentsPage.tsx';
import { IpAllowlistsPage } from './features/ip-allowlists/IpAllowlistsPage.tsx';
import { ManualChapterPage, ManualIndexPage } from './features/manual/ManualPage.tsx';
import { ChangesPage } from './features/operations/ChangesPage.tsx';
import { MaintenancePage } from './features/operations/MaintenancePage.tsx';
import { RichMenuEditorPage } from './features/richmenus/RichMenuEditorPage.tsx';
import { RichMenuPage } from './features/richmenus/RichMenuPage.tsx';
import { RichMenusPage } from './features/richmenus/RichMenusPage.tsx';
import { RoleFormPage } from './features/roles/RoleFormPage.tsx';
import { RolesPage } from './features/roles/RolesPage.tsx';
import { SegmentFormPage } from './features/segments/SegmentFormPage.tsx';
import { SegmentsPage } from './features/segments/SegmentsPage.tsx';
import { SettingsPage } from './features/settings/SettingsPage.tsx';
import { ShelterImportPage } from './features/shelters/ShelterImportPage.tsx';
import { SheltersPage } from './features/shelters/SheltersPage.tsx';
import { useT } from './i18n/i18n.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { NAV_ITEMS } from './layout/navItems.ts';
import { matchPath, navigate, usePath } from './lib/router.tsx';

// The scenario editor carries React Flow: loaded only when opened (a same-origin chunk, CSP-safe).
const ScenarioEditorPage = lazy(() =>
  import('./features/chatbot/ScenarioEditorPage.tsx').then((m) => ({ default: m.ScenarioEditorPage })),
);
// The survey pages (Q-01 … Q-05) are loaded when opened too, to keep the main bundle small.
const SurveysPage = lazy(() =>
  import('./features/surveys/SurveysPage.tsx').then((m) => ({ default: m.SurveysPage })),
);
const SurveyEditorPage = lazy(() =>
  import('./features/surveys/SurveyEditorPage.tsx').then((m) => ({ default: m.SurveyEditorPage })),
);
const SurveyResultsPage = lazy(() =>
  import('./features/surveys/SurveyResultsPage.tsx').then((m) => ({ default: m.SurveyResultsPage })),
);
// The reservation pages (V-01 … V-06) likewise.
const CalendarsPage = lazy(() =>
  import('./features/reservations/CalendarsPage.tsx').then((m) => ({ default: m.CalendarsPage })),
);
const CalendarEditorPage = lazy(() =>
  import('./features/reservations/CalendarEditorPage.tsx').then((m) => ({ default: m.CalendarEditorPage })),
);
const SlotsPage = lazy(() =>
  import('./features/reservations/SlotsPage.tsx').then((m) => ({ default: m.SlotsPage })),
);
const BookingsPage = lazy(() =>
  import('./features/reservations/BookingsPage.tsx').then((m) => ({ default: m.BookingsPage })),
);

// スマホ市役所: the applications queue and the procedures, loaded when opened.
const ApplicationsPage = lazy(() =>
  import('./features/applications/ApplicationsPage.tsx').then((m) => ({ default: m.ApplicationsPage })),
);
const ApplicationDetailPage = lazy(() =>
  import('./features/applications/ApplicationDetailPage.tsx').then((m) => ({
    default: m.ApplicationDetailPage,
  })),
);
const ProceduresPage = lazy(() =>
  import('./features/procedures/ProceduresPage.tsx').then((m) => ({ default: m.ProceduresPage })),
);
const ProcedureEditorPage = lazy(() =>
  import('./features/procedures/ProcedureEditorPage.tsx').then((m) => ({ default: m.ProcedureEditorPage })),
);
// The fault report pages (R-01 … R-03), loaded when opened.
const ReportsPage = lazy(() =>
  import('./features/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })),
);
const PaymentsPage = lazy(() =>
  import('./features/payments/PaymentsPage.tsx').then((m) => ({ default: m.PaymentsPage })),
);
const PaymentDetailPage = lazy(() =>
  import('./features/payments/PaymentDetailPage.tsx').then((m) => ({ default: m.PaymentDetailPage })),
);
const ReportDetailPage = lazy(() =>
  import('./features/reports/ReportDetailPage.tsx').then((m) => ({ default: m.ReportDetailPage })),
);
const MailBridgePage = lazy(() =>
  import('./features/mail-bridge/MailBridgePage.tsx').then((m) => ({ default: m.MailBridgePage })),
);
const ReportCategoriesPage = lazy(() =>
  import('./features/reports/ReportCategoriesPage.tsx').then((m) => ({ default: m.ReportCategoriesPage })),
);

// Webhook forwarding (W-01), loaded when opened.
const ForwardingPage = lazy(() =>
  import('./features/forwarding/ForwardingPage.tsx').then((m) => ({ default: m.ForwardingPage })),
);

const lazyPage = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

type Route = {
  pattern: string;
  /** A list: any one of them. */
  permission: PermissionKey | readonly PermissionKey[] | null;
  render: (params: Record<string, string>) => ReactNode;
  /** Routes with the same key keep the page mounted (the queue stays put while switching chats). */
  key?: string;
};

/** Calendars and slots are read with either reservation permission. */
const RESERVATIONS = ['reservations.manage', 'reservations.handle'] as const;

const ROUTES: Route[] = [
  { pattern: '/dashboard', permission: 'dashboard.view', render: () => <DashboardPage /> },
  {
    pattern: '/consultations',
    permission: 'consultation.handle',
    render: () => <ConsultationsPage />,
    key: 'consultations',
  },
  {
    pattern: '/consultations/:id',
    permission: 'consultation.handle',
    render: (p) => <ConsultationsPage id={p.id} />,
    key: 'consultations',
  },
  { pattern: '/monitor', permission: 'consultation.monitor', render: () => <MonitorPage /> },
  {
    pattern: '/monitor/:id',
    permission: 'consultation.monitor',
    render: (p) => <MonitorChatPage id={p.id ?? ''} />,
  },
  {
    pattern: '/consultation-stats',
    permission: 'consultation.export',
    render: () => <ConsultationStatsPage />,
  },
  { pattern: '/desks', permission: 'consultation.manage', render: () => <DesksPage /> },
  { pattern: '/desks/new', permission: 'consultation.manage', render: () => <DeskFormPage /> },
  {
    pattern: '/desks/:id/edit',
    permission: 'consultation.manage',
    render: (p) => <DeskFormPage id={p.id} />,
  },
  { pattern: '/friends', permission: 'friends.view', render: () => <FriendsPage /> },
  { pattern: '/registration-form', permission: 'forms.manage', render: () => <RegistrationFormPage /> },
  {
    pattern: '/surveys',
    permission: ['surveys.manage', 'surveys.results'],
    render: () => lazyPage(<SurveysPage />),
  },
  {
    pattern: '/surveys/:id',
    permission: 'surveys.manage',
    render: (p) => lazyPage(<SurveyEditorPage id={p.id ?? ''} />),
  },
  {
    pattern: '/surveys/:id/results',
    permission: 'surveys.results',
    render: (p) => lazyPage(<SurveyResultsPage id={p.id ?? ''} />),
  },
  {
    pattern: '/reservations',
    permission: RESERVATIONS,
    render: () => lazyPage(<CalendarsPage />),
  },
  {
    pattern: '/reservations/:id',
    permission: 'reservations.manage',
    render: (p) => lazyPage(<CalendarEditorPage id={p.id ?? ''} />),
  },
  {
    pattern: '/reservations/:id/slots',
    permission: RESERVATIONS,
    render: (p) => lazyPage(<SlotsPage id={p.id ?? ''} />),
  },
  {
    pattern: '/reservations/:id/bookings',
    permission: 'reservations.handle',
    render: (p) => lazyPage(<BookingsPage id={p.id ?? ''} />),
  },
  { pattern: '/reports', permission: 'reports.handle', render: () => lazyPage(<ReportsPage />) },
  {
    pattern: '/applications',
    permission: 'applications.read',
    render: () => lazyPage(<ApplicationsPage />),
  },
  {
    pattern: '/applications/:id',
    permission: 'applications.read',
    render: (p) => lazyPage(<ApplicationDetailPage key={p.id} id={p.id ?? ''} />),
  },
  { pattern: '/procedures', permission: 'procedures.manage', render: () => lazyPage(<ProceduresPage />) },
  {
    pattern: '/procedures/:id',
    permission: 'procedures.manage',
    render: (p) => lazyPage(<ProcedureEditorPage key={p.id} id={p.id ?? ''} />),
  },
  {
    pattern: '/payments',
    permission: ['payments.read', 'payments.manage'],
    render: () => lazyPage(<PaymentsPage />),
  },
  {
    pattern: '/payments/:id',
    permission: ['payments.read', 'payments.manage'],
    render: (p) => lazyPage(<PaymentDetailPage key={p.id} id={p.id ?? ''} />),
  },
  { pattern: '/mail-bridge', permission: 'mailbridge.manage', render: () => lazyPage(<MailBridgePage />) },
  {
    pattern: '/reports/categories',
    permission: 'reports.manage',
    render: () => lazyPage(<ReportCategoriesPage />),
  },
  {
    pattern: '/reports/:id',
    permission: 'reports.handle',
    render: (p) => lazyPage(<ReportDetailPage key={p.id} id={p.id ?? ''} />),
  },
  { pattern: '/segments', permission: 'segments.manage', render: () => <SegmentsPage /> },
  { pattern: '/segments/new', permission: 'segments.manage', render: () => <SegmentFormPage /> },
  {
    pattern: '/segments/:id/edit',
    permission: 'segments.manage',
    render: (p) => <SegmentFormPage id={p.id} />,
  },
  { pattern: '/deliveries', permission: 'deliveries.create', render: () => <DeliveriesPage /> },
  { pattern: '/deliveries/new', permission: 'deliveries.create', render: () => <DeliveryComposerPage /> },
  {
    pattern: '/deliveries/:id/edit',
    permission: 'deliveries.create',
    render: (p) => <DeliveryComposerPage id={p.id} />,
  },
  { pattern: '/richmenus', permission: 'richmenus.manage', render: () => <RichMenusPage /> },
  { pattern: '/richmenus/new', permission: 'richmenus.manage', render: () => <RichMenuEditorPage /> },
  {
    pattern: '/richmenus/:id',
    permission: 'richmenus.manage',
    render: (p) => <RichMenuPage id={p.id ?? ''} />,
  },
  {
    pattern: '/richmenus/:id/edit',
    permission: 'richmenus.manage',
    render: (p) => <RichMenuEditorPage id={p.id} />,
  },
  { pattern: '/chatbot/scenarios', permission: 'chatbot.manage', render: () => <ScenariosPage /> },
  {
    pattern: '/chatbot/scenarios/:id',
    permission: 'chatbot.manage',
    render: (p) => (
      <Suspense fallback={<Loading />}>
        <ScenarioEditorPage id={p.id ?? ''} />
      </Suspense>
    ),
  },
  { pattern: '/chatbot/faq', permission: 'chatbot.manage', render: () => <FaqPage /> },
  { pattern: '/chatbot/unanswered', permission: 'chatbot.view', render: () => <UnansweredPage /> },
  { pattern: '/chatbot/handovers', permission: 'chatbot.view', render: () => <HandoversPage /> },
  { pattern: '/analytics', permission: 'analytics.view', render: () => <DeliveryAnalyticsPage /> },
  { pattern: '/analytics/friends', permission: 'analytics.view', render: () => <FriendsAnalyticsPage /> },
  {
    pattern: '/analytics/deliveries/:id',
    permission: 'analytics.view',
    render: (p) => <DeliveryReportPage id={p.id ?? ''} />,
  },
  { pattern: '/channels', permission: 'channels.view', render: () => <ChannelsPage /> },
  { pattern: '/forwarding', permission: 'channels.manage', render: () => lazyPage(<ForwardingPage />) },
  { pattern: '/channels/new', permission: 'channels.manage', render: () => <ChannelFormPage /> },
  {
    pattern: '/channels/:id/edit',
    permission: 'channels.manage',
    render: (p) => <ChannelFormPage id={p.id} />,
  },
  { pattern: '/accounts', permission: 'accounts.view', render: () => <AccountsPage /> },
  { pattern: '/accounts/new', permission: 'accounts.manage', render: () => <AccountFormPage /> },
  {
    pattern: '/accounts/:id/edit',
    permission: 'accounts.manage',
    render: (p) => <AccountFormPage id={p.id} />,
  },
  { pattern: '/roles', permission: 'roles.manage', render: () => <RolesPage /> },
  { pattern: '/roles/new', permission: 'roles.manage', render: () => <RoleFormPage /> },
  { pattern: '/roles/:id/edit', permission: 'roles.manage', render: (p) => <RoleFormPage id={p.id} /> },
  { pattern: '/ip-allowlists', permission: 'security.manage', render: () => <IpAllowlistsPage /> },
  { pattern: '/audit', permission: 'audit.view', render: () => <AuditPage /> },
  { pattern: '/maintenance', permission: 'operations.manage', render: () => <MaintenancePage /> },
  { pattern: '/changes', permission: 'operations.manage', render: () => <ChangesPage /> },
  { pattern: '/incidents', permission: 'incidents.manage', render: () => <IncidentsPage /> },
  { pattern: '/disaster', permission: 'richmenus.manage', render: () => <DisasterPage /> },
  { pattern: '/shelters', permission: 'shelters.status', render: () => <SheltersPage /> },
  { pattern: '/shelter-import', permission: 'shelters.manage', render: () => <ShelterImportPage /> },
  { pattern: '/settings', permission: null, render: () => <SettingsPage /> },
  { pattern: '/manual', permission: null, render: () => <ManualIndexPage /> },
  {
    pattern: '/manual/:chapter',
    permission: null,
    render: (p) => <ManualChapterPage chapter={p.chapter ?? ''} />,
  },
  {
    pattern: '/manual/:chapter/:section',
    permission: null,
    render: (p) => <ManualChapterPage chapter={p.chapter ?? ''} section={p.section} />,
  },
];

function SignedInApp() {
  const t = useT();
  const can = useCan();
  const path = usePath();
  const home =
    NAV_ITEMS.find((item) => item.permission === null || can(item.permission))?.path ?? '/settings';

  useEffect(() => {
    if (path === '/' || path === '') navigate(home, { replace: true });
  }, [path, home]);

  let content: ReactNode = null;
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    content =
      route.permission === null || can(route.permission) ? (
        // key: remount the page when the params change (e.g. editing another record).
        <div key={route.key ?? path}>{route.render(params)}</div>
      ) : (
        <Alert tone="error">{t('common.forbiddenPage')}</Alert>
      );
    break;
  }
  if (content === null && path !== '/') content = <Alert tone="warning">{t('common.notFoundPage')}</Alert>;

  const live = can('consultation.handle') || can('consultation.monitor');
  return (
    <AppLayout currentPath={path} notices={live ? <LiveNotices /> : null}>
      {content}
    </AppLayout>
  );
}

export function App() {
  const { state } = useAuth();
  if (state.status === 'loading') {
    return (
      <div className="p-8">
        <Loading />
      </div>
    );
  }
  if (state.status === 'anonymous') return <LoginPage />;
  if (state.session.account.mustChangePassword) return <ForcedPasswordChange />;
  return <SignedInApp />;
}
