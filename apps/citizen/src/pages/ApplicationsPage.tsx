import { useEffect, useState } from 'react';
import { errorText } from '../api/error-text.ts';
import {
  applicationsApi,
  type CitizenApplicationSummary,
  type PublicProcedure,
} from '../applications/api.ts';
import { Button } from '../components/Button.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { type Locale, useI18n } from '../i18n/i18n.tsx';
import { tokyoTimeText } from '../i18n/tokyo-time.ts';
import { applicationHref, homeHref, navigate } from '../router.ts';
import { useDocumentTitle } from '../site.ts';

const linkClass =
  'inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2';

export const procedureName = (p: { nameJa: string; nameEn: string }, locale: Locale) =>
  locale === 'en' && p.nameEn ? p.nameEn : p.nameJa;

const newRequestKey = () => crypto.randomUUID().replaceAll('-', '');

/**
 * `/citizen/applications` (スマホ市役所, A-03): the procedures the city takes online, each with its fee
 * and whether a My Number card check is needed, and 「申請の一覧」 with each application's status.
 * 「この手続を申請する」 starts an application (a double tap starts one: the request key).
 */
export function ApplicationsPage({
  channelId,
  procedureId,
}: {
  channelId: string | null;
  procedureId: string | null;
}) {
  const { t, locale } = useI18n();
  const [procedures, setProcedures] = useState<PublicProcedure[] | null>(null);
  const [mine, setMine] = useState<CitizenApplicationSummary[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [requestKey] = useState(newRequestKey);
  useDocumentTitle(t('application.listTitle'));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the requests.
  useEffect(() => {
    let active = true;
    setLoadError(null);
    Promise.all([applicationsApi.procedures(), applicationsApi.mine()]).then(
      ([p, m]) => {
        if (!active) return;
        setProcedures(p);
        setMine(m);
      },
      (err: unknown) => {
        console.error('Could not load the procedures', err);
        if (active) setLoadError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [attempt]);

  if (loadError)
    return (
      <ErrorView
        heading={t('error.title')}
        message={errorText(t, loadError)}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  if (!procedures || !mine) return <StatusView message={t('status.loading')} />;

  const start = async (p: PublicProcedure) => {
    if (starting) return;
    setStarting(p.id);
    setStartError(null);
    try {
      const made = await applicationsApi.start(p.id, `${requestKey}${p.id.slice(0, 8)}`);
      navigate(applicationHref(made.id, channelId));
    } catch (err) {
      console.error('Could not start the application', err);
      setStartError(errorText(t, err));
      setStarting(null);
    }
  };
  const shown = procedureId ? procedures.filter((p) => p.id === procedureId) : procedures;
  const list = shown.length > 0 ? shown : procedures;

  return (
    <>
      <p className="pt-4">
        <Link href={homeHref(channelId)} className={linkClass}>
          {t('application.back')}
        </Link>
      </p>
      <div className="flex flex-col gap-8 pt-2 pb-6">
        <div className="flex flex-col gap-3">
          <h1 className="text-std-24B-150 text-solid-gray-900">{t('application.listTitle')}</h1>
          <p className="text-std-17N-170">
            {list.length > 0 ? t('application.listLead') : t('application.none')}
          </p>
        </div>
        {startError && (
          <p
            role="alert"
            className="rounded-8 border-2 border-error-1 bg-red-50 p-4 text-std-17N-170 text-solid-gray-900"
          >
            {startError}
          </p>
        )}
        <ul className="flex flex-col gap-4">
          {list.map((p) => (
            <li key={p.id}>
              <section
                aria-labelledby={`procedure-${p.id}`}
                className="flex flex-col gap-3 rounded-12 border-2 border-solid-gray-300 bg-white p-4"
              >
                <h2 id={`procedure-${p.id}`} className="text-std-20B-160 text-solid-gray-900">
                  {procedureName(p, locale)}
                </h2>
                {p.description && <p className="whitespace-pre-line text-std-16N-170">{p.description}</p>}
                <ul className="flex list-disc flex-col gap-1 pl-6 text-std-16N-170 text-solid-gray-800">
                  <li>
                    {p.unitFee > 0
                      ? t('application.fee', { amount: p.unitFee.toLocaleString(locale) })
                      : t('application.feeFree')}
                  </li>
                  {p.identityLevel !== 'none' && <li>{t('application.identityNeeded')}</li>}
                </ul>
                <Button
                  onClick={() => void start(p)}
                  disabled={starting !== null}
                  aria-describedby={`procedure-${p.id}`}
                >
                  {starting === p.id ? t('application.starting') : t('application.start')}
                </Button>
              </section>
            </li>
          ))}
        </ul>
        <section aria-labelledby="my-applications" className="flex flex-col gap-3">
          <h2 id="my-applications" className="text-std-20B-160 text-solid-gray-900">
            {t('application.mineHeading')}
          </h2>
          {mine.length === 0 ? (
            <p className="text-std-16N-170">{t('application.mineNone')}</p>
          ) : (
            <ul className="flex flex-col gap-3">
              {mine.map((a) => (
                <li key={a.id}>
                  <Link
                    href={applicationHref(a.id, channelId)}
                    className="flex min-h-12 flex-col gap-1 rounded-12 border-2 border-blue-900 bg-white p-4 text-blue-1000 hover:bg-blue-50"
                  >
                    <span className="text-std-18B-160 underline underline-offset-[3px]">{a.procedure}</span>
                    <span className="text-std-16N-170 text-solid-gray-800">
                      {t('application.statusLabel')}：{t(`application.status.${a.status}`)}
                    </span>
                    <span className="text-std-16N-170 text-solid-gray-800">
                      {t('application.number')}：{a.number}
                      {a.submittedAt
                        ? `　${t('application.submittedAt')}：${tokyoTimeText(a.submittedAt, locale, {
                            year: 'numeric',
                            month: 'long',
                            day: 'numeric',
                          })}`
                        : ''}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
