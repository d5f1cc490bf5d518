import type { Answers, AnswerValue, FormItemView } from '@madoguchi/contracts/forms.ts';
import { RESPONSE_STATUSES, type ResponseStatus } from '@madoguchi/contracts/surveys.ts';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Checkbox } from '../../components/Checkbox.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { useApi } from '../../lib/useApi.ts';
import { formatJst } from '../deliveries/time.ts';
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
          const text = answerText(item, response.answers[item.key]);
          return (
            <div key={item.id} className="contents">
              <dt className="font-bold">{item.label}</dt>
              <dd className="whitespace-pre-wrap break-words">
                {text || <span className="text-solid-gray-600">{t('surveys.responses.noAnswer')}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      {staffItems.length > 0 && <StaffItemsForm items={staffItems} response={response} save={save} />}
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

type StaffValue = string | string[];

function initialValue(item: FormItemView, value: AnswerValue | undefined): StaffValue {
  if (item.type === 'multiple') return Array.isArray(value) ? value : [];
  if (value === null || value === undefined || typeof value === 'object') return '';
  return String(value);
}

function answerOf(item: FormItemView, value: StaffValue): AnswerValue {
  if (Array.isArray(value)) return value;
  const text = value.trim();
  if (text === '') return null;
  if (item.type === 'number' || item.type === 'birth_year') return Number(text);
  return text;
}

/** 管理項目: the staff-only items of the form, filled in by staff and saved together. */
function StaffItemsForm({
  items,
  response,
  save,
}: {
  items: FormItemView[];
  response: ResponseView;
  save: (body: { staffAnswers: Answers }, done: string) => Promise<unknown>;
}) {
  const t = useT();
  const [values, setValues] = useState<Record<string, StaffValue>>(() =>
    Object.fromEntries(items.map((i) => [i.key, initialValue(i, response.answers[i.key])])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (key: string) => (value: StaffValue) => setValues((v) => ({ ...v, [key]: value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const next: Record<string, string> = {};
    for (const item of items) {
      const v = values[item.key];
      if ((item.type === 'number' || item.type === 'birth_year') && typeof v === 'string' && v.trim())
        if (!Number.isFinite(Number(v.trim()))) next[item.key] = t('forms.err.decimal');
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      focusFirstInvalid(form);
      return;
    }
    const staffAnswers: Answers = Object.fromEntries(
      items.filter((i) => i.type !== 'area').map((i) => [i.key, answerOf(i, values[i.key] ?? '')]),
    );
    const failed = await save({ staffAnswers }, t('surveys.responses.staffSaved'));
    if (failed) {
      const fields = fieldErrors(failed);
      const byKey: Record<string, string> = {};
      for (const [path, text] of Object.entries(fields)) {
        const key = path.replace(/^(staffAnswers|answers)\./, '');
        byKey[key] = text;
      }
      setErrors(byKey);
      focusFirstInvalid(form);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      className="flex flex-col gap-4 rounded-8 border border-dashed border-solid-gray-420 bg-solid-gray-50 p-4"
    >
      <div className="flex items-center gap-2">
        <h4 className="text-std-16B-170">{t('surveys.responses.staffItems')}</h4>
        <Badge tone="warning">{t('forms.staffOnlyBadge')}</Badge>
      </div>
      {items.map((item) => (
        <StaffField
          key={item.id}
          item={item}
          value={values[item.key] ?? ''}
          onChange={set(item.key)}
          error={errors[item.key]}
        />
      ))}
      <div>
        <Button type="submit" size="sm">
          {t('surveys.responses.saveStaff')}
        </Button>
      </div>
    </form>
  );
}

function StaffField({
  item,
  value,
  onChange,
  error,
}: {
  item: FormItemView;
  value: StaffValue;
  onChange: (value: StaffValue) => void;
  error: string | undefined;
}) {
  const t = useT();
  const id = useId();
  const choices = item.choices.filter((c) => !c.retired && c.parentId === null);
  if (item.type === 'multiple') {
    const list = Array.isArray(value) ? value : [];
    const errorId = `${id}-error`;
    return (
      <fieldset aria-describedby={error ? errorId : undefined} className="flex flex-col gap-1">
        <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{item.label}</legend>
        <div className="flex flex-wrap gap-x-6">
          {choices.map((c) => (
            <Checkbox
              key={c.id}
              label={c.label}
              checked={list.includes(c.id)}
              onChange={(on) =>
                onChange(on ? [...list.filter((x) => x !== c.id), c.id] : list.filter((x) => x !== c.id))
              }
            />
          ))}
        </div>
        {error && <ErrorText id={errorId}>{error}</ErrorText>}
      </fieldset>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (item.type === 'single' || item.type === 'select')
    return (
      <Select
        label={item.label}
        hint={item.help || undefined}
        value={text}
        onChange={onChange}
        placeholder={t('surveys.responses.unset')}
        options={choices.map((c) => ({ value: c.id, label: c.label }))}
        error={error}
        className="max-w-md"
      />
    );
  if (item.type === 'textarea')
    return (
      <TextArea
        label={item.label}
        hint={item.help || undefined}
        value={text}
        onChange={onChange}
        rows={3}
        error={error}
      />
    );
  if (item.type === 'area')
    return (
      <p className="text-std-16N-170">
        {item.label}: {t('surveys.responses.areaReadOnly')}
      </p>
    );
  return (
    <TextField
      label={item.label}
      hint={item.help || undefined}
      type={item.type === 'date' ? 'date' : item.type === 'email' ? 'email' : 'text'}
      inputMode={
        item.type === 'number' || item.type === 'birth_year'
          ? 'decimal'
          : item.type === 'phone'
            ? 'tel'
            : undefined
      }
      value={text}
      onChange={onChange}
      error={error}
      className="max-w-md"
    />
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
