import { type FormEvent, type RefObject, useId, useImperativeHandle, useRef, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { errorMessage, hasCode } from '../../api/errors.ts';
import type { ConsultationRecord, ConsultationSummary, Desk, RecordField } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { applySummary, getDraft, patchChat, saveDraft } from './live.ts';

type Missing = { key: string; label: string };

/**
 * What the chat header's 相談を終了 (after its confirmation) calls: saves a changed record, then closes.
 * Resolves true when the consultation is closed.
 */
export type CloseHandle = { close: () => Promise<boolean> };

/**
 * C-11: the desk's record fields and 保存 (PUT …/record). 相談を終了 (POST …/close) is in the chat
 * header, away from 保存, and reaches the form through `closeRef`. A 422 RECORD_INCOMPLETE answer
 * opens a dialog listing the missing fields; when the desk allows incomplete records the counselor
 * may close with a reason. Selects sit two to a row so the whole record fits at 1366×768 (C-12).
 */
export function RecordPanel({
  consultation,
  record,
  desk,
  editable,
  closeRef,
}: {
  consultation: ConsultationSummary;
  record: ConsultationRecord | null;
  desk: Desk | undefined;
  editable: boolean;
  closeRef?: RefObject<CloseHandle | null>;
}) {
  const t = useT();
  const headingId = useId();
  const fields = desk?.recordFields ?? [];

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h3 id={headingId} className="text-std-17B-170">
        {t('consult.record')}
      </h3>
      {fields.length === 0 && !record && (
        <p className="text-dns-16N-130 text-solid-gray-700">{t('consult.recordEmpty')}</p>
      )}
      {editable ? (
        <RecordForm
          consultation={consultation}
          record={record}
          desk={desk}
          fields={fields}
          closeRef={closeRef}
        />
      ) : (
        <RecordValues record={record} fields={fields} />
      )}
    </section>
  );
}

function RecordValues({ record, fields }: { record: ConsultationRecord | null; fields: RecordField[] }) {
  const t = useT();
  if (!record) return <p className="text-dns-16N-130 text-solid-gray-700">{t('consult.recordNone')}</p>;
  const known = new Set(fields.map((f) => f.key));
  const rows: [string, string][] = [
    ...fields.map((f): [string, string] => [f.label, record.values[f.key] ?? '']),
    ...Object.entries(record.values).filter(([key]) => !known.has(key)),
  ];
  if (record.missingReason) rows.push([t('consult.missingReason'), record.missingReason]);
  return (
    <dl className="flex flex-col gap-2 text-dns-16N-130">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt className="text-dns-14B-130 text-solid-gray-700">{label}</dt>
          <dd className="break-words whitespace-pre-wrap">{value || t('common.none')}</dd>
        </div>
      ))}
    </dl>
  );
}

