import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Alert } from '../../components/Alert.tsx';
import { Button, buttonClass } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';

// 障害報告 (#/incidents, O-03): the administrators' record of each failure — start and end, impact,
// cause, action, prevention — with a CSV download. The list is newest first; 編集 fills the form.

type Incident = {
  id: string;
  title: string;
  status: 'open' | 'resolved';
  startedAt: string;
  endedAt: string | null;
  impact: string;
  cause: string;
  action: string;
  prevention: string;
};

type Draft = Omit<Incident, 'id' | 'endedAt' | 'startedAt'> & { startedAt: string; endedAt: string };

const EMPTY: Draft = {
  title: '',
  status: 'open',
  startedAt: '',
  endedAt: '',
  impact: '',
  cause: '',
  action: '',
  prevention: '',
};

/** ISO instant → the `datetime-local` value in Tokyo time (UTC+9 all year). */
const toLocal = (iso: string | null) =>
  iso ? new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 16) : '';
/** `datetime-local` value (Tokyo time) → ISO with its offset, as the API takes it. */
const fromLocal = (value: string) => (value ? `${value}:00+09:00` : null);

export function IncidentsPage() {
  const t = useT();
  const list = useApi<{ items: Incident[] }>('/api/incidents');
  const [editing, setEditing] = useState<Incident | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [message, setMessage] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const edit = (i: Incident) => {
    setEditing(i);
    setMessage(null);
    setDraft({ ...i, startedAt: toLocal(i.startedAt), endedAt: toLocal(i.endedAt) });
  };
  const reset = () => {
    setEditing(null);
    setDraft(EMPTY);
  };

  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => {
      const e: Record<string, string> = {};
      if (!draft.title.trim()) e.title = t('incidents.required');
      if (!draft.startedAt) e.startedAt = t('incidents.required');
      return e;
    },
    save: async () => {
      const body = { ...draft, startedAt: fromLocal(draft.startedAt), endedAt: fromLocal(draft.endedAt) };
      if (editing) await api.patch(`/api/incidents/${editing.id}`, body);
      else await api.post('/api/incidents', body);
      setMessage(t(editing ? 'incidents.updated' : 'incidents.created'));
      reset();
      await list.reload(true);
    },
  });

  const status = (s: Incident['status']) =>
    t(s === 'open' ? 'incidents.status.open' : 'incidents.status.resolved');

  return (
    <>
      <PageHeader
        title={t('incidents.title')}
        description={t('incidents.lead')}
        actions={
          <a href="/api/incidents.csv" download className={buttonClass('secondary')}>
            {t('incidents.csv')}
          </a>
        }
      />
      {message && (
        <Alert tone="success" className="mb-4">
          {message}
        </Alert>
      )}
      {list.error !== null && <LoadError error={list.error} onRetry={() => void list.reload()} />}
      {list.loading && !list.data && <Loading />}
      <div className="flex flex-col gap-6">
        <Table caption={t('incidents.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('incidents.col.title')}</Th>
              <Th>{t('incidents.col.status')}</Th>
              <Th>{t('incidents.col.startedAt')}</Th>
              <Th>{t('incidents.col.endedAt')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.length === 0 && <EmptyRow colSpan={5}>{t('incidents.empty')}</EmptyRow>}
            {list.data?.items.map((i) => (
              <tr key={i.id}>
                <Td className="font-bold">{i.title}</Td>
                <Td>{status(i.status)}</Td>
                <Td className="whitespace-nowrap">{formatDateTimeMinutes(i.startedAt)}</Td>
                <Td className="whitespace-nowrap">{formatDateTimeMinutes(i.endedAt)}</Td>
                <Td>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={t('incidents.editLabel', { title: i.title })}
                    onClick={() => edit(i)}
                  >
                    {t('common.edit')}
                  </Button>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <Section title={editing ? t('incidents.editing', { title: editing.title }) : t('incidents.new')}>
          <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
            {formError && <Alert tone="error">{formError}</Alert>}
            <TextField
              label={t('incidents.field.title')}
              required
              value={draft.title}
              onChange={(title) => set({ title })}
              error={errors.title}
              maxLength={200}
            />
            <Select
              label={t('incidents.field.status')}
              value={draft.status}
              onChange={(v) => set({ status: v === 'resolved' ? 'resolved' : 'open' })}
              options={[
                { value: 'open', label: t('incidents.status.open') },
                { value: 'resolved', label: t('incidents.status.resolved') },
              ]}
            />
            <TextField
              label={t('incidents.field.startedAt')}
              type="datetime-local"
              required
              value={draft.startedAt}
              onChange={(startedAt) => set({ startedAt })}
              error={errors.startedAt}
              inputClassName="max-w-80"
            />
            <TextField
              label={t('incidents.field.endedAt')}
              type="datetime-local"
              hint={t('incidents.field.endedAtHint')}
              value={draft.endedAt}
              onChange={(endedAt) => set({ endedAt })}
              error={errors.endedAt}
              inputClassName="max-w-80"
            />
            {(['impact', 'cause', 'action', 'prevention'] as const).map((field) => (
              <TextArea
                key={field}
                label={t(`incidents.field.${field}`)}
                value={draft[field]}
                onChange={(value) => set({ [field]: value })}
                error={errors[field]}
                maxLength={4000}
              />
            ))}
            <div className="flex flex-wrap gap-4">
              <Button type="submit" disabled={submitting}>
                {submitting ? t('common.saving') : editing ? t('common.save') : t('incidents.create')}
              </Button>
              {editing && (
                <Button variant="secondary" onClick={reset}>
                  {t('incidents.cancelEdit')}
                </Button>
              )}
            </div>
          </form>
        </Section>
      </div>
    </>
  );
}
