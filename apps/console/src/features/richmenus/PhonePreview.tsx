import { useState } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import { type TabGroupView, tabImageUrl } from './api.ts';
import { describeAction } from './labels.ts';

/**
 * The tab group on a phone, in the console (M-04): the chat bar and the tab's image with its areas;
 * pressing a tab area switches to that tab here (as LINE's richmenuswitch does), other areas say
 * what they would do. Nothing is sent to LINE.
 */
export function PhonePreview({ group }: { group: TabGroupView }) {
  const t = useT();
  const [current, setCurrent] = useState(0);
  const [last, setLast] = useState<string | null>(null);
  const tab = group.tabs[current] ?? group.tabs[0];
  if (!tab) return null;
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <div className="flex flex-wrap items-start gap-6">
      <figure
        aria-label={t('richMenus.phone')}
        data-testid="phone-preview"
        data-tab={current}
        className="flex w-[22rem] max-w-full flex-col overflow-hidden rounded-[2rem] border-8 border-solid-gray-800 bg-[#8CABD9]"
      >
        <div className="h-48" />
        <div className="border-t border-solid-gray-420 bg-white px-4 py-2 text-center text-dns-16B-130">
          {tab.chatBarText}
        </div>
        <div className="relative" style={{ aspectRatio: `${tab.size.width} / ${tab.size.height}` }}>
          <img
            src={tabImageUrl(group.id, tab.id, group.updatedAt)}
            alt=""
            className="absolute inset-0 h-full w-full"
          />
          {tab.areas.map((a, i) => {
            const what = describeAction(t, a.action);
            return (
              <button
                key={a.id}
                type="button"
                aria-label={t('richMenus.previewTap', {
                  label: a.label || t('richMenus.areaN', { n: i + 1 }),
                  action: what,
                })}
                className="absolute border border-dashed border-white/70 hover:bg-white/20 focus-visible:outline-4 focus-visible:outline-yellow-400"
                style={{
                  left: pct(a.x, tab.size.width),
                  top: pct(a.y, tab.size.height),
                  width: pct(a.width, tab.size.width),
                  height: pct(a.height, tab.size.height),
                }}
                onClick={() => {
                  if (a.action.type === 'switchTab') setCurrent(a.action.tab);
                  setLast(what);
                }}
              />
            );
          })}
        </div>
      </figure>
      <div className="flex max-w-md flex-col gap-2">
        <p className="text-std-16B-170" aria-live="polite" data-testid="preview-tab">
          {t('richMenus.tabEditing', { n: current + 1, label: tab.label })}
        </p>
        <p className="text-std-16N-170" aria-live="polite">
          {last ? t('richMenus.previewLast', { text: last }) : ''}
        </p>
      </div>
    </div>
  );
}
