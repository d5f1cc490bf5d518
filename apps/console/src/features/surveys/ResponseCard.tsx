import { type Answers, fileSizeText } from '@madoguchi/contracts/forms.ts';
import { RESPONSE_STATUSES, type ResponseStatus } from '@madoguchi/contracts/surveys.ts';
import { useId, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useApi } from '../../lib/useApi.ts';
import { formatJst } from '../deliveries/time.ts';
import { StaffItemsForm } from '../forms/StaffItemsForm.tsx';
import { answerText } from './answerText.ts';
import {
  changesPath,
  type ResponseChangeView,
  type ResponseView,
  type SurveyView,
  surveysApi,
} from './api.ts';

const statusKey = (s: ResponseStatus) => `surveys.response.${s}` as MessageKey;

/** One answer: who and when, the answers, 対応状況 (saved at once), 管理項目 and 変更履歴. */
export function ResponseCard({
  view,
  response,
  onSaved,
}: {
  view: SurveyView;
  response: ResponseView;
  onSaved: (updated: ResponseView) => void;
}) {
  const t = useT();
  const headingId = useId();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const items = view.form.items.filter((i) => i.type !== 'description');
  const answered = items.filter((i) => !i.config.staffOnly);
  const staffItems = items.filter((i) => i.config.staffOnly && !i.retired);

  async function save(body: { status?: ResponseStatus; staffAnswers?: Answers }, done: string) {
    setMessage('');
    setError(null);
    try {
      onSaved(await surveysApi.updateResponse(view.id, response.id, body));
      setMessage(done);
      return null;
    } catch (err) {
      setError(errorMessage(t, err));
      return err;
    }
  }

  return (
    <li
      aria-labelledby={headingId}
      className="flex flex-col gap-4 rounded-12 border border-solid-gray-420 bg-white p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h3 id={headingId} className="text-std-17B-170 text-solid-gray-900">
            {t('surveys.responses.heading', {
              who: response.respondent ?? t('surveys.responses.anonymous'),
              at: formatJst(response.submittedAt),
            })}
          </h3>
          {response.updatedAt !== response.submittedAt && (
            <p className="text-dns-14N-130 text-solid-gray-700">
              {t('surveys.responses.updatedAt', { at: formatJst(response.updatedAt) })}
            </p>
          )}
        </div>
        <Select
          label={t('surveys.responses.status')}
          value={response.status}
          onChange={(v) =>
            void save(
              { status: v as ResponseStatus },
              t('surveys.responses.statusSaved', { status: t(statusKey(v as ResponseStatus)) }),
            )
          }
          options={RESPONSE_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
          className="w-44"
        />
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-std-16N-170 md:grid-cols-[minmax(10rem,auto)_1fr]">
        {answered.map((item) => {
          const files = item.type === 'file' ? response.files.filter((f) => f.itemKey === item.key) : [];
          const text = item.type === 'file' ? '' : answerText(item, response.answers[item.key]);
          return (
            <div key={item.id} className="contents">
              <dt className="font-bold">{item.label}</dt>
              <dd className="whitespace-pre-wrap break-words">
                {files.length > 0 ? (
                  <ul className="flex flex-col gap-1">
                    {files.map((f) => (
                      <li key={f.id}>
                        <a
                          href={f.url}
                          download={f.name}
                          className="text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
                        >
                          {t('surveys.responses.fileDownload', { name: f.name, size: fileSizeText(f.bytes) })}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : (
                  text || <span className="text-solid-gray-600">{t('surveys.responses.noAnswer')}</span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {staffItems.length > 0 && <StaffItemsForm items={staffItems} answers={response.answers} save={save} />}
      <p aria-live="polite" className="text-dns-14N-130 text-success-2 empty:hidden">
        {error ? '' : message}
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      <div>
        <Button
          size="sm"
          variant="tertiary"
          aria-expanded={historyOpen}
          onClick={() => setHistoryOpen((o) => !o)}
        >
          {historyOpen ? t('surveys.responses.hideHistory') : t('surveys.responses.history')}
        </Button>
        {historyOpen && <History surveyId={view.id} responseId={response.id} key={response.updatedAt} />}
      </div>
    </li>
  );
}

/** 変更履歴: who changed the state or the staff-only items, and when. */
function History({ surveyId, responseId }: { surveyId: string; responseId: string }) {
  const t = useT();
  const changes = useApi<ResponseChangeView[]>(changesPath(surveyId, responseId));
  const value = (c: ResponseChangeView, v: string) =>
    c.field === 'status' && (RESPONSE_STATUSES as readonly string[]).includes(v)
      ? t(statusKey(v as ResponseStatus))
      : v;
  return (
    <div className="mt-2 flex flex-col gap-2">
      {changes.error !== null && <LoadError error={changes.error} onRetry={() => void changes.reload()} />}
      {changes.loading && !changes.data && <Loading />}
      {changes.data?.length === 0 && (
        <p className="text-std-16N-170 text-solid-gray-700">{t('surveys.responses.noHistory')}</p>
      )}
      {changes.data && changes.data.length > 0 && (
        <ol aria-label={t('surveys.responses.history')} className="flex flex-col gap-1 text-std-16N-170">
          {changes.data.map((c) => (
            <li key={`${c.at}-${c.field}-${c.from}-${c.to}`}>
              {t(c.field === 'status' ? 'surveys.responses.changeStatus' : 'surveys.responses.changeStaff', {
                at: formatJst(c.at),
                staff: c.staff ?? t('common.none'),
                from: value(c, c.from) || t('common.none'),
                to: value(c, c.to) || t('common.none'),
              })}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
