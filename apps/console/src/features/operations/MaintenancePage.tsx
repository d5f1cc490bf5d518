import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import type { MaintenanceWindow } from './api.ts';

// メンテナンス (O-04, C-15): schedule work that stops the system, announced 7 days ahead; see and
// cancel the scheduled windows. Switching on now and off is the CLI's (the console is closed then).

const STATE_TONE: Record<MaintenanceWindow['state'], BadgeTone> = {
  active: 'warning',
  upcoming: 'info',
  ended: 'neutral',
  canceled: 'neutral',
};

/** A datetime-local value (the browser's local time) as an ISO instant. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : '');

export function MaintenancePage() {
  const { t } = useI18n();
  const windows = useApi<{ items: MaintenanceWindow[] }>('/api/maintenance');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [messageJa, setMessageJa] = useState('');
  const [messageEn, setMessageEn] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [canceling, setCanceling] = useState<MaintenanceWindow | null>(null);

  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const next: Record<string, string> = {};
      if (!from) next.from = t('common.fieldRequired', { label: t('maintenance.from') });
      if (!until) next.until = t('common.fieldRequired', { label: t('maintenance.until') });
      else if (from && isoOf(until) <= isoOf(from)) next.until = t('maintenance.untilInvalid');
      if (!messageJa.trim())
        next.messageJa = t('common.fieldRequired', { label: t('maintenance.messageJa') });
      return next;
    },
    save: async () => {
      await api.post('/api/maintenance', {
        from: isoOf(from),
        until: isoOf(until),
        messageJa: messageJa.trim(),
        ...(messageEn.trim() ? { messageEn: messageEn.trim() } : {}),
      });
      setFrom('');
      setUntil('');
      setMessageJa('');
      setMessageEn('');
      setStatus(t('maintenance.saved'));
      await windows.reload(true);
    },
  });

  const period = (w: MaintenanceWindow) =>
    `${formatDateTimeMinutes(w.startsAt)} – ${w.endsAt ? formatDateTimeMinutes(w.endsAt) : t('maintenance.untilOff')}`;

  return (
    <>
      <PageHeader title={t('maintenance.title')} description={t('maintenance.lead')} />
      <div className="flex flex-col gap-6">
        <Alert tone="info">{t('maintenance.cliNote')}</Alert>
        <div aria-live="polite">{status && <Alert tone="success">{status}</Alert>}</div>
        <Section title={t('maintenance.form')}>
          <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4">
            {formError && <Alert tone="error">{formError}</Alert>}
            <div className="flex flex-wrap gap-4">
              <TextField
                label={t('maintenance.from')}
                type="datetime-local"
                required
                value={from}
                onChange={setFrom}
                error={errors.from}
              />
              <TextField
                label={t('maintenance.until')}
                type="datetime-local"
                required
                value={until}
                onChange={setUntil}
                error={errors.until}
              />
            </div>
            <TextArea
              label={t('maintenance.messageJa')}
              hint={t('maintenance.messageHint')}
              required
              rows={2}
              maxLength={500}
              value={messageJa}
              onChange={setMessageJa}
              error={errors.messageJa}
            />
            <TextArea
              label={t('maintenance.messageEn')}
              rows={2}
              maxLength={500}
              value={messageEn}
              onChange={setMessageEn}
              error={errors.messageEn}
            />
            <div>
              <Button type="submit" disabled={submitting}>
                {submitting ? t('maintenance.submitting') : t('maintenance.submit')}
              </Button>
            </div>
          </form>
        </Section>
        <Section title={t('maintenance.list')}>
          {windows.error !== null && (
            <LoadError error={windows.error} onRetry={() => void windows.reload()} />
          )}
          {windows.loading && !windows.data && <Loading />}
          {windows.data && (
            <Table caption={t('maintenance.list')} hideCaption>
              <thead>
                <tr>
                  <Th>{t('maintenance.col.period')}</Th>
                  <Th>{t('maintenance.col.state')}</Th>
                  <Th>{t('maintenance.col.message')}</Th>
                  <Th>{t('maintenance.col.createdBy')}</Th>
                  <Th>{t('maintenance.col.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {windows.data.items.length === 0 && <EmptyRow colSpan={5}>{t('common.noData')}</EmptyRow>}
                {windows.data.items.map((w) => (
                  <tr key={w.id}>
                    <Td className="whitespace-nowrap">{period(w)}</Td>
                    <Td>
                      <Badge tone={STATE_TONE[w.state]}>{t(`maintenance.state.${w.state}`)}</Badge>
                    </Td>
                    <Td className="max-w-96 break-words">{w.messageJa}</Td>
                    <Td className="font-mono">{w.createdBy}</Td>
                    <Td>
                      {w.state === 'upcoming' && (
                        <Button
                          variant="secondary"
                          size="sm"
                          aria-label={t('maintenance.cancelLabel', { period: period(w) })}
                          onClick={() => setCanceling(w)}
                        >
                          {t('maintenance.cancel')}
                        </Button>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Section>
      </div>
      <ConfirmDialog
        open={canceling !== null}
        title={t('maintenance.cancel')}
        message={canceling ? `${t('maintenance.cancelConfirm')}（${period(canceling)}）` : ''}
        confirmLabel={t('maintenance.cancel')}
        confirmVariant="danger"
        onConfirm={async () => {
          if (!canceling) return;
          await api.post(`/api/maintenance/${canceling.id}/cancel`);
          setCanceling(null);
          setStatus(t('maintenance.canceled'));
          await windows.reload(true);
        }}
        onClose={() => setCanceling(null)}
      />
    </>
  );
}
