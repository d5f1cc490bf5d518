import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/error-text.ts';
import { applicationsApi, type CitizenApplicationView, type NextStep } from '../applications/api.ts';
import { Button } from '../components/Button.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { ErrorSummary, type FieldError, focusFirstError } from '../components/form/ErrorSummary.tsx';
import { FormFields } from '../components/form/FormFields.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { draftText } from '../form/answer-text.ts';
import { answersOf, type Drafts, draftsOf, shownItems } from '../form/draft.ts';
import { draftErrors, serverFieldErrors, summaryErrors } from '../form/errors.ts';
import { isMessageKey, type TFunction, useI18n } from '../i18n/i18n.tsx';
import type { Liff } from '../liff/liff-types.ts';
import { isInLineClient } from '../liff/load-liff.ts';
import { applicationHref, applicationsHref, navigate } from '../router.ts';
import { useDocumentTitle } from '../site.ts';
import { procedureName } from './ApplicationsPage.tsx';

const linkClass =
  'inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2';
const boxClass = 'flex flex-col gap-2 rounded-8 border border-solid-gray-300 bg-solid-gray-50 p-4';

type StepName = 'identity' | 'form' | 'confirm' | 'pay' | 'done';

/** The steps of this procedure and where the citizen is. */
function Steps({ steps, current }: { steps: StepName[]; current: StepName }) {
  const { t } = useI18n();
  const n = steps.indexOf(current) + 1;
  return (
    <nav aria-label={t('application.steps')}>
      <p className="text-std-16B-170 text-solid-gray-700">
        {t('application.stepOf', { n, total: steps.length, name: t(`application.step.${current}`) })}
      </p>
      <ol className="mt-2 flex flex-wrap gap-2">
        {steps.map((s, i) => (
          <li
            key={s}
            aria-current={s === current ? 'step' : undefined}
            className={`rounded-full border px-3 py-1 text-std-16N-170 ${
              s === current
                ? 'border-blue-900 bg-blue-900 text-white'
                : i < n - 1
                  ? 'border-blue-900 bg-white text-blue-1000'
                  : 'border-solid-gray-400 bg-white text-solid-gray-700'
            }`}
          >
            {t(`application.step.${s}`)}
          </li>
        ))}
      </ol>
    </nav>
  );
}

function identityErrorText(t: TFunction, status: string | null, code: string | null): string {
  if (status === 'canceled') return t('application.identityCanceled');
  const key = `application.identityError.${code ?? ''}`;
  return isMessageKey(key) ? t(key) : t('application.identityFailed');
}

const yen = (t: TFunction, amount: number) =>
  t('application.yen', { amount: amount.toLocaleString('ja-JP') });

function FeeBox({ app }: { app: CitizenApplicationView }) {
  const { t } = useI18n();
  if (!app.fee) return null;
  return (
    <section aria-labelledby="fee-heading" className={boxClass}>
      <h2 id="fee-heading" className="text-std-18B-160 text-solid-gray-900">
        {t('application.feeHeading')}
      </h2>
      <ul className="flex flex-col gap-1">
        {app.fee.lines.map((l) => (
          <li key={l.label} className="text-std-16N-170">
            {t('application.feeLine', {
              label: l.label,
              unit: l.unitAmount.toLocaleString('ja-JP'),
              quantity: l.quantity,
            })}
            {' = '}
            {yen(t, l.unitAmount * l.quantity)}
          </li>
        ))}
      </ul>
      <p className="text-std-18B-160" data-testid="fee-total">
        {t('application.feeTotal')}：{yen(t, app.fee.total)}
      </p>
      <p className="text-std-16N-170 text-solid-gray-700">{t('application.feeNote')}</p>
    </section>
  );
}

/** The verified attributes, shown to the citizen here only (never sent to LINE). */
function IdentityBox({ app }: { app: CitizenApplicationView }) {
  const { t } = useI18n();
  if (!app.identity) return null;
  const rows = [
    ['name', app.identity.name],
    ['address', app.identity.address],
    ['birthdate', app.identity.birthdate],
    ['gender', app.identity.gender],
  ] as const;
  return (
    <section aria-labelledby="identity-heading" className={boxClass}>
      <h2 id="identity-heading" className="text-std-18B-160 text-solid-gray-900">
        {t('application.identityResultHeading')}
      </h2>
      <dl className="flex flex-col gap-1">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt className="text-std-16B-170 text-solid-gray-800">{t(`application.identity.${k}`)}</dt>
            <dd className="text-std-17N-170">{v}</dd>
          </div>
        ))}
      </dl>
      <p className="text-std-16N-170 text-solid-gray-700">{t('application.identityResultNote')}</p>
    </section>
  );
}

