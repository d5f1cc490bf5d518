import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { fieldErrors } from '../../api/errors.ts';
import type { Channel, Desk } from '../../api/types.ts';
import { FormPage } from '../../components/FormPage.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
import { useStaffAccounts } from '../consultation/counselors.ts';
import { loadDesks } from '../consultation/live.ts';
import { BasicSection } from './BasicSection.tsx';
import { CannedSection } from './CannedSection.tsx';
import { ContactsSection } from './ContactsSection.tsx';
import { CounselorsSection } from './CounselorsSection.tsx';
import { DetectSection } from './DetectSection.tsx';
import {
  type DeskForm,
  deskBody,
  emptyForm,
  errorKeyOfPath,
  formFromDesk,
  validateDesk,
} from './deskForm.ts';
import { HoursSection } from './HoursSection.tsx';
import { MessagesSection } from './MessagesSection.tsx';
import { RecordFieldsSection } from './RecordFieldsSection.tsx';
import { WebSection } from './WebSection.tsx';

/** Add (no id) or edit a consultation desk (POST /api/desks, PATCH /api/desks/:id). */
export function DeskFormPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const desks = useApi<Desk[]>(editing ? '/api/desks' : null);
  // The LINE channel selector is offered only when the account may read the channels.
  const channels = useApi<Channel[]>('/api/channels');
  // 担当の相談員 is offered only when the accounts can be read (accounts.view).
  const staff = useStaffAccounts();
  const original = desks.data?.find((d) => d.id === id);
  const [form, setForm] = useState<DeskForm>(emptyForm);

  useEffect(() => {
    if (original) setForm(formFromDesk(original));
  }, [original]);

  const submit = useFormSubmit({
    validate: () => validateDesk(t, form),
    backTo: '/desks',
    save: async () => {
      const body = deskBody(form, {
        editing,
        channelKnown: channels.data !== undefined,
        counselorsKnown: staff !== undefined,
      });
      if (editing) await api.patch<Desk>(`/api/desks/${encodeURIComponent(id)}`, body);
      else await api.post<Desk>('/api/desks', body);
      void loadDesks(true);
      return editing ? t('desks.updated') : t('desks.created');
    },
    serverFieldErrors: (error) => {
      const mapped: Record<string, string> = {};
      for (const [path, message] of Object.entries(fieldErrors(error))) {
        mapped[errorKeyOfPath(form, path)] = message;
      }
      return mapped;
    },
  });
  const { errors } = submit;

  return (
    <FormPage
      title={editing ? t('desks.editTitle') : t('desks.newTitle')}
      description={original?.name}
      load={{
        error: editing ? desks.error : null,
        onRetry: () => void desks.reload(),
        loading: editing && !desks.data,
        notFound: editing && !original ? t('errors.NOT_FOUND') : null,
      }}
      submit={submit}
      className="max-w-5xl gap-6"
    >
      <BasicSection form={form} setForm={setForm} errors={errors} channels={channels.data} />
      {staff && <CounselorsSection form={form} setForm={setForm} staff={staff} />}
      <HoursSection form={form} setForm={setForm} errors={errors} />
      <MessagesSection form={form} setForm={setForm} errors={errors} />
      <ContactsSection form={form} setForm={setForm} errors={errors} />
      <RecordFieldsSection form={form} setForm={setForm} errors={errors} />
      <CannedSection form={form} setForm={setForm} errors={errors} />
      <WebSection
        form={form}
        setForm={setForm}
        errors={errors}
        hasAccessCode={original?.hasAccessCode ?? false}
      />
      <DetectSection form={form} setForm={setForm} errors={errors} />
    </FormPage>
  );
}
