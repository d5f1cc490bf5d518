import type { SurveyStatus, SurveySummary } from '@madoguchi/contracts/surveys.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatJst } from '../deliveries/time.ts';

export const STATUS_TONE: Record<SurveyStatus, BadgeTone> = {
  draft: 'neutral',
  open: 'success',
  closed: 'info',
};

export const statusLabel = (t: TFunction, status: SurveyStatus) =>
  t(`surveys.status.${status}` as MessageKey);

/** `2026/12/01 09:00 〜 2026/12/20 17:00` (Tokyo); an open end is left blank, no period at all says so. */
export function periodText(t: TFunction, s: Pick<SurveySummary, 'opensAt' | 'closesAt'>): string {
  if (!s.opensAt && !s.closesAt) return t('surveys.noPeriod');
  return `${s.opensAt ? formatJst(s.opensAt) : ''} 〜 ${s.closesAt ? formatJst(s.closesAt) : ''}`;
}

export const editorPath = (id: string) => `/surveys/${encodeURIComponent(id)}`;
export const resultsPagePath = (id: string) => `/surveys/${encodeURIComponent(id)}/results`;
