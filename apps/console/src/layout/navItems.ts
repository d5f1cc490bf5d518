import type { PermissionKey } from '../api/types.ts';
import type { MessageKey } from '../i18n/ja.ts';

export type NavGroup =
  | 'delivery'
  | 'chatbot'
  | 'consultation'
  | 'friends'
  | 'disaster'
  | 'settings'
  | 'admin';
export type NavItem = {
  path: string;
  label: MessageKey;
  /** A list: any one of them. */
  permission: PermissionKey | readonly PermissionKey[] | null;
  /** The heading the item is listed under; none = above the groups (the dashboard). */
  group?: NavGroup;
};

/** The group headings, in display order (配信 / チャットボット / 相談 / 友だち / 防災 / 設定 / 管理). */
export const NAV_GROUPS: { key: NavGroup; label: MessageKey }[] = [
  { key: 'delivery', label: 'nav.group.delivery' },
  { key: 'chatbot', label: 'nav.group.chatbot' },
  { key: 'consultation', label: 'nav.group.consultation' },
  { key: 'friends', label: 'nav.group.friends' },
  { key: 'disaster', label: 'nav.group.disaster' },
  { key: 'settings', label: 'nav.group.settings' },
  { key: 'admin', label: 'nav.group.admin' },
];

/** Left navigation, in display order. `permission: null` = every signed-in account. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/dashboard', label: 'nav.dashboard', permission: 'dashboard.view' },
  { path: '/deliveries', label: 'nav.deliveries', permission: 'deliveries.create', group: 'delivery' },
  { path: '/segments', label: 'nav.segments', permission: 'segments.manage', group: 'delivery' },
  { path: '/richmenus', label: 'nav.richMenus', permission: 'richmenus.manage', group: 'delivery' },
  { path: '/analytics', label: 'nav.analytics', permission: 'analytics.view', group: 'delivery' },
  {
    path: '/chatbot/scenarios',
    label: 'nav.chatbotScenarios',
    permission: 'chatbot.manage',
    group: 'chatbot',
  },
  { path: '/chatbot/faq', label: 'nav.chatbotFaq', permission: 'chatbot.manage', group: 'chatbot' },
  {
    path: '/chatbot/unanswered',
    label: 'nav.chatbotUnanswered',
    permission: 'chatbot.view',
    group: 'chatbot',
  },
  { path: '/chatbot/handovers', label: 'nav.chatbotHandovers', permission: 'chatbot.view', group: 'chatbot' },
  {
    path: '/consultations',
    label: 'nav.consultations',
    permission: 'consultation.handle',
    group: 'consultation',
  },
  { path: '/monitor', label: 'nav.monitor', permission: 'consultation.monitor', group: 'consultation' },
  {
    path: '/consultation-stats',
    label: 'nav.consultationStats',
    permission: 'consultation.export',
    group: 'consultation',
  },
  { path: '/desks', label: 'nav.desks', permission: 'consultation.manage', group: 'consultation' },
  { path: '/friends', label: 'nav.friends', permission: 'friends.view', group: 'friends' },
  {
    path: '/registration-form',
    label: 'nav.registrationForm',
    permission: 'forms.manage',
    group: 'friends',
  },
  {
    path: '/surveys',
    label: 'nav.surveys',
    permission: ['surveys.manage', 'surveys.results'],
    group: 'friends',
  },
  {
    path: '/reservations',
    label: 'nav.reservations',
    permission: ['reservations.manage', 'reservations.handle'],
    group: 'friends',
  },
  { path: '/reports', label: 'nav.reports', permission: 'reports.handle', group: 'friends' },
  { path: '/applications', label: 'nav.applications', permission: 'applications.read', group: 'friends' },
  { path: '/procedures', label: 'nav.procedures', permission: 'procedures.manage', group: 'friends' },
  {
    path: '/reports/categories',
    label: 'nav.reportCategories',
    permission: 'reports.manage',
    group: 'friends',
  },
  {
    path: '/payments',
    label: 'nav.payments',
    permission: ['payments.read', 'payments.manage'],
    group: 'friends',
  },
  { path: '/disaster', label: 'nav.disaster', permission: 'richmenus.manage', group: 'disaster' },
  { path: '/mail-bridge', label: 'nav.mailBridge', permission: 'mailbridge.manage', group: 'disaster' },
  { path: '/shelters', label: 'nav.shelters', permission: 'shelters.status', group: 'disaster' },
  {
    path: '/shelter-import',
    label: 'nav.shelterImport',
    permission: 'shelters.manage',
    group: 'disaster',
  },
  { path: '/channels', label: 'nav.channels', permission: 'channels.view', group: 'settings' },
  { path: '/forwarding', label: 'nav.forwarding', permission: 'channels.manage', group: 'settings' },
  { path: '/settings', label: 'nav.settings', permission: null, group: 'settings' },
  { path: '/manual', label: 'nav.manual', permission: null, group: 'settings' },
  { path: '/accounts', label: 'nav.accounts', permission: 'accounts.view', group: 'admin' },
  { path: '/roles', label: 'nav.roles', permission: 'roles.manage', group: 'admin' },
  { path: '/ip-allowlists', label: 'nav.ipAllowlists', permission: 'security.manage', group: 'admin' },
  { path: '/audit', label: 'nav.audit', permission: 'audit.view', group: 'admin' },
  { path: '/maintenance', label: 'nav.maintenance', permission: 'operations.manage', group: 'admin' },
  { path: '/changes', label: 'nav.changes', permission: 'operations.manage', group: 'admin' },
  { path: '/incidents', label: 'nav.incidents', permission: 'incidents.manage', group: 'admin' },
];
