import type { StaffStatus } from '@madoguchi/contracts/applications.ts';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
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
import { useChannelScope } from '../channels/ChannelListPage.tsx';
import { formatJst } from '../deliveries/time.ts';
import { type ApplicationView, applicationPath, applicationsApi, assigneesPath } from './api.ts';
import { actionKey, STATUS_TONE, statusKey, yen } from './labels.ts';

const dl = 'grid grid-cols-1 gap-x-6 gap-y-2 text-std-16N-170 md:grid-cols-[minmax(10rem,auto)_1fr]';

/** The verified identity, the answers and the fee: on screen and in the printed record alike. */
function RecordBody({ a }: { a: ApplicationView }) {
  const t = useT();
  const can = useCan();
  const canPayments = can('payments.read') || can('payments.manage');
  return (
    <>
      <Section title={t('applications.detail.about')}>
        <dl className={dl}>
          <dt className="font-bold">{t('applications.detail.number')}</dt>
          <dd data-testid="application-number">{a.number}</dd>
          <dt className="font-bold">{t('applications.detail.procedure')}</dt>
          <dd className="flex flex-wrap items-center gap-2">
            {a.procedure}
            <Badge tone={STATUS_TONE[a.status]}>{t(statusKey(a.status))}</Badge>
          </dd>
          <dt className="font-bold">{t('applications.detail.submittedAt')}</dt>
          <dd>{a.submittedAt ? formatJst(a.submittedAt) : '—'}</dd>
          <dt className="font-bold">{t('applications.detail.applicant')}</dt>
          <dd>{a.applicant ?? '—'}</dd>
          <dt className="font-bold">{t('applications.detail.assignee')}</dt>
          <dd>{a.assignee ?? '—'}</dd>
        </dl>
      </Section>
      <Section title={t('applications.detail.identity')} description={t('applications.detail.identityNote')}>
        {a.identity ? (
          <dl className={dl} data-testid="verified-identity">
            <dt className="font-bold">{t('applications.detail.name')}</dt>
            <dd>{a.identity.name}</dd>
            <dt className="font-bold">{t('applications.detail.address')}</dt>
            <dd>{a.identity.address}</dd>
            <dt className="font-bold">{t('applications.detail.birthdate')}</dt>
            <dd>{a.identity.birthdate}</dd>
            <dt className="font-bold">{t('applications.detail.gender')}</dt>
            <dd>{a.identity.gender}</dd>
            <dt className="font-bold">{t('applications.detail.provider')}</dt>
            <dd>
              {a.identity.provider}
              {a.identity.signed ? `（${t('applications.detail.signed')}）` : ''}
            </dd>
            <dt className="font-bold">{t('applications.detail.verifiedAt')}</dt>
            <dd>{formatJst(a.identity.verifiedAt)}</dd>
          </dl>
        ) : (
          <p className="text-std-16N-170 text-solid-gray-700">{t('applications.detail.identityNone')}</p>
        )}
      </Section>
      <Section title={t('applications.detail.answers')}>
        <dl className={dl}>
          {a.answers.map((x) => (
            <div key={x.key} className="contents">
              <dt className="font-bold">{x.label}</dt>
              <dd className="whitespace-pre-wrap break-words">{x.value || '—'}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section title={t('applications.detail.payment')}>
        {a.fee && a.fee.total > 0 ? (
          <dl className={dl}>
            {a.fee.lines.map((l) => (
              <div key={l.label} className="contents">
                <dt className="font-bold">{l.label}</dt>
                <dd>
                  {yen(l.unitAmount)} × {l.quantity} = {yen(l.unitAmount * l.quantity)}
                </dd>
              </div>
            ))}
            <dt className="font-bold">{t('applications.detail.total')}</dt>
            <dd className="font-bold">{yen(a.fee.total)}</dd>
            <dt className="font-bold">{t('applications.detail.paymentStatus')}</dt>
            <dd className="flex flex-wrap gap-3">
              <span data-testid="payment-status">
                {a.paymentStatus ? t(`applications.payment.${a.paymentStatus}` as MessageKey) : '—'}
              </span>
              {a.paymentId && canPayments && (
                <Link
                  to={`/payments/${encodeURIComponent(a.paymentId)}`}
                  className="text-blue-1000 underline print:hidden"
                >
                  {t('applications.detail.paymentLink')}
                </Link>
              )}
            </dd>
          </dl>
        ) : (
          <p className="text-std-16N-170">{t('applications.detail.paymentNone')}</p>
        )}
        {a.reason && (
          <p className="mt-3 text-std-16N-170">
            <span className="font-bold">{t('applications.detail.reason')}：</span>
            {a.reason}
          </p>
        )}
      </Section>
    </>
  );
}

/** 差戻し / 却下: the reason the citizen is told on their page (却下 refunds). */
function ReasonDialog({
  status,
  onClose,
  onDone,
}: {
  status: 'returned' | 'rejected' | null;
  onClose: () => void;
  onDone: (reason: string) => Promise<void>;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('applications.reason.required'));
      return;
    }
    setBusy(true);
    setFailed(null);
    try {
      await onDone(reason.trim());
      setReason('');
    } catch (err) {
      setFailed(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      open={status !== null}
      title={t(
        status === 'rejected' ? 'applications.reason.titleRejected' : 'applications.reason.titleReturned',
      )}
      onClose={onClose}
    >
      <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-4">
        {failed && <Alert tone="error">{failed}</Alert>}
        {status === 'rejected' && <p className="text-std-16N-170">{t('applications.reason.rejectNote')}</p>}
        <TextArea
          label={t('applications.reason.label')}
          value={reason}
          onChange={setReason}
          hint={t('applications.reason.hint')}
          error={error}
          required
          maxLength={500}
          rows={3}
        />
        <div className="flex flex-wrap gap-4">
          <Button type="submit" variant={status === 'rejected' ? 'danger' : 'primary'} disabled={busy}>
            {status ? t(actionKey(status)) : ''}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * One application (#/applications/:id, A-03): the verified identity (decrypted on this view only; the
 * view is audited), the answers, the fee and payment, the status buttons the rules allow (差戻し and 却下
 * ask the reason; 却下 refunds), assignee, notes, history, and a printable record (one A4 page).
 */
export function ApplicationDetailPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const scope = useChannelScope();
  const app = useApi<ApplicationView>(scope.ready ? applicationPath(scope.channelId, id) : null);
  const people = useApi<{ id: string; displayName: string }[]>(assigneesPath);
  const { message, setMessage, error, setError, noteError, setNoteError, busy, save } =
    useRecordSave<ApplicationView>(app.setData);
  const [note, setNote] = useState('');
  const [asking, setAsking] = useState<'returned' | 'rejected' | null>(null);
  const manage = can('applications.manage');

  const a = app.data;
  const move = (status: StaffStatus) =>
    save(
      () => applicationsApi.setStatus(scope.channelId, id, { status }),
      t('applications.detail.statusSaved', { status: t(statusKey(status)) }),
    );

  async function addNote(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) {
      setNoteError(t('applications.detail.noteRequired'));
      event.currentTarget.querySelector<HTMLElement>('textarea')?.focus();
      return;
    }
    setNoteError(null);
    if (
      await save(
        () => applicationsApi.update(scope.channelId, id, { note }),
        t('applications.detail.noteSaved'),
      )
    )
      setNote('');
  }

  return (
    <>
      <div className="print:hidden">
        <p className="mb-2">
          <Link to="/applications" className="text-std-16N-170 text-blue-1000 underline">
            {t('applications.detail.back')}
          </Link>
        </p>
        <PageHeader
          title={a ? `${t('applications.detail.title')} ${a.number}` : t('applications.detail.title')}
          actions={
            a ? (
              <Button variant="secondary" onClick={() => window.print()}>
                {t('applications.detail.print')}
              </Button>
            ) : undefined
          }
        />
      </div>
      {app.error !== null && <LoadError error={app.error} onRetry={() => void app.reload()} />}
      {!a && app.error === null && <Loading />}
      {a && (
        <div className="flex flex-col gap-6">
          <p aria-live="polite" className="text-std-16N-170 text-success-2 empty:hidden print:hidden">
            {error ? '' : message}
          </p>
          {error && <Alert tone="error">{error}</Alert>}
          {/* The printed record (print CSS in styles.css: this block only, one A4 page). */}
          <article className="application-record flex flex-col gap-6">
            <h2 className="hidden text-std-22B-150 print:block">
              {t('applications.print.title')} {a.number}
            </h2>
            <RecordBody a={a} />
            <p className="hidden text-dns-14N-130 print:block">
              {t('applications.print.printedAt')}：{formatJst(new Date().toISOString())}
            </p>
          </article>

          {manage && (
            <div className="print:hidden">
              <Section
                title={t('applications.detail.work')}
                description={t('applications.detail.statusHint')}
              >
                <div className="flex flex-col gap-5">
                  <fieldset className="flex flex-col gap-3">
                    <legend className="mb-2 text-std-16B-170">
                      {t('applications.detail.statusButtons')}
                    </legend>
                    {a.next.length === 0 ? (
                      <p className="text-std-16N-170 text-solid-gray-700">
                        {t('applications.detail.statusNone')}
                      </p>
                    ) : (
                      <div className="flex flex-wrap gap-3">
                        {a.next.map((s) => (
                          <Button
                            key={s}
                            variant={s === 'rejected' ? 'danger' : s === 'returned' ? 'secondary' : 'primary'}
                            disabled={busy}
                            onClick={() =>
                              s === 'returned' || s === 'rejected' ? setAsking(s) : void move(s)
                            }
                          >
                            {t(actionKey(s))}
                          </Button>
                        ))}
                      </div>
                    )}
                  </fieldset>
                  <Select
                    label={t('applications.detail.assignee')}
                    value={a.assigneeId ?? ''}
                    disabled={busy}
                    placeholder={t('applications.detail.nobody')}
                    onChange={(v) =>
                      void save(
                        () => applicationsApi.update(scope.channelId, id, { assigneeId: v || null }),
                        t('applications.detail.assigneeSaved'),
                      )
                    }
                    options={(people.data ?? []).map((p) => ({ value: p.id, label: p.displayName }))}
                    className="w-72"
                  />
                  <form noValidate onSubmit={(e) => void addNote(e)} className="flex flex-col gap-3">
                    <TextArea
                      label={t('applications.detail.note')}
                      value={note}
                      onChange={setNote}
                      hint={t('applications.detail.noteHint')}
                      error={noteError}
                      maxLength={2000}
                      rows={3}
                    />
                    <div>
                      <Button type="submit" variant="secondary" disabled={busy}>
                        {t('applications.detail.noteSubmit')}
                      </Button>
                    </div>
                  </form>
                </div>
              </Section>
            </div>
          )}

          <div className="print:hidden">
            <Section title={t('applications.detail.history')}>
              {a.changes.length === 0 ? (
                <p className="text-std-16N-170 text-solid-gray-700">{t('applications.detail.noHistory')}</p>
              ) : (
                <ol className="flex flex-col gap-2 text-std-16N-170">
                  {a.changes.map((c, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end
                    <li key={i} className="flex flex-col border-solid-gray-420 border-b pb-2">
                      <span className="whitespace-pre-wrap break-words">
                        {t(`applications.detail.change.${c.field}` as MessageKey, { from: c.from, to: c.to })}
                      </span>
                      <span className="text-dns-14N-130 text-solid-gray-700">
                        {t('applications.detail.by', {
                          at: formatJst(c.at),
                          who:
                            c.staff ??
                            (c.actor === 'citizen'
                              ? t('applications.detail.citizen')
                              : c.actor === 'system'
                                ? t('applications.detail.system')
                                : '—'),
                        })}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </Section>
          </div>
        </div>
      )}
      <ReasonDialog
        status={asking}
        onClose={() => setAsking(null)}
        onDone={async (reason) => {
          const status = asking;
          if (!status) return;
          // A failure stays in the dialog (its error); success closes it and shows the page's message.
          app.setData(await applicationsApi.setStatus(scope.channelId, id, { status, reason }));
          setError(null);
          setMessage(t('applications.detail.statusSaved', { status: t(statusKey(status)) }));
          setAsking(null);
        }}
      />
    </>
  );
}
