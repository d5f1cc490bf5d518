import type { SurveyStatus, SurveySummary } from '@madoguchi/contracts/surveys.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatJst } from '../deliveries/time.ts';

/** What citizens meet now: an open survey outside its period takes no answers (受付前 / 受付終了). */
export type ShownStatus = SurveyStatus | 'waiting' | 'ended';

export function shownStatus(
  s: Pick<SurveySummary, 'status' | 'opensAt' | 'closesAt'>,
  now = Date.now(),
): ShownStatus {
  if (s.status !== 'open') return s.status;
  if (s.closesAt && Date.parse(s.closesAt) <= now) return 'ended';
  if (s.opensAt && Date.parse(s.opensAt) > now) return 'waiting';
  return 'open';
}

export const STATUS_TONE: Record<ShownStatus, BadgeTone> = {
  draft: 'neutral',
  open: 'success',
  closed: 'info',
  waiting: 'neutral',
  ended: 'info',
};

export const statusLabel = (t: TFunction, status: ShownStatus) => t(`surveys.status.${status}` as MessageKey);

/** `2026/12/01 09:00 〜 2026/12/20 17:00` (Tokyo); an open end is left blank, no period at all says so. */
export function periodText(t: TFunction, s: Pick<SurveySummary, 'opensAt' | 'closesAt'>): string {
  if (!s.opensAt && !s.closesAt) return t('surveys.noPeriod');
  return t('surveys.periodText', {
    from: s.opensAt ? formatJst(s.opensAt) : '',
    to: s.closesAt ? formatJst(s.closesAt) : '',
  });
}

export const editorPath = (id: string) => `/surveys/${encodeURIComponent(id)}`;
export const resultsPagePath = (id: string) => `/surveys/${encodeURIComponent(id)}/results`;
