import { useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { setFlash } from '../../lib/flash.ts';
import { formatNumber } from '../../lib/format.ts';
import { navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { AddItemForm } from '../forms/AddItemForm.tsx';
import { FormPreview } from '../forms/FormPreview.tsx';
import { ItemCard } from '../forms/ItemCard.tsx';
import { type OwnerRun, type OwnerSave, useFormOwnerEditor } from '../forms/useFormOwnerEditor.ts';
import { type SurveyView, surveyPath, surveysApi } from './api.ts';
import { DocumentSection } from './DocumentSection.tsx';
import { periodText, resultsPagePath, STATUS_TONE, shownStatus, statusLabel } from './labels.ts';
import { PublicationSection } from './PublicationSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';

/** A change of the survey: runs it and shows the answered view; answers whether it succeeded. */
export type SurveyRun = OwnerRun<SurveyView>;
/** The same for a section's form (useSubmit): a failure is thrown on too. */
export type SurveySave = OwnerSave<SurveyView>;

/**
 * アンケートの編集 (#/surveys/:id, Q-01 … Q-05): state (受付開始 / 終了), the link to send, the settings,
 * the public comment's document, the published results and the items of its form (the form designer
 * of features/forms with the survey's form id).
 */
export function SurveyEditorPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const survey = useApi<SurveyView>(surveyPath(id));
  const { status, error, act, save, runItems } = useFormOwnerEditor(survey);
  const [deleting, setDeleting] = useState(false);
  const view = survey.data;

  if (survey.error !== null)
    return (
      <>
        <PageHeader title={t('surveys.editor.title')} />
        <LoadError error={survey.error} onRetry={() => void survey.reload()} />
      </>
    );
  if (!view)
    return (
      <>
        <PageHeader title={t('surveys.editor.title')} />
        <Loading />
      </>
    );

  const deletable = view.status === 'draft' && view.responses === 0;
  return (
    <>
      <PageHeader
        title={view.title}
        description={t(`surveys.kind.${view.kind}` as MessageKey)}
        actions={
          <div className="flex flex-wrap gap-3">
            {can('surveys.results') && (
              <LinkButton to={resultsPagePath(view.id)} variant="secondary">
                {t('surveys.results')}
              </LinkButton>
            )}
            <LinkButton to="/surveys" variant="tertiary">
              {t('common.backToList')}
            </LinkButton>
          </div>
        }
      />
      <div className="flex flex-col gap-6">
        {/* One live region that is always there, so every result is announced. */}
        <p
          role="status"
          aria-live="polite"
          className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-2 text-std-16N-170 empty:hidden"
        >
          {error ? '' : status}
        </p>
        {error && <Alert tone="error">{error}</Alert>}

        <Section title={t('surveys.editor.stateSection')}>
          <div className="flex flex-col gap-4">
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-std-16N-170">
              <dt className="font-bold">{t('surveys.col.status')}</dt>
              <dd>
                <Badge tone={STATUS_TONE[shownStatus(view)]}>{statusLabel(t, shownStatus(view))}</Badge>
              </dd>
              <dt className="font-bold">{t('surveys.col.period')}</dt>
              <dd>{periodText(t, view)}</dd>
              <dt className="font-bold">{t('surveys.col.responses')}</dt>
              <dd>{formatNumber(view.responses)}</dd>
            </dl>
            <p className="text-std-16N-170 text-solid-gray-700">{t('surveys.editor.stateHint')}</p>
            <div className="flex flex-wrap gap-3">
              {view.status !== 'open' && (
                <Button onClick={() => void act(() => surveysApi.open(view.id), t('surveys.editor.opened'))}>
                  {t('surveys.editor.open')}
                </Button>
              )}
              {view.status === 'open' && (
                <Button
                  variant="secondary"
                  onClick={() => void act(() => surveysApi.close(view.id), t('surveys.editor.closed'))}
                >
                  {t('surveys.editor.close')}
                </Button>
              )}
              {deletable && (
                <Button variant="tertiary" onClick={() => setDeleting(true)}>
                  {t('surveys.editor.delete')}
                </Button>
              )}
            </div>
          </div>
        </Section>

        <Section title={t('surveys.editor.linkSection')} description={t('surveys.editor.linkLead')}>
          {view.link ? (
            <CopyButton text={view.link} label={t('surveys.editor.linkCopy')}>
              <code className="rounded-4 bg-solid-gray-50 px-2 py-1 text-dns-14N-130 break-all">
                {view.link}
              </code>
            </CopyButton>
          ) : (
            <Alert tone="warning">{t('surveys.editor.noLiff')}</Alert>
          )}
        </Section>

        <SettingsSection key={view.updatedAt} view={view} save={save} />

        {view.kind === 'public_comment' && <DocumentSection view={view} run={act} />}

        <PublicationSection key={`pub-${view.updatedAt}`} view={view} save={save} />

        <Section
          title={t('forms.itemsSection', { count: view.form.items.length })}
          description={t('surveys.editor.itemsLead')}
        >
          {view.form.items.length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>
          ) : (
            <ol aria-label={t('surveys.editor.itemList')} className="flex flex-col gap-3">
              {view.form.items.map((item, index) => (
                <ItemCard
                  key={item.id}
                  form={view.form}
                  item={item}
                  index={index}
                  run={runItems}
                  purpose="survey"
                />
              ))}
            </ol>
          )}
        </Section>
        <Section title={t('forms.addSection')}>
          <AddItemForm formId={view.form.id} run={runItems} purpose="survey" />
        </Section>
        <Section title={t('surveys.editor.previewSection')} description={t('surveys.editor.previewLead')}>
          <FormPreview items={view.form.items} />
        </Section>
      </div>
      <ConfirmDialog
        open={deleting}
        title={t('surveys.editor.deleteTitle', { title: view.title })}
        message={t('surveys.editor.deleteBody')}
        confirmLabel={t('surveys.editor.delete')}
        confirmVariant="danger"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await surveysApi.remove(view.id);
          setFlash(t('surveys.editor.deleted', { title: view.title }));
          navigate('/surveys');
        }}
      />
    </>
  );
}
