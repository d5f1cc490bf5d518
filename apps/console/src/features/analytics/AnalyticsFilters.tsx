import type { Channel } from '../../api/types.ts';
import { Button, buttonClass } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';
import type { Period } from '../../lib/period.ts';
import { Link } from '../../lib/router.tsx';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { addDays, todayJst } from '../deliveries/time.ts';

export type { Period };

/** The last `days` Tokyo days, today included (the analytics pages open on the last 30 days). */
export function lastDays(days: number, now: Date = new Date()): Period {
  const today = todayJst(now);
  return { from: addDays(today, 1 - days), to: today };
}

/** 配信ごとの結果 / 友だち数の推移 — links styled as tabs. */
export function AnalyticsTabs({ current }: { current: 'deliveries' | 'friends' }) {
  const t = useT();
  const tabs = [
    { id: 'deliveries', to: '/analytics', label: t('analytics.tab.deliveries') },
    { id: 'friends', to: '/analytics/friends', label: t('analytics.tab.friends') },
  ] as const;
  return (
    <nav aria-label={t('analytics.tabs')} className="mb-6 border-b border-solid-gray-420">
      <ul className="flex gap-2">
        {tabs.map((tab) => (
          <li key={tab.id}>
            <Link
              to={tab.to}
              aria-current={current === tab.id ? 'page' : undefined}
              className={`inline-flex min-h-11 items-center border-b-4 px-4 text-std-16N-170 hover:underline ${
                current === tab.id
                  ? 'border-blue-900 font-bold text-blue-1000'
                  : 'border-transparent text-solid-gray-800'
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Channel and period (Tokyo days, inclusive) of an analytics page; applied with 表示. */
export function AnalyticsFilters({
  channels,
  channelId,
  onChannelChange,
  period,
  onApply,
}: {
  channels: Channel[] | undefined;
  channelId: string;
  onChannelChange: (id: string) => void;
  period: Period;
  onApply: (period: Period) => void;
}) {
  const t = useT();
  const { values, set, errors, onSubmit } = usePeriodForm(period, onApply);

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label={t('analytics.filters')}
      className="mb-4 flex flex-wrap items-start gap-4 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-5"
    >
      {channels && (
        <ChannelSelect
          channels={channels}
          value={channelId}
          onChange={onChannelChange}
          widthClassName="w-72"
        />
      )}
      <PeriodFields values={values} errors={errors} onChange={set} className="w-52" />
      <div className="flex flex-col">
        {/* Aligns the button with the inputs (below their labels). */}
        <span aria-hidden="true" className="text-std-16B-170">
          &nbsp;
        </span>
        <Button type="submit" className="mt-1.5">
          {t('analytics.apply')}
        </Button>
      </div>
    </form>
  );
}

/** CSV / Excel links of the data shown (the server writes each download to the audit log). */
export function DownloadLinks({ csv, xlsx, hintId }: { csv: string; xlsx: string; hintId: string }) {
  const t = useT();
  const cls = buttonClass('secondary');
  return (
    <>
      <a href={csv} download className={cls} aria-describedby={hintId}>
        {t('analytics.csv')}
      </a>
      <a href={xlsx} download className={cls} aria-describedby={hintId}>
        {t('analytics.xlsx')}
      </a>
    </>
  );
}
