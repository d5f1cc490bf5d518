import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Button } from '../components/Button.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { ErrorSummary, focusFirstError } from '../components/form/ErrorSummary.tsx';
import { FormFields } from '../components/form/FormFields.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { checkDrafts } from '../form/checks.ts';
import { changedAnswers, type Drafts, draftsOf, shownItems } from '../form/draft.ts';
import { problemText } from '../form/messages.ts';
import { isMessageKey, type TFunction, useI18n } from '../i18n/i18n.tsx';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import { type Registration, type RegistrationItem, registrationApi } from '../registration/api.ts';
import { homeHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';

type Loaded = { registration: Registration; initial: Drafts };

/** The chosen labels, the year or the text of an answer, for the confirmation. */
function answerText(t: TFunction, item: RegistrationItem, registration: Registration): string {
  const answer = registration.answers[item.key];
  const label = (id: string | null | undefined) => item.choices.find((c) => c.id === id)?.label;
  if (answer === undefined || answer === null) return t('register.noAnswer');
  if (Array.isArray(answer)) return answer.map(label).filter(Boolean).join(t('register.separator'));
  if (typeof answer === 'object') return [label(answer.ward), label(answer.town)].filter(Boolean).join(' ');
  if (typeof answer === 'number') return t('register.yearValue', { year: answer });
  return item.type === 'single' || item.type === 'select' ? (label(answer) ?? '') : answer;
}

/**
 * `/citizen/register`: the citizen's registration (受信設定, G-01 … G-03), opened from LINE (the
 * follow greeting's button or the home page). Shows the current answers, saves only what changed,
 * and confirms in Japanese what is now registered.
 */
export function RegistrationPage({ channelId, liff }: { channelId: string | null; liff: Liff | null }) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);

  const accept = (registration: Registration) => {
    const initial = draftsOf(registration.form?.items ?? [], registration.answers);
    setLoaded({ registration, initial });
    setDrafts(initial);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    registrationApi.get().then(
      (r) => active && accept(r),
      (err: unknown) => {
        console.error('Could not load the registration', err);
        if (active) setLoadError(err instanceof ApiError ? err.code : 'UNKNOWN');
      },
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  const registered = loaded?.registration.registered ?? false;
  const title = saved ? t('register.savedTitle') : t(registered ? 'register.titleEdit' : 'register.titleNew');
  useDocumentTitle(title);
  useEffect(() => {
    if (saved) doneRef.current?.focus();
  }, [saved]);

  if (loadError) {
    const key = `error.${loadError}`;
    return (
      <ErrorView
        heading={t('error.title')}
        message={t(isMessageKey(key) ? key : 'error.UNKNOWN')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  }
  if (!loaded) return <StatusView message={t('status.loading')} />;

  const { registration } = loaded;
  const form = registration.form;
  const back = (
    <p className="pt-4">
      <Link
        href={homeHref(channelId)}
        className="inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
      >
        {t('register.back')}
      </Link>
    </p>
  );

  if (!form) {
    return (
      <>
        {back}
        <div className="flex flex-col gap-4 py-6">
          <h1 className="text-std-24B-150 text-solid-gray-900">{t('register.titleNew')}</h1>
          <p className="text-std-17N-170">{t('register.notReady')}</p>
        </div>
      </>
    );
  }

  if (saved) {
    return (
      <section aria-labelledby="register-done" className="flex flex-col gap-5 py-6">
        <div
          role="status"
          className="flex flex-col gap-3 rounded-12 border-2 border-success-1 bg-green-50 p-4"
        >
          <h1 id="register-done" ref={doneRef} tabIndex={-1} className="text-std-24B-150 text-solid-gray-900">
            {t('register.savedTitle')}
          </h1>
          <p className="text-std-17N-170">{t('register.savedBody')}</p>
        </div>
        <h2 className="text-std-20B-160 text-solid-gray-900">{t('register.summary')}</h2>
        <dl className="flex flex-col divide-y divide-solid-gray-200 border-y border-solid-gray-200">
          {shownItems(form.items, loaded.initial)
            .filter((i) => i.type !== 'description')
            .map((item) => (
              <div key={item.key} className="flex flex-col gap-1 py-3">
                <dt className="text-std-16B-170 text-solid-gray-800">{item.label}</dt>
                <dd className="text-std-17N-170 text-solid-gray-900">{answerText(t, item, registration)}</dd>
              </div>
            ))}
        </dl>
        <Button variant="secondary" onClick={() => setSaved(false)}>
          {t('register.edit')}
        </Button>
        {liff && isInLineClient(liff) && (
          <Button onClick={() => liff.closeWindow()}>{t('register.close')}</Button>
        )}
      </section>
    );
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problems = checkDrafts(form.items, drafts);
    const next = Object.fromEntries(
      form.items.flatMap((i) => (problems[i.key] ? [[i.key, problemText(t, i, problems[i.key]!)]] : [])),
    );
    setErrors(next);
    const count = Object.keys(next).length;
    setFormError(count > 0 ? t('form.errorSummary', { count }) : null);
    if (count > 0) {
      focusFirstError(formRef.current);
      return;
    }
    const answers = changedAnswers(form.items, loaded.initial, drafts);
    if (registered && Object.keys(answers).length === 0) {
      setSaved(true);
      return;
    }
    setBusy(true);
    try {
      accept(await registrationApi.save(answers));
      setSaved(true);
      window.scrollTo(0, 0);
    } catch (err) {
      console.error('Could not save the registration', err);
      const fieldErrors: Record<string, string> = {};
      if (err instanceof ApiError && err.code === 'FORM_ANSWER_INVALID') {
        // The server's own check (e.g. the form changed meanwhile): its message per item.
        for (const d of err.details) fieldErrors[d.path.replace(/^answers\./, '')] = d.message;
      }
      setErrors(fieldErrors);
      const key = err instanceof ApiError ? `error.${err.code}` : 'error.UNKNOWN';
      setFormError(
        err instanceof ApiError && err.code === 'FORM_ANSWER_INVALID'
          ? err.message
          : t(isMessageKey(key) ? key : 'error.UNKNOWN'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {back}
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-7 pt-2 pb-6">
        <div className="flex flex-col gap-3">
          <h1 className="text-std-24B-150 text-solid-gray-900">{title}</h1>
          <p className="text-std-17N-170">{form.description || t('register.lead')}</p>
          <p className="text-std-16N-170 text-solid-gray-700">{t('register.leadRequired')}</p>
        </div>
        {!registration.isFriend && (
          <p className="rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 px-3 py-2 text-std-16N-170 text-solid-gray-900">
            {t('register.notFriend')}
          </p>
        )}
        {formError && (
          <ErrorSummary
            message={formError}
            errors={shownItems(form.items, drafts).flatMap((i) =>
              errors[i.key] ? [{ key: i.key, label: i.label, message: errors[i.key]! }] : [],
            )}
          />
        )}
        <FormFields items={form.items} drafts={drafts} setDrafts={setDrafts} errors={errors} />
        <Button type="submit" disabled={busy || !registration.isFriend}>
          {busy ? t('register.saving') : t(registered ? 'register.submitEdit' : 'register.submitNew')}
        </Button>
      </form>
    </>
  );
}
