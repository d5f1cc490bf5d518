import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { formatJst } from '../deliveries/time.ts';
import { type PaymentDetailView, paymentPath, paymentsApi } from './api.ts';
import { eventStateKey, flagKey, refundStatusKey, STATUS_TONE, statusKey, yen } from './labels.ts';

/** One payment (#/payments/:id): its lines, status, refund and the provider's notifications. */
export function PaymentDetailPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const payment = useApi<PaymentDetailView>(paymentPath(id));
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refundOpen, setRefundOpen] = useState(false);
  const p = payment.data;

  async function refresh() {
    setMessage('');
    setError(null);
    setBusy(true);
    try {
      const next = await paymentsApi.refresh(id);
      payment.setData(next);
      setMessage(t('payments.detail.refreshed', { status: t(statusKey(next.status)) }));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="mb-2">
        <Link to="/payments" className="text-std-16N-170 text-blue-1000 underline">
          {t('payments.detail.back')}
        </Link>
      </p>
      <PageHeader title={t('payments.detail.title')} />
      {payment.error !== null && <LoadError error={payment.error} onRetry={() => void payment.reload()} />}
      {!p && payment.error === null && <Loading />}
      {p && (
        <div className="flex flex-col gap-6">
          <p aria-live="polite" className="text-std-16N-170 text-success-2 empty:hidden">
            {error ? '' : message}
          </p>
          {error && <Alert tone="error">{error}</Alert>}
          {p.flag && (
            <Alert tone="error" title={t(flagKey(p.flag))}>
              {t('payments.detail.flagHint')}
            </Alert>
          )}
          <Section
            title={t('payments.detail.about')}
            actions={
              can('payments.manage') && p.status === 'pending' ? (
                <Button variant="secondary" size="sm" disabled={busy} onClick={() => void refresh()}>
                  {t('payments.detail.refresh')}
                </Button>
              ) : undefined
            }
          >
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-std-16N-170 md:grid-cols-[minmax(10rem,auto)_1fr]">
              <dt className="font-bold">{t('payments.detail.status')}</dt>
              <dd>
                <Badge tone={STATUS_TONE[p.status]}>{t(statusKey(p.status))}</Badge>
              </dd>
              <dt className="font-bold">{t('payments.detail.description')}</dt>
              <dd className="break-words">{p.description}</dd>
              <dt className="font-bold">{t('payments.detail.lines')}</dt>
              <dd>
                <ul className="list-disc pl-6">
                  {p.lines.map((l, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines have no ID and never reorder
                    <li key={i}>
                      {t('payments.detail.line', {
                        label: l.label,
                        unit: yen(l.unitAmount),
                        quantity: l.quantity,
                      })}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt className="font-bold">{t('payments.detail.amount')}</dt>
              <dd>{yen(p.amount)}</dd>
              {p.providerAmount !== null && p.providerAmount !== p.amount && (
                <>
                  <dt className="font-bold">{t('payments.detail.providerAmount')}</dt>
                  <dd>{yen(p.providerAmount)}</dd>
                </>
              )}
              <dt className="font-bold">{t('payments.detail.purpose')}</dt>
              <dd className="font-mono">{p.purpose}</dd>
              <dt className="font-bold">{t('payments.detail.ref')}</dt>
              <dd className="break-all font-mono">{p.ref}</dd>
              <dt className="font-bold">{t('payments.detail.provider')}</dt>
              <dd>{p.provider}</dd>
              <dt className="font-bold">{t('payments.detail.providerRef')}</dt>
              <dd className="break-all font-mono">{p.providerRef ?? t('common.none')}</dd>
              <dt className="font-bold">{t('payments.detail.createdAt')}</dt>
              <dd>{formatJst(p.createdAt)}</dd>
              <dt className="font-bold">{t('payments.detail.paidAt')}</dt>
              <dd>{formatJst(p.paidAt)}</dd>
              {p.lastError && (
                <>
                  <dt className="font-bold">{t('payments.detail.lastError')}</dt>
                  <dd className="break-words">{p.lastError}</dd>
                </>
              )}
            </dl>
          </Section>
          <Section
            title={t('payments.detail.refundTitle')}
            actions={
              can('payments.manage') && p.status === 'paid' && p.refund?.status !== 'succeeded' ? (
                <Button variant="secondary" size="sm" onClick={() => setRefundOpen(true)}>
                  {t('payments.detail.refundButton')}
                </Button>
              ) : undefined
            }
          >
            {p.refund ? (
              <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-std-16N-170 md:grid-cols-[minmax(10rem,auto)_1fr]">
                <dt className="font-bold">{t('payments.detail.refundStatus')}</dt>
                <dd>{t(refundStatusKey(p.refund.status))}</dd>
                <dt className="font-bold">{t('payments.detail.refundReason')}</dt>
                <dd className="break-words">{p.refund.reason}</dd>
                <dt className="font-bold">{t('payments.detail.refundAt')}</dt>
                <dd>{formatJst(p.refund.succeededAt)}</dd>
                {p.refund.lastError && (
                  <>
                    <dt className="font-bold">{t('payments.detail.lastError')}</dt>
                    <dd className="break-words">{p.refund.lastError}</dd>
                  </>
                )}
              </dl>
            ) : (
              <p className="text-std-16N-170">{t('payments.detail.refundNone')}</p>
            )}
          </Section>
          <Section title={t('payments.detail.events')}>
            <Table caption={t('payments.detail.events')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('payments.event.receivedAt')}</Th>
                  <Th>{t('payments.event.type')}</Th>
                  <Th>{t('payments.event.state')}</Th>
                </tr>
              </thead>
              <tbody>
                {p.events.length === 0 && <EmptyRow colSpan={3}>{t('payments.detail.eventsEmpty')}</EmptyRow>}
                {p.events.map((e) => (
                  <tr key={e.id}>
                    <Td className="whitespace-nowrap">{formatJst(e.receivedAt)}</Td>
                    <Td className="font-mono">{e.type}</Td>
                    <Td>{t(eventStateKey(e.state))}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Section>
          <RefundDialog
            open={refundOpen}
            payment={p}
            onClose={() => setRefundOpen(false)}
            onDone={(next, pending) => {
              payment.setData(next);
              setRefundOpen(false);
              setError(null);
              setMessage(t(pending ? 'payments.detail.refundPending' : 'payments.detail.refunded'));
            }}
          />
        </div>
      )}
    </>
  );
}

function RefundDialog({
  open,
  payment,
  onClose,
  onDone,
}: {
  open: boolean;
  payment: PaymentDetailView;
  onClose: () => void;
  onDone: (next: PaymentDetailView, pending: boolean) => void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('payments.detail.refundReasonRequired'));
      event.currentTarget.querySelector<HTMLElement>('textarea')?.focus();
      return;
    }
    setReasonError(null);
    setError(null);
    setBusy(true);
    try {
      const result = await paymentsApi.refund(payment.id, reason);
      onDone(result.payment, result.status === 'refund_pending');
      setReason('');
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={open}
      title={t('payments.detail.refundDialog', { amount: yen(payment.amount) })}
      onClose={onClose}
    >
      {open && (
        <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-4">
          {error && <Alert tone="error">{error}</Alert>}
          <p className="text-std-16N-170">{t('payments.detail.refundDialogText')}</p>
          <TextArea
            label={t('payments.detail.refundReason')}
            hint={t('payments.detail.refundReasonHint')}
            value={reason}
            onChange={setReason}
            error={reasonError}
            required
            maxLength={500}
            rows={3}
          />
          <div className="flex flex-wrap gap-4">
            <Button type="submit" variant="primary" disabled={busy}>
              {t('payments.detail.refundButton')}
            </Button>
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
