import { SURVEY_LIMITS } from '@madoguchi/contracts/surveys.ts';
import { type ChangeEvent, useId, useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { ErrorText, FieldLabel, SupportText } from '../../components/Field.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { type SurveyView, surveysApi } from './api.ts';
import type { SurveyRun } from './SurveyEditorPage.tsx';

const MB = 1024 * 1024;

/** パブリックコメントの資料: the PDF citizens read before giving their opinion; upload (PUT) or remove. */
export function DocumentSection({ view, run }: { view: SurveyView; run: SurveyRun }) {
  const t = useT();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    const pdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
    if (!pdf || file.size === 0) {
      setError(t('surveys.doc.errType'));
      input.value = '';
      return;
    }
    if (file.size > SURVEY_LIMITS.documentBytes) {
      setError(t('surveys.doc.errSize', { mb: SURVEY_LIMITS.documentBytes / MB }));
      input.value = '';
      return;
    }
    setUploading(true);
    await run(() => surveysApi.uploadDocument(view.id, file), t('surveys.doc.uploaded', { name: file.name }));
    setUploading(false);
    input.value = '';
  }

  const doc = view.document;
  return (
    <Section title={t('surveys.doc.section')} description={t('surveys.doc.lead')}>
      <div className="flex flex-col gap-4">
        {doc ? (
          <div className="flex flex-wrap items-center gap-4">
            <a
              href={`/api/citizen/surveys/${encodeURIComponent(view.id)}/document`}
              target="_blank"
              rel="noopener"
              className="text-std-16N-170 text-blue-1000 underline"
            >
              {t('surveys.doc.current', {
                name: doc.fileName,
                kb: formatNumber(Math.ceil(doc.bytes / 1024)),
              })}
            </a>
            <Button
              size="sm"
              variant="tertiary"
              onClick={() =>
                void run(
                  () => surveysApi.removeDocument(view.id),
                  t('surveys.doc.removed', { name: doc.fileName }),
                )
              }
            >
              {t('surveys.doc.remove')}
            </Button>
          </div>
        ) : (
          <p className="text-std-16N-170 text-solid-gray-700">{t('surveys.doc.none')}</p>
        )}
        <div className="flex flex-col gap-1.5">
          <FieldLabel htmlFor={id}>{doc ? t('surveys.doc.replace') : t('surveys.doc.upload')}</FieldLabel>
          <SupportText id={hintId}>
            {t('surveys.doc.hint', { mb: SURVEY_LIMITS.documentBytes / MB })}
          </SupportText>
          <input
            id={id}
            type="file"
            accept="application/pdf,.pdf"
            onChange={(e) => void onFile(e)}
            disabled={uploading}
            aria-invalid={error ? true : undefined}
            aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
            className="min-h-12 max-w-full text-std-16N-170 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-8 file:border-2 file:border-blue-900 file:bg-white file:px-3 file:text-oln-16B-100 file:text-blue-900 hover:file:bg-blue-50"
          />
          {uploading && (
            <p aria-live="polite" className="text-dns-14N-130 text-solid-gray-700">
              {t('surveys.doc.uploading')}
            </p>
          )}
          {error && <ErrorText id={errorId}>{error}</ErrorText>}
        </div>
      </div>
    </Section>
  );
}
