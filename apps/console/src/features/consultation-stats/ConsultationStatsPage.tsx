import { useMemo, useState } from 'react';
import { query } from '../../api/client.ts';
import type { ConsultationStats, Desk } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { Button, buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { StatCard, StatValue } from '../../components/StatCard.tsx';
import type { TFunction } from '../../i18n/i18n.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { daysBetween, formatNumber, shortDate, tokyoDateString } from '../../lib/format.ts';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';
import { useApi } from '../../lib/useApi.ts';

/** The server's text for an empty record value. */
const NOT_ENTERED = '未入力';
/** Categorical charts list every value in their accessible name up to this many categories. */
const LIST_ALL_MAX = 16;

type Filters = { from: string; to: string; deskId: string };

/** This month (Tokyo days): the 1st up to today. */
function thisMonth(): Filters {
  const today = tokyoDateString(new Date());
  return { from: `${today.slice(0, 8)}01`, to: today, deskId: '' };
}

const bar = { className: 'fill-blue-900', swatchClassName: 'bg-blue-900' };

/**
 * Accessible name of a chart: every value for a few categories, otherwise the total and the largest
 * value (the full list is in the chart's table).
 */
function chartSummary(t: TFunction, title: string, labels: string[], values: number[]): string {
  const total = values.reduce((a, b) => a + b, 0);
  if (labels.length <= LIST_ALL_MAX) {
    const parts = labels.map((label, i) =>
      t('stats.summaryItem', { label, count: formatNumber(values[i] ?? 0) }),
    );
    return `${title}: ${parts.join(t('stats.summarySeparator'))}`;
  }
  if (total === 0) return `${title}: ${t('stats.summaryNone')}`;
  const peak = values.indexOf(Math.max(...values));
  return `${title}: ${t('stats.summaryPeak', {
    total: formatNumber(total),
    label: labels[peak] ?? '',
    count: formatNumber(values[peak] ?? 0),
  })}`;
}

/**
 * Order of a record field's values: the options of the desks (so that a value with no consultation
 * still shows as 0), then any other value by count, 未入力 last.
 */
function fieldValues(key: string, counts: Record<string, number>, desks: Desk[] | undefined): string[] {
  const order: string[] = [];
  for (const desk of desks ?? [])
    for (const f of desk.recordFields)
      if (f.key === key) for (const o of f.options ?? []) if (!order.includes(o)) order.push(o);
  const rest = Object.keys(counts)
    .filter((v) => v !== NOT_ENTERED && !order.includes(v))
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
  return [...order, ...rest, ...(NOT_ENTERED in counts ? [NOT_ENTERED] : [])];
}

/** 相談統計 (#/consultation-stats, C-05): counts for a period and desk, charts, CSV / Excel download. */
export function ConsultationStatsPage() {
  const t = useT();
  const can = useCan();
  const [filters, setFilters] = useState<Filters>(thisMonth);
  const stats = useApi<ConsultationStats>(`/api/consultation-stats${query({ ...filters })}`);
  // Only for the order of the record values; accounts without consultation.handle cannot read desks.
  const desks = useApi<Desk[]>(can('consultation.handle') ? '/api/desks' : null);
  const data = stats.data;

  const params = query({ ...filters });
  const deskName = data?.byDesk.find((d) => d.deskId === filters.deskId)?.name;

  return (
    <>
      <PageHeader
        title={t('stats.title')}
        description={t('stats.lead')}
        actions={
          <>
            <a
              href={`/api/consultations.csv${params}`}
              download
              className={buttonClass('secondary')}
              aria-describedby="stats-download-hint"
            >
              {t('stats.csv')}
            </a>
            <a
              href={`/api/consultations.xlsx${params}`}
              download
              className={buttonClass('secondary')}
              aria-describedby="stats-download-hint"
            >
              {t('stats.xlsx')}
            </a>
          </>
        }
      />
      <p id="stats-download-hint" className="-mt-3 mb-4 text-dns-14N-130 text-solid-gray-700">
        {t('stats.downloadHint')}
      </p>
      <StatsFilters initial={filters} desks={data?.byDesk} onApply={setFilters} />
      <p className="mb-4 text-std-17B-170 text-solid-gray-900" aria-live="polite">
        {t('stats.period', {
          from: filters.from.replaceAll('-', '/'),
          to: filters.to.replaceAll('-', '/'),
          desk: deskName ?? t('consult.allDesks'),
        })}
        {stats.loading && data && (
          <span className="ml-3 text-std-16N-170 text-solid-gray-700">{t('app.loading')}</span>
        )}
      </p>
      {stats.error !== null && <LoadError error={stats.error} onRetry={() => void stats.reload()} />}
      {!data && stats.loading && <Loading />}
      {data && <StatsBody data={data} filters={filters} desks={desks.data} />}
    </>
  );
}

function StatsBody({
  data,
  filters,
  desks,
}: {
  data: ConsultationStats;
  filters: Filters;
  desks: Desk[] | undefined;
}) {
  const t = useT();
  const count = t('stats.count');

  const days = useMemo(() => {
    const byDate = new Map(data.byDay.map((d) => [d.date, d.count]));
    const all = daysBetween(filters.from, filters.to);
    return { labels: all.map(shortDate), values: all.map((d) => byDate.get(d) ?? 0) };
  }, [data.byDay, filters.from, filters.to]);
  const hours = {
    labels: data.byHour.map((h) => t('stats.hourLabel', { hour: h.hour })),
    values: data.byHour.map((h) => h.count),
  };
  const byDesk = { labels: data.byDesk.map((d) => d.name), values: data.byDesk.map((d) => d.count) };

  const charts: { title: string; labelHeader: string; labels: string[]; values: number[]; all: boolean }[] = [
    { title: t('stats.byDay'), labelHeader: t('chart.date'), ...days, all: false },
    { title: t('stats.byHour'), labelHeader: t('stats.hour'), ...hours, all: true },
    { title: t('stats.byDesk'), labelHeader: t('consult.desk'), ...byDesk, all: true },
    ...Object.entries(data.byField).map(([key, field]) => {
      const values = fieldValues(key, field.counts, desks);
      return {
        title: t('stats.byField', { label: field.label }),
        labelHeader: field.label,
        labels: values.map((v) => (v === NOT_ENTERED ? t('stats.notEntered') : v)),
        values: values.map((v) => field.counts[v] ?? 0),
        all: true,
      };
    }),
  ];

  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-4 gap-4">
        <StatCard
          label={t('stats.total')}
          value={data.total}
          unit={t('stats.unit')}
          note={t('stats.totalNote')}
          testId="stats-total"
        />
        <StatCard label={t('stats.origin')} note={t('stats.originNote')}>
          <StatValue value={data.byOrigin.line} testId="stats-line" />
          <span className="mx-2 text-std-24N-150 text-solid-gray-700">/</span>
          <StatValue value={data.byOrigin.web} testId="stats-web" />
        </StatCard>
        <StatCard
          label={t('stats.avgDuration')}
          value={data.avgDurationMinutes}
          note={t('stats.avgDurationNote')}
          testId="stats-avg-duration"
        />
        <StatCard
          label={t('stats.avgFirstReply')}
          value={data.avgFirstReplyMinutes}
          note={t('stats.avgFirstReplyNote')}
          testId="stats-avg-first-reply"
        />
      </div>
      {charts.map((c) => (
        <Section key={c.title} title={c.title}>
          {c.labels.length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t('common.noData')}</p>
          ) : (
            <BarChart
              title={c.title}
              labels={c.labels}
              series={[{ name: count, values: c.values, ...bar }]}
              summary={chartSummary(t, c.title, c.labels, c.values)}
              labelHeader={c.labelHeader}
              maxLabels={c.all ? c.labels.length : undefined}
            />
          )}
        </Section>
      ))}
    </div>
  );
}

function StatsFilters({
  initial,
  desks,
  onApply,
}: {
  initial: Filters;
  /** From the statistics (every desk is listed there); empty until the first answer. */
  desks: ConsultationStats['byDesk'] | undefined;
  onApply: (filters: Filters) => void;
}) {
  const t = useT();
  const { values, set, errors, onSubmit } = usePeriodForm(initial, onApply);

  return (
    <form
      noValidate
      onSubmit={onSubmit}
      aria-label={t('stats.filters')}
      className="mb-4 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-5"
    >
      <div className="grid grid-cols-4 items-start gap-4">
        <PeriodFields values={values} errors={errors} onChange={set} />
        <Select
          label={t('consult.deskFilter')}
          value={values.deskId}
          onChange={set('deskId')}
          placeholder={t('consult.allDesks')}
          options={(desks ?? []).map((d) => ({ value: d.deskId, label: d.name }))}
          className="col-span-2"
        />
      </div>
      <div className="mt-4">
        <Button type="submit">{t('stats.apply')}</Button>
      </div>
    </form>
  );
}
