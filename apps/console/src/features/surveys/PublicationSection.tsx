import { SURVEY_LIMITS } from '@madoguchi/contracts/surveys.ts';
import { useState } from 'react';
import { fieldErrors } from '../../api/errors.ts';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { Section } from '../../components/Section.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { type SurveyView, surveysApi } from './api.ts';
import type { SurveySave } from './SurveyEditorPage.tsx';

/** 結果の公表: the city's summary of the results (public comment: the answer to the opinions) and 公開する. */
export function PublicationSection({ view, save }: { view: SurveyView; save: SurveySave }) {
  const t = useT();
  const [summary, setSummary] = useState(view.resultsSummary);
  const [published, setPublished] = useState(view.resultsPublished);
  // A failure's message is the editor's.
  const { errors, submitting, onSubmit } = useSubmit({
    validate: (): Record<string, string> => {
      const text = summary.trim();
      if (text.length > SURVEY_LIMITS.resultsSummary)
        return { summary: t('surveys.err.summaryLong', { max: SURVEY_LIMITS.resultsSummary }) };
      if (published && !text) return { summary: t('surveys.err.summaryNeeded') };
      return {};
    },
    save: () =>
      save(
        () => surveysApi.update(view.id, { resultsSummary: summary.trim(), resultsPublished: published }),
        t('surveys.editor.saved'),
      ),
    serverFieldErrors: (error): Record<string, string> => {
      const message = fieldErrors(error).resultsSummary;
      return message ? { summary: message } : {};
    },
  });

  return (
    <Section title={t('surveys.editor.publicationSection')} description={t('surveys.editor.publicationLead')}>
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex max-w-3xl flex-col gap-4">
        <TextArea
          label={t('surveys.field.resultsSummary')}
          hint={t('surveys.field.resultsSummaryHint')}
          value={summary}
          onChange={setSummary}
          rows={8}
          error={errors.summary}
        />
        <Checkbox
          label={t('surveys.field.resultsPublished')}
          hint={t('surveys.field.resultsPublishedHint')}
          checked={published}
          onChange={setPublished}
        />
        <div>
          <Button type="submit" disabled={submitting}>
            {t('surveys.editor.savePublication')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
