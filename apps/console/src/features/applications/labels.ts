import type { ApplicationStatus, StaffStatus } from '@madoguchi/contracts/applications.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

export const STATUS_TONE: Record<ApplicationStatus, BadgeTone> = {
  draft: 'neutral',
  identity: 'neutral',
  payment: 'neutral',
  received: 'warning',
  reviewing: 'info',
  shipped: 'success',
  returned: 'warning',
  rejected: 'neutral',
};

export const statusKey = (s: ApplicationStatus) => `applications.status.${s}` as MessageKey;

/** The status buttons' labels: 審査中にする, 発送済にする … */
export const actionKey = (s: StaffStatus) => `applications.action.${s}` as MessageKey;

export const applicationPagePath = (id: string) => `/applications/${encodeURIComponent(id)}`;
export const procedurePagePath = (id: string) => `/procedures/${encodeURIComponent(id)}`;

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
