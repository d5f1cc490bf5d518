import { CHOICE_TYPES } from '@madoguchi/contracts/forms.ts';
import { RESPONSE_STATUSES, type ResponseStatus } from '@madoguchi/contracts/surveys.ts';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button, buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { PeriodFields, usePeriodForm } from '../../lib/PeriodFields.tsx';
import { openPeriodErrors } from '../../lib/period.ts';
import { addDays, jstToIso } from '../deliveries/time.ts';
import {
  type ResponseFilter,
  type ResponseView,
  responsesExportHref,
  type SurveyView,
  surveysApi,
} from './api.ts';
import { ResponseCard } from './ResponseCard.tsx';

type FilterForm = { status: ResponseStatus | ''; from: string; to: string; choice: string };

const EMPTY_FILTER: FilterForm = { status: '', from: '', to: '', choice: '' };

/** The filter as the API takes it: Tokyo days → instants (the end day included). */
function filterOf(f: FilterForm): ResponseFilter {
  const end = f.to ? jstToIso(addDays(f.to, 1), '00:00') : null;
  return {
    status: f.status || undefined,
    from: (f.from && jstToIso(f.from, '00:00')) || undefined,
    to: end ? new Date(Date.parse(end) - 1).toISOString() : undefined,
    choice: f.choice || undefined,
  };
}

type Pages = { items: ResponseView[]; next: string | null; total: number };

/** 回答一覧: filters (状態, 期間, 選択肢), the answers newest first with さらに表示, and the export. */
export function ResponsesSection({ view, onChanged }: { view: SurveyView; onChanged: () => void }) {
  const t = useT();
  const [applied, setApplied] = useState<ResponseFilter>({});
  const filters = usePeriodForm(EMPTY_FILTER, (values) => setApplied(filterOf(values)), openPeriodErrors);
  const draft = filters.values;
  const [pages, setPages] = useState<Pages | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setPages(null);
    setLoadError(null);
    surveysApi
      .responses(view.id, applied, null, controller.signal)
      .then((page) => setPages({ items: page.items, next: page.next, total: page.total }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [view.id, applied]);

  async function more() {
    if (!pages?.next) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await surveysApi.responses(view.id, applied, pages.next);
      setPages({ items: [...pages.items, ...page.items], next: page.next, total: page.total });
    } catch (err) {
      setMoreError(errorMessage(t, err));
    } finally {
      setLoadingMore(false);
    }
  }

  const choiceOptions = view.form.items
    .filter((i) => CHOICE_TYPES.includes(i.type) && i.type !== 'area')
    .flatMap((i) =>
      i.choices.map((c) => ({
        value: c.id,
        label: t('surveys.responses.choiceOption', { item: i.label, choice: c.label }),
      })),
    );
  const replace = (updated: ResponseView) =>
    setPages((p) => p && { ...p, items: p.items.map((r) => (r.id === updated.id ? updated : r)) });

  return (
    <Section
      title={t('surveys.responses.section')}
      actions={
        <div className="flex flex-wrap gap-3">
          <a
            href={responsesExportHref(view.id, applied, 'csv')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('surveys.responses.exportCsv')}
          </a>
          <a
            href={responsesExportHref(view.id, applied, 'xlsx')}
            download
            className={buttonClass('secondary', 'sm')}
          >
            {t('surveys.responses.exportXlsx')}
          </a>
        </div>
      }
    >
      <div className="flex flex-col gap-5">
        <form
          noValidate
          onSubmit={filters.onSubmit}
          aria-label={t('surveys.responses.filters')}
          className="flex flex-wrap items-end gap-4"
        >
          <Select
            label={t('surveys.responses.status')}
            value={draft.status}
            onChange={filters.set('status')}
            placeholder={t('surveys.responses.all')}
            options={RESPONSE_STATUSES.map((s) => ({
              value: s,
              label: t(`surveys.response.${s}` as MessageKey),
            }))}
            className="w-44"
          />
          <PeriodFields values={draft} errors={filters.errors} onChange={filters.set} className="w-52" />
          {choiceOptions.length > 0 && (
            <Select
              label={t('surveys.responses.choice')}
              value={draft.choice}
              onChange={filters.set('choice')}
              placeholder={t('surveys.responses.all')}
              options={choiceOptions}
              className="w-80"
            />
          )}
          <Button type="submit" variant="secondary">
            {t('surveys.responses.apply')}
          </Button>
        </form>
        <p className="text-dns-14N-130 text-solid-gray-700">{t('surveys.responses.exportHint')}</p>
        {loadError !== null && <LoadError error={loadError} onRetry={() => setApplied((a) => ({ ...a }))} />}
        {pages === null && loadError === null && <Loading />}
        {pages && (
          <>
            <p role="status" className="text-std-16N-170">
              {t('surveys.responses.count', {
                total: formatNumber(pages.total),
                shown: formatNumber(pages.items.length),
              })}
            </p>
            {pages.items.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t('surveys.responses.empty')}</p>
            ) : (
              <ol aria-label={t('surveys.responses.list')} className="flex flex-col gap-3">
                {pages.items.map((r) => (
                  <ResponseCard
                    key={r.id}
                    view={view}
                    response={r}
                    onSaved={(updated) => {
                      replace(updated);
                      onChanged();
                    }}
                  />
                ))}
              </ol>
            )}
            {moreError && <Alert tone="error">{moreError}</Alert>}
            {pages.next && (
              <div>
                <Button variant="secondary" disabled={loadingMore} onClick={() => void more()}>
                  {loadingMore ? t('app.loading') : t('surveys.responses.more')}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </Section>
  );
}
