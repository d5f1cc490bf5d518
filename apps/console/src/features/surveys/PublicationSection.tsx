import { SURVEY_LIMITS } from '@madoguchi/contracts/surveys.ts';
import { type FormEvent, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { type SurveyView, surveysApi } from './api.ts';
import type { SurveyRun } from './SurveyEditorPage.tsx';

/** 結果の公表: the city's summary of the results (public comment: the answer to the opinions) and 公開する. */
export function PublicationSection({ view, run }: { view: SurveyView; run: SurveyRun }) {
  const t = useT();
  const [summary, setSummary] = useState(view.resultsSummary);
  const [published, setPublished] = useState(view.resultsPublished);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const text = summary.trim();
    const next =
      text.length > SURVEY_LIMITS.resultsSummary
        ? t('surveys.err.summaryLong', { max: SURVEY_LIMITS.resultsSummary })
        : published && !text
          ? t('surveys.err.summaryNeeded')
          : null;
    setError(next);
    if (next) {
      focusFirstInvalid(form);
      return;
    }
    await run(
      () => surveysApi.update(view.id, { resultsSummary: text, resultsPublished: published }),
      t('surveys.editor.saved'),
    );
  }

  return (
    <Section title={t('surveys.editor.publicationSection')} description={t('surveys.editor.publicationLead')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex max-w-3xl flex-col gap-4">
        <TextArea
          label={t('surveys.field.resultsSummary')}
          hint={t('surveys.field.resultsSummaryHint')}
          value={summary}
          onChange={setSummary}
          rows={8}
          error={error}
        />
        <Checkbox
          label={t('surveys.field.resultsPublished')}
          hint={t('surveys.field.resultsPublishedHint')}
          checked={published}
          onChange={setPublished}
        />
        <div>
          <Button type="submit">{t('surveys.editor.savePublication')}</Button>
        </div>
      </form>
    </Section>
  );
}
