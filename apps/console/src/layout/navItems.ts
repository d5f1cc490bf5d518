import type { PermissionKey } from '../api/types.ts';
import type { MessageKey } from '../i18n/ja.ts';

export type NavItem = { path: string; label: MessageKey; permission: PermissionKey | null };

/** Left navigation, in display order. `permission: null` = every signed-in account. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/dashboard', label: 'nav.dashboard', permission: 'dashboard.view' },
  { path: '/consultations', label: 'nav.consultations', permission: 'consultation.handle' },
  { path: '/monitor', label: 'nav.monitor', permission: 'consultation.monitor' },
  { path: '/consultation-stats', label: 'nav.consultationStats', permission: 'consultation.export' },
  { path: '/desks', label: 'nav.desks', permission: 'consultation.manage' },
  { path: '/friends', label: 'nav.friends', permission: 'friends.view' },
  { path: '/registration-form', label: 'nav.registrationForm', permission: 'forms.manage' },
  { path: '/segments', label: 'nav.segments', permission: 'segments.manage' },
  { path: '/deliveries', label: 'nav.deliveries', permission: 'deliveries.create' },
  { path: '/analytics', label: 'nav.analytics', permission: 'analytics.view' },
  { path: '/channels', label: 'nav.channels', permission: 'channels.view' },
  { path: '/accounts', label: 'nav.accounts', permission: 'accounts.view' },
  { path: '/roles', label: 'nav.roles', permission: 'roles.manage' },
  { path: '/ip-allowlists', label: 'nav.ipAllowlists', permission: 'security.manage' },
  { path: '/audit', label: 'nav.audit', permission: 'audit.view' },
  { path: '/settings', label: 'nav.settings', permission: null },
];
