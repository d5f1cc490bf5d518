import type { Answers } from '@madoguchi/contracts/forms.ts';
import {
  type Dispatch,
  type FormEvent,
  type ReactNode,
  type SetStateAction,
  useEffect,
  useRef,
  useState,
} from 'react';
import { ApiError } from '../api/client.ts';
import { errorText } from '../api/error-text.ts';
import { Button } from '../components/Button.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { ErrorSummary, type FieldError, focusFirstError } from '../components/form/ErrorSummary.tsx';
import { type FileUploads, FileUploadsContext } from '../components/form/FileField.tsx';
import { FormFields } from '../components/form/FormFields.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { answersOf, type Drafts, draftsOf } from '../form/draft.ts';
import { draftErrors, serverFieldErrors, summaryErrors } from '../form/errors.ts';
import { type Locale, type TFunction, useI18n } from '../i18n/i18n.tsx';
import { tokyoTimeText } from '../i18n/tokyo-time.ts';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import { homeHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';
import {
  type PublicSurvey,
  type SurveyAnswerAccepted,
  type SurveyFileAccepted,
  surveysApi,
} from '../surveys/api.ts';
import { clearDraft, loadDraft, type PendingSend, requestKeyFor, saveDraft } from '../surveys/saved-draft.ts';

const timeText = (iso: string, locale: Locale): string =>
  tokyoTimeText(iso, locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function periodText(t: TFunction, survey: PublicSurvey, locale: Locale): string {
  const from = survey.opensAt ? timeText(survey.opensAt, locale) : null;
  const to = survey.closesAt ? timeText(survey.closesAt, locale) : null;
  if (from && to) return t('survey.period', { from, to });
  if (from) return t('survey.periodFrom', { from });
  if (to) return t('survey.periodUntil', { to });
  return t('survey.periodNone');
}

/** The drafts to start from: the citizen's current answer, and over it what this tab kept. */
function startingDrafts(survey: PublicSurvey, saved: Drafts | null): Drafts {
  const initial = draftsOf(survey.form.items, survey.answers ?? {});
  if (!saved) return initial;
  const keys = new Set(survey.form.items.map((i) => i.key));
  return { ...initial, ...Object.fromEntries(Object.entries(saved).filter(([k]) => keys.has(k))) };
}

/**
 * `/citizen/surveys/:id`: a survey or public comment (Q-01 … Q-05), opened from LINE. Shows what it
 * is about (description, period, the document, published results) and, while it is open, the form;
 * sends the answers once however often a failed send is retried, then thanks the citizen (in
 * overwrite mode with "回答を変更する").
 */
export function SurveyPage({
  surveyId,
  channelId,
  liff,
}: {
  surveyId: string;
  channelId: string | null;
  liff: Liff | null;
}) {
  const { t, locale } = useI18n();
  const [survey, setSurvey] = useState<PublicSurvey | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [drafts, setDraftsState] = useState<Drafts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ message: string; errors: FieldError[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [accepted, setAccepted] = useState<SurveyAnswerAccepted | null>(null);
  const pending = useRef<PendingSend | null>(null);
  const edited = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  // File items: the files by ID (the answer's and those uploaded here), to list them by name.
  const [knownFiles, setKnownFiles] = useState<Record<string, SurveyFileAccepted>>({});
  const uploads: FileUploads = {
    upload: (file) => surveysApi.uploadFile(surveyId, file),
    known: knownFiles,
    remember: (f) => setKnownFiles((k) => ({ ...k, [f.fileId]: f })),
    // The server deletes only an upload no answer took (a sent answer's file goes when the answer is
    // sent without it: its 404 is expected); the draft drops the file either way.
    discard: (fileId) => void surveysApi.discardFile(surveyId, fileId).catch(() => undefined),
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    surveysApi.get(surveyId).then(
      (s) => {
        if (!active) return;
        const saved = loadDraft(surveyId);
        pending.current = saved?.pending ?? null;
        edited.current = saved !== null;
        setDraftsState(startingDrafts(s, saved?.drafts ?? null));
        setKnownFiles((k) => ({ ...k, ...Object.fromEntries(s.answerFiles.map((f) => [f.fileId, f])) }));
        setSurvey(s);
      },
      (err: unknown) => {
        console.error('Could not load the survey', err);
        if (active) setLoadError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [surveyId, attempt]);

  // What the citizen typed survives a reload of this tab (sessionStorage), until it is sent.
  useEffect(() => {
    if (survey && !accepted && edited.current) saveDraft(surveyId, { drafts, pending: pending.current });
  }, [survey, accepted, drafts, surveyId]);

  const setDrafts: Dispatch<SetStateAction<Drafts>> = (update) => {
    edited.current = true;
    setDraftsState(update);
  };

  const title = accepted ? t('survey.thanksTitle') : (survey?.title ?? t('status.loading'));
  useDocumentTitle(title);
  useEffect(() => {
    if (accepted) doneRef.current?.focus();
  }, [accepted]);

  if (loadError) {
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  }
  if (!survey) return <StatusView message={t('status.loading')} />;

  const form = survey.form;
  const kind = t(`survey.kind.${survey.kind}`);
  const canClose = isInLineClient(liff);
  const back = (
    <p className="pt-4">
      <Link
        href={homeHref(channelId)}
        className="inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
      >
        {t('survey.back')}
      </Link>
    </p>
  );

  if (accepted) {
    return (
      <section aria-labelledby="survey-done" className="flex flex-col gap-5 py-6">
        <div
          role="status"
          className="flex flex-col gap-3 rounded-12 border-2 border-success-1 bg-green-50 p-4"
        >
          <h1 id="survey-done" ref={doneRef} tabIndex={-1} className="text-std-24B-150 text-solid-gray-900">
            {t('survey.thanksTitle')}
          </h1>
          <p className="text-std-17N-170">{survey.title}</p>
          <p className="text-std-17N-170">{t('survey.thanksBody')}</p>
          <p className="text-std-16N-170 text-solid-gray-700">
            {t('survey.thanksAt', { at: timeText(accepted.submittedAt, locale) })}
          </p>
          {survey.mode === 'overwrite' && (
            <p className="text-std-16N-170 text-solid-gray-700">{t('survey.thanksOverwrite')}</p>
          )}
        </div>
        {survey.mode === 'overwrite' && (
          <Button
            variant="secondary"
            onClick={() => {
              setErrors({});
              setSummary(null);
              setAccepted(null);
              window.scrollTo(0, 0);
            }}
          >
            {t('survey.change')}
          </Button>
        )}
        {liff && canClose && <Button onClick={() => liff.closeWindow()}>{t('survey.close')}</Button>}
        {back}
      </section>
    );
  }

  const about = (
    <div className="flex flex-col gap-4">
      <p className="text-std-16B-170 text-solid-gray-700">{kind}</p>
      <h1 className="-mt-3 text-std-24B-150 text-solid-gray-900">{survey.title}</h1>
      {survey.description && <p className="whitespace-pre-line text-std-17N-170">{survey.description}</p>}
      <dl className="flex flex-col gap-1">
        <dt className="text-std-16B-170 text-solid-gray-800">{t('survey.periodHeading')}</dt>
        <dd className="text-std-17N-170 text-solid-gray-900">{periodText(t, survey, locale)}</dd>
      </dl>
      {survey.documentUrl && (
        <section aria-labelledby="survey-document" className="flex flex-col gap-1">
          <h2 id="survey-document" className="text-std-18B-160 text-solid-gray-900">
            {t('survey.documentHeading')}
          </h2>
          <p>
            <a
              href={survey.documentUrl}
              target="_blank"
              rel="noopener"
              aria-describedby="survey-document-note"
              className="inline-flex min-h-11 items-center text-std-17N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
            >
              {t('survey.document')}
            </a>
          </p>
          <p id="survey-document-note" className="text-std-16N-170 text-solid-gray-700">
            {t('survey.documentNote')}
          </p>
        </section>
      )}
      {survey.resultsSummary && (
        <section
          aria-labelledby="survey-results"
          className="flex flex-col gap-2 rounded-12 border border-solid-gray-300 bg-solid-gray-50 p-4"
        >
          <h2 id="survey-results" className="text-std-20B-160 text-solid-gray-900">
            {t(`survey.resultsHeading.${survey.kind}`)}
          </h2>
          <p className="whitespace-pre-line text-std-17N-170">{survey.resultsSummary}</p>
        </section>
      )}
    </div>
  );

  if (survey.availability !== 'open') {
    const from = survey.opensAt ? timeText(survey.opensAt, locale) : null;
    const [heading, body] =
      survey.availability === 'not_open'
        ? [
            t('survey.notOpen.title'),
            from ? t('survey.notOpen.bodyFrom', { kind, from }) : t('survey.notOpen.body', { kind }),
          ]
        : survey.availability === 'closed'
          ? [t('survey.closed.title'), t('survey.closed.body', { kind })]
          : [t('survey.notInAudience.title'), t('survey.notInAudience.body', { kind })];
    return (
      <>
        {back}
        <div className="flex flex-col gap-6 pt-2 pb-6">
          {about}
          <div
            data-testid="survey-unavailable"
            className="flex flex-col gap-2 rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-4"
          >
            <h2 className="text-std-20B-160 text-solid-gray-900">{heading}</h2>
            <p className="text-std-17N-170 text-solid-gray-900">{body}</p>
          </div>
          {liff && canClose && <Button onClick={() => liff.closeWindow()}>{t('survey.close')}</Button>}
        </div>
      </>
    );
  }

  const showSummary = (message: string, fieldErrors: Record<string, string>) => {
    setErrors(fieldErrors);
    setSummary({ message, errors: summaryErrors(form.items, drafts, fieldErrors) });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = draftErrors(t, form.items, drafts);
    const count = Object.keys(found).length;
    if (count > 0) {
      showSummary(t('form.errorSummary', { count }), found);
      focusFirstError(formRef.current);
      return;
    }
    const answers: Answers = answersOf(form.items, drafts);
    // The same answers sent again (after a failure) keep their request key: counted once.
    const send = requestKeyFor(pending.current, JSON.stringify(answers));
    pending.current = send;
    edited.current = true;
    saveDraft(surveyId, { drafts, pending: send });
    setBusy(true);
    try {
      const result = await surveysApi.answer(surveyId, answers, send.requestKey);
      pending.current = null;
      edited.current = false;
      clearDraft(surveyId);
      setErrors({});
      setSummary(null);
      setSurvey({
        ...survey,
        answers: survey.mode === 'overwrite' ? answers : null,
        answeredAt: result.submittedAt,
      });
      setAccepted(result);
      window.scrollTo(0, 0);
    } catch (err) {
      console.error('Could not send the answers', err);
      const fieldErrors = serverFieldErrors(err);
      const n = Object.keys(fieldErrors).length;
      const message =
        n > 0
          ? t('form.errorSummary', { count: n })
          : err instanceof ApiError && err.code === 'NETWORK'
            ? t('survey.sendFailedNetwork')
            : errorText(t, err);
      showSummary(message, fieldErrors);
      if (n > 0) focusFirstError(formRef.current);
      else requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  const notes: ReactNode[] = [
    survey.anonymous ? t('survey.anonymous') : null,
    survey.mode === 'overwrite' ? t('survey.overwrite') : null,
    survey.answeredAt && survey.answers
      ? t('survey.answeredAt', { at: timeText(survey.answeredAt, locale) })
      : null,
  ].filter(Boolean);

  return (
    <>
      {back}
      <div className="flex flex-col gap-7 pt-2 pb-6">
        {about}
        <form
          ref={formRef}
          noValidate
          onSubmit={onSubmit}
          aria-labelledby="survey-form-heading"
          className="flex flex-col gap-7"
        >
          <div className="flex flex-col gap-2">
            <h2 id="survey-form-heading" className="text-std-20B-160 text-solid-gray-900">
              {t('survey.formHeading')}
            </h2>
            {notes.map((text) => (
              <p key={String(text)} className="text-std-16N-170 text-solid-gray-700">
                {text}
              </p>
            ))}
            <p className="text-std-16N-170 text-solid-gray-700">{t('survey.leadRequired')}</p>
          </div>
          {summary && (
            <div ref={summaryRef} tabIndex={-1} className="outline-offset-4">
              <ErrorSummary message={summary.message} errors={summary.errors} />
            </div>
          )}
          <FileUploadsContext value={uploads}>
            <FormFields items={form.items} drafts={drafts} setDrafts={setDrafts} errors={errors} />
          </FileUploadsContext>
          <Button type="submit" disabled={busy}>
            {busy ? t('survey.sending') : t('survey.submit')}
          </Button>
        </form>
        {liff && canClose && (
          <Button variant="secondary" onClick={() => liff.closeWindow()}>
            {t('survey.close')}
          </Button>
        )}
      </div>
    </>
  );
}