/**
 * `/citizen/applications/:id` (A-01 … A-03): one application, step by step — the identity check at
 * the provider (back here with `?identity=…&identityStatus=…`, checked by the server), the form, the
 * confirmation with the fee the server computed, the payment at the provider (back here: the server
 * asks the provider; 支払いを確認しています… until it is paid), then 受付 with the reference number.
 * After 差戻し the citizen corrects and sends again.
 */
export function ApplicationPage({
  applicationId,
  channelId,
  liff,
}: {
  applicationId: string;
  channelId: string | null;
  liff: Liff | null;
}) {
  const { t, locale } = useI18n();
  const [app, setApp] = useState<CitizenApplicationView | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [identityProblem, setIdentityProblem] = useState<string | null>(null);
  const [phase, setPhase] = useState<'form' | 'confirm'>('form');
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<{ message: string; errors: FieldError[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState<'checking' | 'slow' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the requests.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    const query = new URLSearchParams(window.location.search);
    const verificationId = query.get('identity');
    const identityStatus = query.get('identityStatus');
    const cameFromPayment = query.has('payment');
    // The provider's query is read once; the address bar keeps only the page.
    if (verificationId || identityStatus || cameFromPayment)
      navigate(applicationHref(applicationId, channelId), { replace: true });
    (async () => {
      let current = await applicationsApi.get(applicationId);
      if (current.status === 'draft' && verificationId && identityStatus === 'verified')
        current = await applicationsApi.identityResult(applicationId, verificationId);
      else if (current.status === 'draft' && identityStatus)
        setIdentityProblem(identityErrorText(t, identityStatus, query.get('identityError')));
      if (!active) return;
      setDrafts(draftsOf(current.procedure.form.items, current.answers ?? {}));
      setApp(current);
      if (current.status === 'payment') void waitForPayment();
    })().catch((err: unknown) => {
      console.error('Could not load the application', err);
      if (active) setLoadError(err);
    });
    return () => {
      active = false;
    };
  }, [applicationId, attempt]);

  /** The server asks the payment provider; a few tries, then "check later". */
  const waitForPayment = async () => {
    setChecking('checking');
    for (let i = 0; i < 20; i++) {
      try {
        const next = await applicationsApi.checkPayment(applicationId);
        setApp(next);
        if (
          next.status !== 'payment' ||
          next.paymentStatus === 'failed' ||
          next.paymentStatus === 'canceled'
        ) {
          setChecking(null);
          return;
        }
      } catch (err) {
        console.warn('Payment check failed; trying again', err);
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
    setChecking('slow');
  };

  const title = app ? procedureName(app.procedure, locale) : t('status.loading');
  useDocumentTitle(title);
  useEffect(() => {
    if (app && ['received', 'reviewing', 'shipped'].includes(app.status)) headingRef.current?.focus();
  }, [app]);

  if (loadError)
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  if (!app) return <StatusView message={t('status.loading')} />;

  const items = app.procedure.form.items;
  const steps: StepName[] = [
    ...(app.procedure.identityLevel !== 'none' ? (['identity'] as const) : []),
    'form',
    'confirm',
    ...(app.fee === null || app.fee.total > 0 ? (['pay'] as const) : []),
    'done',
  ];
  const back = (
    <p className="pt-4">
      <Link href={applicationsHref(channelId)} className={linkClass}>
        {t('application.backToList')}
      </Link>
    </p>
  );
  const closeButton = liff && isInLineClient(liff) && (
    <Button variant="secondary" onClick={() => liff.closeWindow()}>
      {t('application.close')}
    </Button>
  );
  const fail = (err: unknown) => {
    const fieldErrors = serverFieldErrors(err);
    const n = Object.keys(fieldErrors).length;
    setErrors(fieldErrors);
    setSummary({
      message: n > 0 ? t('form.errorSummary', { count: n }) : errorText(t, err),
      errors: summaryErrors(items, drafts, fieldErrors),
    });
    if (n > 0 && phase === 'form') focusFirstError(formRef.current);
    else requestAnimationFrame(() => summaryRef.current?.focus());
  };
  /**
   * One step to the server (start the identity check, send, pay again): the browser goes to the
   * provider's URL it answers, or the page shows where the application is now. One at a time.
   */
  const follow = async (step: () => Promise<NextStep>, what: string) => {
    if (busy) return;
    setBusy(true);
    setSummary(null);
    try {
      const next = await step();
      if (next.url) {
        window.location.assign(next.url);
        return;
      }
      setApp(next.application);
      setBusy(false);
    } catch (err) {
      console.error(what, err);
      fail(err);
      setBusy(false);
    }
  };
  const summaryBox = summary && (
    <div ref={summaryRef} tabIndex={-1} className="outline-offset-4">
      <ErrorSummary message={summary.message} errors={summary.errors} />
    </div>
  );
  const heading = (
    <div className="flex flex-col gap-3">
      <h1 className="text-std-24B-150 text-solid-gray-900">{procedureName(app.procedure, locale)}</h1>
      <p className="text-std-16N-170 text-solid-gray-700">
        {t('application.number')}：<span data-testid="application-number">{app.number}</span>
      </p>
    </div>
  );

  // ---- 本人確認 ----
  if (app.status === 'draft') {
    const goIdentity = () =>
      follow(() => applicationsApi.startIdentity(applicationId), 'Could not start the identity check');
    return (
      <>
        {back}
        <div className="flex flex-col gap-6 pt-2 pb-6">
          {heading}
          <Steps steps={steps} current="identity" />
          <section aria-labelledby="identity-step" className="flex flex-col gap-4">
            <h2 id="identity-step" className="text-std-20B-160 text-solid-gray-900">
              {t('application.identityHeading')}
            </h2>
            {identityProblem && (
              <p
                role="alert"
                className="rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
              >
                {identityProblem}
              </p>
            )}
            <p className="text-std-17N-170">{t('application.identityLead')}</p>
            {summaryBox}
            <Button onClick={() => void goIdentity()} disabled={busy}>
              {identityProblem ? t('application.identityRetry') : t('application.identityStart')}
            </Button>
          </section>
        </div>
      </>
    );
  }

  // ---- 支払い ----
  if (app.status === 'payment') {
    const failed = app.paymentStatus === 'failed' || app.paymentStatus === 'canceled';
    const payAgain = () => follow(() => applicationsApi.submit(applicationId), 'Could not start the payment');
    return (
      <>
        {back}
        <div className="flex flex-col gap-6 pt-2 pb-6">
          {heading}
          <Steps steps={steps} current="pay" />
          <FeeBox app={app} />
          {checking === 'checking' && !failed && <StatusView message={t('application.paymentChecking')} />}
          {checking === 'slow' && (
            <p role="status" className="text-std-17N-170">
              {t('application.paymentPending')}
            </p>
          )}
          {failed && (
            <p
              role="alert"
              className="rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
            >
              {t('application.paymentFailed')}
            </p>
          )}
          {summaryBox}
          {(failed || checking !== 'checking') && (
            <Button onClick={() => void payAgain()} disabled={busy}>
              {failed ? t('application.payAgain') : t('application.pay')}
            </Button>
          )}
        </div>
      </>
    );
  }

  // ---- 受付・審査中・発送済 ----
  if (app.status === 'received' || app.status === 'reviewing' || app.status === 'shipped') {
    return (
      <>
        {back}
        <div className="flex flex-col gap-6 pt-2 pb-6">
          <div
            role="status"
            className="flex flex-col gap-3 rounded-12 border-2 border-success-1 bg-green-50 p-4"
          >
            <h1 ref={headingRef} tabIndex={-1} className="text-std-24B-150 text-solid-gray-900">
              {t('application.doneHeading')}
            </h1>
            <p className="text-std-17N-170">{procedureName(app.procedure, locale)}</p>
            <dl className="flex flex-col gap-1">
              <dt className="text-std-16B-170 text-solid-gray-800">{t('application.number')}</dt>
              <dd className="text-std-20B-160" data-testid="application-number">
                {app.number}
              </dd>
              <dt className="text-std-16B-170 text-solid-gray-800">{t('application.statusLabel')}</dt>
              <dd className="text-std-17N-170" data-testid="application-status">
                {t(`application.status.${app.status}`)}
              </dd>
            </dl>
            <p className="text-std-17N-170">
              {app.status === 'shipped' ? t('application.shippedBody') : t('application.doneBody')}
            </p>
          </div>
          <FeeBox app={app} />
          {closeButton}
        </div>
      </>
    );
  }

  // ---- 却下 ----
  if (app.status === 'rejected') {
    return (
      <>
        {back}
        <div className="flex flex-col gap-6 pt-2 pb-6">
          {heading}
          <section
            aria-labelledby="rejected"
            className="flex flex-col gap-2 rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-4"
          >
            <h2 id="rejected" className="text-std-20B-160 text-solid-gray-900">
              {t('application.rejectedHeading')}
            </h2>
            <p className="text-std-17N-170">{t('application.rejectedBody')}</p>
            {app.reason && (
              <p className="whitespace-pre-line text-std-17N-170">
                {t('application.reason')}：{app.reason}
              </p>
            )}
            {app.paymentStatus === 'refunded' && (
              <p className="text-std-17B-170">{t('application.refunded')}</p>
            )}
          </section>
          {closeButton}
        </div>
      </>
    );
  }

  // ---- 入力・確認 (status identity, or returned: correct and send again) ----
  const returned = app.status === 'returned';
  const toConfirm = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = draftErrors(t, items, drafts);
    const count = Object.keys(found).length;
    if (count > 0) {
      setErrors(found);
      setSummary({ message: t('form.errorSummary', { count }), errors: summaryErrors(items, drafts, found) });
      focusFirstError(formRef.current);
      return;
    }
    setBusy(true);
    try {
      const saved = await applicationsApi.saveAnswers(applicationId, answersOf(items, drafts));
      setApp(saved);
      setErrors({});
      setSummary(null);
      setPhase('confirm');
      window.scrollTo(0, 0);
    } catch (err) {
      console.error('Could not save the answers', err);
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const send = () => follow(() => applicationsApi.submit(applicationId), 'Could not send the application');

  return (
    <>
      {back}
      <div className="flex flex-col gap-6 pt-2 pb-6">
        {heading}
        <Steps steps={steps} current={phase} />
        {returned && (
          <section
            aria-labelledby="returned"
            className="flex flex-col gap-2 rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-4"
          >
            <h2 id="returned" className="text-std-20B-160 text-solid-gray-900">
              {t('application.returnedHeading')}
            </h2>
            <p className="text-std-17N-170">{t('application.returnedBody')}</p>
            {app.reason && (
              <p className="whitespace-pre-line text-std-17N-170">
                {t('application.reason')}：{app.reason}
              </p>
            )}
          </section>
        )}
        <IdentityBox app={app} />
        {phase === 'form' ? (
          <form
            ref={formRef}
            noValidate
            onSubmit={toConfirm}
            aria-labelledby="application-form"
            className="flex flex-col gap-7"
          >
            <div className="flex flex-col gap-2">
              <h2 id="application-form" className="text-std-20B-160 text-solid-gray-900">
                {t('application.formHeading')}
              </h2>
              <p className="text-std-16N-170 text-solid-gray-700">{t('application.leadRequired')}</p>
            </div>
            {summaryBox}
            <FormFields items={items} drafts={drafts} setDrafts={setDrafts} errors={errors} />
            <Button type="submit" disabled={busy}>
              {busy ? t('application.saving') : t('application.toConfirm')}
            </Button>
          </form>
        ) : (
          <section aria-labelledby="confirm-heading" className="flex flex-col gap-5">
            <h2 id="confirm-heading" className="text-std-20B-160 text-solid-gray-900">
              {t('application.confirmHeading')}
            </h2>
            <dl className="flex flex-col gap-1 rounded-8 border border-solid-gray-300 p-4">
              {shownItems(items, drafts)
                .filter((i) => i.type !== 'description')
                .map((i) => (
                  <div key={i.key}>
                    <dt className="text-std-16B-170 text-solid-gray-800">{i.label}</dt>
                    <dd className="whitespace-pre-line text-std-17N-170">
                      {draftText(i, drafts[i.key]) ?? t('application.unanswered')}
                    </dd>
                  </div>
                ))}
            </dl>
            <FeeBox app={app} />
            {summaryBox}
            <Button onClick={() => void send()} disabled={busy}>
              {busy
                ? t('application.sending')
                : returned
                  ? t('application.submitAgain')
                  : app.fee && app.fee.total > 0
                    ? t('application.pay')
                    : t('application.submitFree')}
            </Button>
            <Button
              variant="secondary"
              disabled={busy}
              onClick={() => {
                setPhase('form');
                setSummary(null);
              }}
            >
              {t('application.edit')}
            </Button>
          </section>
        )}
      </div>
    </>
  );
}
