import { REPORT_STATUSES, type ReportStatus } from '@madoguchi/contracts/reports.ts';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useRecordSave } from '../../lib/useRecordSave.ts';
import { formatJst } from '../deliveries/time.ts';
import { assigneesPath, type ReportView, reportPath, reportsApi } from './api.ts';
import { mapHref, STATUS_TONE, statusKey } from './labels.ts';

/** One fault report (#/reports/:id): what was reported with its photos, the triage, history and mails. */
export function ReportDetailPage({ id }: { id: string }) {
  const t = useT();
  const report = useApi<ReportView>(reportPath(id));
  const people = useApi<{ id: string; displayName: string }[]>(assigneesPath);
  const { message, error, noteError, setNoteError, busy, save } = useRecordSave<ReportView>(report.setData);
  const [note, setNote] = useState('');

  const r = report.data;

  async function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) {
      setNoteError(t('reports.detail.noteRequired'));
      event.currentTarget.querySelector<HTMLElement>('textarea')?.focus();
      return;
    }
    setNoteError(null);
    if (await save(() => reportsApi.update(id, { note }), t('reports.detail.noteSaved'))) setNote('');
  }

  return (
    <>
      <p className="mb-2">
        <Link to="/reports" className="text-std-16N-170 text-blue-1000 underline">
          {t('reports.detail.back')}
        </Link>
      </p>
      <PageHeader title={t('reports.detail.title')} />
      {report.error !== null && <LoadError error={report.error} onRetry={() => void report.reload()} />}
      {!r && report.error === null && <Loading />}
      {r && (
        <div className="flex flex-col gap-6">
          <p aria-live="polite" className="text-std-16N-170 text-success-2 empty:hidden">
            {error ? '' : message}
          </p>
          {error && <Alert tone="error">{error}</Alert>}
          <Section title={t('reports.detail.about')}>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-std-16N-170 md:grid-cols-[minmax(10rem,auto)_1fr]">
              <dt className="font-bold">{t('reports.detail.category')}</dt>
              <dd className="flex flex-wrap items-center gap-2">
                {r.category}
                <Badge tone={STATUS_TONE[r.status]}>{t(statusKey(r.status))}</Badge>
              </dd>
              <dt className="font-bold">{t('reports.detail.receivedAt')}</dt>
              <dd>{formatJst(r.receivedAt)}</dd>
              <dt className="font-bold">{t('reports.detail.occurredAt')}</dt>
              <dd>{formatJst(r.occurredAt)}</dd>
              <dt className="font-bold">{t('reports.detail.reporter')}</dt>
              <dd>{r.reporter ?? '—'}</dd>
              <dt className="font-bold">{t('reports.detail.place')}</dt>
              <dd className="flex flex-col gap-1">
                <span>{t('reports.detail.placeValue', { lat: r.location.lat, lng: r.location.lng })}</span>
                <a
                  href={mapHref(r.location.lat, r.location.lng)}
                  target="_blank"
                  rel="noopener noreferrer"
                  className="inline-flex min-h-11 items-center text-blue-1000 underline"
                >
                  {t('reports.detail.map')}
                </a>
              </dd>
              <dt className="font-bold">{t('reports.detail.text')}</dt>
              <dd className="whitespace-pre-wrap break-words">{r.text}</dd>
            </dl>
          </Section>

          <Section title={t('reports.detail.photos')}>
            {r.photoUrls.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t('reports.detail.noPhotos')}</p>
            ) : (
              <ul className="grid grid-cols-2 gap-4 md:grid-cols-3">
                {r.photoUrls.map((url, i) => (
                  <li key={url}>
                    <a href={url} target="_blank" rel="noopener">
                      <img
                        src={url}
                        alt={t('reports.detail.photoAlt', { n: i + 1 })}
                        className="aspect-square w-full rounded-8 border border-solid-gray-420 object-cover"
                      />
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </Section>

          <Section title={t('reports.detail.triage')}>
            <div className="flex flex-col gap-5">
              <div className="flex flex-wrap gap-6">
                <Select
                  label={t('reports.detail.status')}
                  value={r.status}
                  disabled={busy}
                  hint={t('reports.detail.statusHint')}
                  onChange={(v) =>
                    void save(
                      () => reportsApi.update(id, { status: v as ReportStatus }),
                      t('reports.detail.statusSaved', { status: t(statusKey(v as ReportStatus)) }),
                    )
                  }
                  options={REPORT_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) }))}
                  className="w-72"
                />
                <Select
                  label={t('reports.detail.assignee')}
                  value={r.assigneeId ?? ''}
                  disabled={busy}
                  placeholder={t('reports.detail.nobody')}
                  onChange={(v) =>
                    void save(
                      () => reportsApi.update(id, { assigneeId: v || null }),
                      t('reports.detail.assigneeSaved'),
                    )
                  }
                  options={(people.data ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
                  className="w-72"
                />
              </div>
              <form noValidate onSubmit={(e) => void addNote(e)} className="flex flex-col gap-3">
                <TextArea
                  label={t('reports.detail.note')}
                  value={note}
                  onChange={setNote}
                  hint={t('reports.detail.noteHint')}
                  error={noteError}
                  maxLength={2000}
                  rows={3}
                />
                <div>
                  <Button type="submit" variant="secondary" disabled={busy}>
                    {t('reports.detail.noteSubmit')}
                  </Button>
                </div>
              </form>
            </div>
          </Section>

          <Section title={t('reports.detail.history')}>
            {r.changes.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t('reports.detail.noHistory')}</p>
            ) : (
              <ol className="flex flex-col gap-2 text-std-16N-170">
                {r.changes.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end
                  <li key={i} className="flex flex-col border-solid-gray-420 border-b pb-2">
                    <span className="whitespace-pre-wrap break-words">
                      {t(`reports.detail.change.${c.field}` as MessageKey, { from: c.from, to: c.to })}
                    </span>
                    <span className="text-dns-14N-130 text-solid-gray-700">
                      {t('reports.detail.by', { at: formatJst(c.at), who: c.staff ?? '—' })}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </Section>

          <Section
            title={t('reports.detail.mails')}
            actions={
              r.mails.some((m) => m.status === 'failed') ? (
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={busy}
                  onClick={() => void save(() => reportsApi.retryMails(id), t('reports.detail.retried'))}
                >
                  {t('reports.detail.retry')}
                </Button>
              ) : undefined
            }
          >
            <ul className="flex flex-col gap-2 text-std-16N-170">
              {r.mails.map((m) => (
                <li key={m.to} className="flex flex-wrap items-center gap-2">
                  <span className="break-all">{m.to}</span>
                  <Badge
                    tone={m.status === 'sent' ? 'success' : m.status === 'failed' ? 'danger' : 'warning'}
                  >
                    {t(`reports.detail.mail.${m.status}` as MessageKey)}
                  </Badge>
                  <span className="text-dns-14N-130 text-solid-gray-700">
                    {m.sentAt ? formatJst(m.sentAt) : t('reports.detail.mailAttempts', { n: m.attempts })}
                    {m.lastError ? `（${m.lastError}）` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Section>
        </div>
      )}
    </>
  );
}
