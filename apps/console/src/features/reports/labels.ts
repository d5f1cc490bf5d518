import type { ReportStatus } from '@madoguchi/contracts/reports.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { MessageKey } from '../../i18n/ja.ts';

export const STATUS_TONE: Record<ReportStatus, BadgeTone> = {
  received: 'warning',
  in_progress: 'info',
  done: 'success',
  rejected: 'neutral',
};

export const statusKey = (s: ReportStatus) => `reports.status.${s}` as MessageKey;

export const reportPagePath = (id: string) => `/reports/${encodeURIComponent(id)}`;

export const mapHref = (lat: number, lng: number) =>
  `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=18/${lat}/${lng}`;
