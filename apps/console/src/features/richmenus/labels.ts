import { LIFF_PAGE_LABELS } from '@madoguchi/contracts/richmenu-constants.ts';
import type { PublicationView, RichMenuAction } from '@madoguchi/contracts/richmenus.ts';
import type { TFunction } from '../../i18n/i18n.tsx';
import { formatJst } from '../deliveries/time.ts';

// Words for what staff see of actions and publications (never LINE IDs or alias IDs).

export function describeAction(t: TFunction, a: RichMenuAction): string {
  switch (a.type) {
    case 'uri':
      return t('richMenus.describe.uri', { uri: a.uri });
    case 'liff':
      return t('richMenus.describe.liff', { page: LIFF_PAGE_LABELS[a.page] });
    case 'message':
      return t('richMenus.describe.message', { text: a.text });
    case 'postback':
      return t('richMenus.describe.postback', { data: a.data });
    case 'switchTab':
      return t('richMenus.describe.switchTab', { n: a.tab + 1 });
    case 'scenario':
      return t('richMenus.describe.scenario', { id: a.scenarioId });
  }
}

/** 既定 / セグメント「…」 / 災害モード */
export function targetLabel(t: TFunction, p: PublicationView, segmentName?: string): string {
  if (p.target === 'default') return t('richMenus.state.default');
  if (p.target === 'disaster') return t('richMenus.state.disaster');
  return segmentName
    ? t('richMenus.state.segment', { name: segmentName })
    : t('richMenus.state.segmentUnknown');
}

export function periodLabel(t: TFunction, p: { from: string | null; until: string | null }): string {
  if (!p.from && !p.until) return t('richMenus.periodOpen');
  return t('richMenus.period', {
    from: p.from ? formatJst(p.from) : t('richMenus.now'),
    until: p.until ? formatJst(p.until) : t('richMenus.untilEnd'),
  });
}

/** Publications that show (or will show) the menu. */
export const livePublications = (pubs: PublicationView[]) =>
  pubs.filter((p) => ['scheduled', 'linking', 'active', 'ending', 'failed'].includes(p.status));

/** The list's one-line state of a publication: 既定 / セグメント「…」, and 予約 from–until when scheduled. */
export function publicationState(t: TFunction, p: PublicationView, segmentName?: string): string {
  const target = targetLabel(t, p, segmentName);
  if (p.status === 'scheduled') return `${target} ${t('richMenus.state.scheduled', periodVars(t, p))}`;
  if (p.status === 'linking') return `${target}（${t('richMenus.state.linking')}）`;
  if (p.status === 'ending') return `${target}（${t('richMenus.state.ending')}）`;
  if (p.status === 'failed') return `${target}（${t('richMenus.state.failed')}）`;
  return p.until ? `${target} ${t('richMenus.period', periodVars(t, p))}` : target;
}

function periodVars(t: TFunction, p: { from: string | null; until: string | null }) {
  return {
    from: p.from ? formatJst(p.from) : t('richMenus.now'),
    until: p.until ? formatJst(p.until) : t('richMenus.untilEnd'),
  };
}
