import { RESPONSE_STATUSES } from '@madoguchi/contracts/surveys.ts';
import { LinkButton } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { resultsPath, type SurveyResults, type SurveyView, surveyPath } from './api.ts';
import { editorPath, periodText } from './labels.ts';
import { QuestionSummaries } from './QuestionSummaries.tsx';
import { ResponsesSection } from './ResponsesSection.tsx';

/**
 * 回答結果 (#/surveys/:id/results, Q-03 … Q-05): the totals per state and per question, then the answers
 * with filters, their state, staff-only items, history and the CSV / Excel export.
 */
export function SurveyResultsPage({ id }: { id: string }) {
  const t = useT();
  const survey = useApi<SurveyView>(surveyPath(id));
  const results = useApi<SurveyResults>(resultsPath(id));
  const view = survey.data;
  const failed = survey.error ?? results.error;

  return (
    <>
      <PageHeader
        title={view ? t('surveys.results.title', { title: view.title }) : t('surveys.results')}
        description={view ? periodText(t, view) : undefined}
        actions={
          <div className="flex flex-wrap gap-3">
            <LinkButton to={editorPath(id)} variant="secondary">
              {t('surveys.results.toEditor')}
            </LinkButton>
            <LinkButton to="/surveys" variant="tertiary">
              {t('common.backToList')}
            </LinkButton>
          </div>
        }
      />
      {failed !== null && failed !== undefined && (
        <LoadError
          error={failed}
          onRetry={() => {
            void survey.reload();
            void results.reload();
          }}
        />
      )}
      {(survey.loading || results.loading) && !(view && results.data) && <Loading />}
      {view && results.data && (
        <div className="flex flex-col gap-6">
          <Section title={t('surveys.results.summarySection')}>
            <div className="flex flex-col gap-6">
              <dl className="flex flex-wrap gap-x-8 gap-y-2 text-std-16N-170">
                <div className="flex gap-2">
                  <dt className="font-bold">{t('surveys.results.total')}</dt>
                  <dd>{formatNumber(results.data.total)}</dd>
                </div>
                {RESPONSE_STATUSES.map((s) => (
                  <div key={s} className="flex gap-2">
                    <dt className="font-bold">{t(`surveys.response.${s}` as MessageKey)}</dt>
                    <dd>{formatNumber(results.data?.byStatus[s] ?? 0)}</dd>
                  </div>
                ))}
              </dl>
              <QuestionSummaries questions={results.data.questions} />
            </div>
          </Section>
          <ResponsesSection view={view} onChanged={() => void results.reload(true)} />
        </div>
      )}
    </>
  );
}