function RecordForm({
  consultation,
  record,
  desk,
  fields,
  closeRef,
}: {
  consultation: ConsultationSummary;
  record: ConsultationRecord | null;
  desk: Desk | undefined;
  fields: RecordField[];
  closeRef: RefObject<CloseHandle | null> | undefined;
}) {
  const t = useT();
  const id = consultation.id;
  const [values, setValues] = useState<Record<string, string>>(
    () => getDraft(id).record ?? { ...(record?.values ?? {}) },
  );
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<'save' | 'close' | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'info' | 'error'; text: string } | null>(null);
  const [incomplete, setIncomplete] = useState<Missing[] | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const labelOf = (key: string) => fields.find((f) => f.key === key)?.label ?? key;
  const dirty = fields.some((f) => (values[f.key] ?? '') !== (record?.values[f.key] ?? ''));

  function setValue(key: string, value: string) {
    const next = { ...values, [key]: value };
    setValues(next);
    saveDraft(id, { record: next });
    if (value.trim() && invalid.has(key)) {
      const rest = new Set(invalid);
      rest.delete(key);
      setInvalid(rest);
    }
  }

  async function save(): Promise<string[]> {
    const result = await api.put<{ values: Record<string, string>; missing: string[] }>(
      `/api/consultations/${encodeURIComponent(id)}/record`,
      { values },
    );
    const saved = result?.values ?? values;
    patchChat(id, {
      record: { completedAt: null, missingReason: null, ...record, values: saved },
    });
    saveDraft(id, { record: null });
    return result?.missing ?? [];
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setMessage(null);
    try {
      const missing = await save();
      setMessage(
        missing.length > 0
          ? {
              tone: 'info',
              text: `${t('consult.recordSaved')} ${t('consult.recordMissingNow', {
                fields: missing.map(labelOf).join(t('consult.listSeparator')),
              })}`,
            }
          : { tone: 'success', text: t('consult.recordSaved') },
      );
    } catch (err) {
      setMessage({ tone: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(null);
    }
  }

  async function close(missingReason?: string): Promise<boolean> {
    setBusy('close');
    setMessage(null);
    try {
      if (dirty) await save();
      await api.post(
        `/api/consultations/${encodeURIComponent(id)}/close`,
        missingReason ? { missingReason } : {},
      );
      setInvalid(new Set());
      setIncomplete(null);
      applySummary({ ...consultation, status: 'closed', closedAt: new Date().toISOString() });
      setMessage({ tone: 'success', text: t('consult.closed') });
      return true;
    } catch (err) {
      if (hasCode(err, 'RECORD_INCOMPLETE') && err instanceof ApiError) {
        const missing = err.details.map((d) => ({ key: d.path, label: d.message || labelOf(d.path) }));
        setInvalid(new Set(missing.map((m) => m.key)));
        setIncomplete(missing.length > 0 ? missing : [{ key: '', label: errorMessage(t, err) }]);
      } else {
        setIncomplete(null);
        setMessage({ tone: 'error', text: errorMessage(t, err) });
      }
      return false;
    } finally {
      setBusy(null);
    }
  }

  useImperativeHandle(closeRef, () => ({ close: () => close() }));

  const errorFor = (f: RecordField) =>
    invalid.has(f.key)
      ? t(f.type === 'select' ? 'common.selectRequired' : 'common.fieldRequired', { label: f.label })
      : null;

  return (
    <>
      <form ref={form} noValidate onSubmit={onSave} className="grid grid-cols-2 gap-x-3 gap-y-3">
        {message && message.tone !== 'success' && (
          <div className="col-span-2">
            <Alert tone={message.tone}>{message.text}</Alert>
          </div>
        )}
        {fields.map((f) => {
          const common = {
            label: f.label,
            value: values[f.key] ?? '',
            onChange: (v: string) => setValue(f.key, v),
            required: f.required,
            error: errorFor(f),
          };
          const wide = 'col-span-2';
          if (f.type === 'select') {
            const options = (f.options ?? []).map((o) => ({ value: o, label: o }));
            const current = values[f.key];
            // A value saved before the options changed is still shown.
            if (current && !f.options?.includes(current)) options.push({ value: current, label: current });
            return (
              <Select
                key={f.key}
                {...common}
                className="min-w-0"
                placeholder={t('consult.recordUnselected')}
                options={options}
              />
            );
          }
          if (f.type === 'textarea') return <TextArea key={f.key} {...common} className={wide} rows={2} />;
          return <TextField key={f.key} {...common} className={wide} autoComplete="off" />;
        })}
        {fields.length > 0 && (
          // Sticky: on a small screen, where the column scrolls, 保存 stays in reach.
          <div className="sticky -bottom-3 col-span-2 -mx-3 -mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-solid-gray-420 bg-white px-3 py-2">
            <Button type="submit" variant="secondary" disabled={busy !== null}>
              {busy === 'save' ? t('common.saving') : t('common.save')}
            </Button>
            {/* 保存しました beside the button, not above the fields: the record keeps its place. */}
            <p role="status" className="flex items-center gap-1 text-dns-16B-130 text-green-1000">
              {message?.tone === 'success' && (
                <>
                  <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 shrink-0 fill-success-2">
                    <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-2 15-5-5 1.4-1.4 3.6 3.6 7.6-7.6L19 8l-9 9Z" />
                  </svg>
                  {message.text}
                </>
              )}
            </p>
          </div>
        )}
      </form>
      <IncompleteDialog
        missing={incomplete}
        allowReason={desk?.allowIncompleteRecords === true}
        busy={busy === 'close'}
        onCloseWithReason={(reason) => void close(reason)}
        onClose={() => {
          setIncomplete(null);
          focusFirstInvalid(form.current);
        }}
      />
    </>
  );
}

function IncompleteDialog({
  missing,
  allowReason,
  busy,
  onCloseWithReason,
  onClose,
}: {
  missing: Missing[] | null;
  allowReason: boolean;
  busy: boolean;
  onCloseWithReason: (reason: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <Dialog open={missing !== null} title={t('consult.incompleteTitle')} onClose={onClose}>
      {missing && (
        <IncompleteBody
          missing={missing}
          allowReason={allowReason}
          busy={busy}
          onCloseWithReason={onCloseWithReason}
          onClose={onClose}
        />
      )}
    </Dialog>
  );
}

function IncompleteBody({
  missing,
  allowReason,
  busy,
  onCloseWithReason,
  onClose,
}: {
  missing: Missing[];
  allowReason: boolean;
  busy: boolean;
  onCloseWithReason: (reason: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = missing.map((m) => m.label).join(t('consult.listSeparator'));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('common.fieldRequired', { label: t('consult.missingReason') }));
      return;
    }
    onCloseWithReason(reason.trim());
  }

  return (
    <>
      <Alert tone="warning">{t('consult.incompleteMessage', { fields: list })}</Alert>
      {allowReason ? (
        <form noValidate onSubmit={submit} className="flex flex-col gap-4">
          <p className="text-std-16N-170">{t('consult.incompleteAllowed')}</p>
          <TextArea
            label={t('consult.missingReason')}
            required
            rows={3}
            value={reason}
            onChange={(v) => {
              setReason(v);
              if (v.trim()) setError(null);
            }}
            error={error}
          />
          <div className="flex flex-wrap gap-4">
            <Button type="submit" disabled={busy}>
              {t('consult.closeWithReason')}
            </Button>
            <Button variant="secondary" onClick={onClose}>
              {t('consult.backToRecord')}
            </Button>
          </div>
        </form>
      ) : (
        <>
          <p className="text-std-16N-170">{t('consult.incompleteLead')}</p>
          <div>
            <Button onClick={onClose}>{t('consult.backToRecord')}</Button>
          </div>
        </>
      )}
    </>
  );
}
