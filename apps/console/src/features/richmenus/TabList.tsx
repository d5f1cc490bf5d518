import { RICH_MENU_LIMITS } from '@madoguchi/contracts/richmenu-constants.ts';
import { Button } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { DraftTab } from './draft.ts';

/** The group's tabs (1–3): choose the one to edit, reorder, remove, add (M-03). */
export function TabList({
  tabs,
  current,
  invalid,
  onSelect,
  onMove,
  onRemove,
  onAdd,
}: {
  tabs: DraftTab[];
  current: number;
  /** Tabs with a problem. */
  invalid: Set<number>;
  onSelect: (index: number) => void;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  onAdd: () => void;
}) {
  const t = useT();
  return (
    <div className="flex flex-col gap-3">
      <ol aria-label={t('richMenus.tabsList')} className="flex flex-wrap gap-3">
        {tabs.map((tab, i) => (
          <li
            key={tab.key}
            className={`flex flex-wrap items-center gap-1 rounded-8 border-2 p-1 ${
              i === current
                ? 'border-blue-900 bg-blue-50'
                : invalid.has(i)
                  ? 'border-error-1'
                  : 'border-solid-gray-420'
            }`}
          >
            <Button
              variant={i === current ? 'primary' : 'secondary'}
              size="sm"
              aria-pressed={i === current}
              aria-label={t('richMenus.tabSelect', { n: i + 1, label: tab.label })}
              onClick={() => onSelect(i)}
            >
              {t('richMenus.tabN', { n: i + 1 })}「{tab.label}」
            </Button>
            <Button
              variant="tertiary"
              size="sm"
              disabled={i === 0}
              aria-label={t('richMenus.tabUp', { n: i + 1 })}
              onClick={() => onMove(i, i - 1)}
            >
              ←
            </Button>
            <Button
              variant="tertiary"
              size="sm"
              disabled={i === tabs.length - 1}
              aria-label={t('richMenus.tabDown', { n: i + 1 })}
              onClick={() => onMove(i, i + 1)}
            >
              →
            </Button>
            <Button
              variant="tertiary"
              size="sm"
              disabled={tabs.length === 1}
              aria-label={t('richMenus.tabRemove', { n: i + 1 })}
              onClick={() => onRemove(i)}
            >
              {t('common.delete')}
            </Button>
          </li>
        ))}
      </ol>
      {tabs.length < RICH_MENU_LIMITS.maxTabs && (
        <div>
          <Button variant="secondary" size="sm" onClick={onAdd}>
            {t('richMenus.tabAdd')}
          </Button>
        </div>
      )}
    </div>
  );
}
