import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Channel, ChannelUpdate, Environment } from '../../api/types.ts';
import { FormPage } from '../../components/FormPage.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';

type Form = {
  name: string;
  lineChannelId: string;
  channelSecret: string;
  accessToken: string;
  environment: Environment;
  loginChannelId: string;
  loginChannelSecret: string;
  liffId: string;
};

const EMPTY: Form = {
  name: '',
  lineChannelId: '',
  channelSecret: '',
  accessToken: '',
  environment: 'production',
  loginChannelId: '',
  loginChannelSecret: '',
  liffId: '',
};

/** Add (no id) or edit a LINE channel. Secrets are write-only: blank on edit = unchanged. */
export function ChannelFormPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const channels = useApi<Channel[]>(editing ? '/api/channels' : null);
  const original = channels.data?.find((c) => c.id === id);
  const [form, setForm] = useState<Form>(EMPTY);

  useEffect(() => {
    if (!original) return;
    setForm({
      ...EMPTY,
      name: original.name,
      lineChannelId: original.lineChannelId,
      environment: original.environment,
      loginChannelId: original.loginChannelId ?? '',
      liffId: original.liffId ?? '',
    });
  }, [original]);

  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  function validate(): Record<string, string> {
    const next: Record<string, string> = {};
    const required = (key: keyof Form, label: string) => {
      if (!form[key].trim()) next[key] = t('common.fieldRequired', { label });
    };
    required('name', t('channels.name'));
    required('lineChannelId', t('channels.lineChannelId'));
    if (!editing) {
      required('channelSecret', t('channels.channelSecret'));
      required('accessToken', t('channels.accessToken'));
    }
    if (form.lineChannelId.trim() && !/^\d+$/.test(form.lineChannelId.trim())) {
      next.lineChannelId = t('channels.digitsOnly');
    }
    if (form.loginChannelId.trim() && !/^\d+$/.test(form.loginChannelId.trim())) {
      next.loginChannelId = t('channels.digitsOnly');
    }
    return next;
  }

  function body(): ChannelUpdate {
    const trimmed = (key: keyof Form) => form[key].trim();
    const result: ChannelUpdate = {
      name: trimmed('name'),
      lineChannelId: trimmed('lineChannelId'),
      environment: form.environment,
    };
    // Write-only secrets: only sent when typed.
    for (const key of ['channelSecret', 'accessToken', 'loginChannelSecret'] as const) {
      if (trimmed(key)) result[key] = trimmed(key);
    }
    for (const key of ['loginChannelId', 'liffId'] as const) {
      if (trimmed(key)) result[key] = trimmed(key);
      else if (editing && original?.[key]) result[key] = null; // cleared
    }
    return result;
  }

  const submit = useFormSubmit({
    validate,
    backTo: '/channels',
    save: async () => {
      if (editing) {
        await api.patch<Channel>(`/api/channels/${encodeURIComponent(id)}`, body());
        return t('channels.updated');
      }
      await api.post<Channel>('/api/channels', body());
      return t('channels.created');
    },
  });
  const { errors } = submit;

  const secretHint = editing ? t('channels.secretKeepHint') : t('channels.fromDevelopers');
  const secretProps = { autoComplete: 'off', spellCheck: false, inputClassName: 'font-mono' } as const;

  return (
    <FormPage
      title={editing ? t('channels.editTitle') : t('channels.newTitle')}
      description={original?.name}
      load={{
        error: editing ? channels.error : null,
        onRetry: () => void channels.reload(),
        loading: editing && !channels.data,
        notFound: editing && !original ? t('errors.NOT_FOUND') : null,
      }}
      submit={submit}
      className="max-w-3xl gap-6"
    >
      <Section title={t('channels.basicSection')}>
        <div className="flex flex-col gap-5">
          <TextField
            label={t('channels.name')}
            hint={t('channels.nameHint')}
            required
            value={form.name}
            onChange={set('name')}
            error={errors.name}
          />
          <RadioGroup
            legend={t('channels.environment')}
            name="environment"
            required
            hint={t('channels.environmentHint')}
            value={form.environment}
            onChange={(v) => setForm((f) => ({ ...f, environment: v === 'test' ? 'test' : 'production' }))}
            options={[
              { value: 'production', label: t('channels.production') },
              { value: 'test', label: t('channels.test') },
            ]}
          />
        </div>
      </Section>
      <Section title={t('channels.messagingSection')} description={t('channels.fromDevelopers')}>
        <div className="flex flex-col gap-5">
          <TextField
            label={t('channels.lineChannelId')}
            required
            inputMode="numeric"
            value={form.lineChannelId}
            onChange={set('lineChannelId')}
            error={errors.lineChannelId}
            inputClassName="max-w-80 font-mono"
          />
          <TextField
            label={t('channels.channelSecret')}
            hint={secretHint}
            required={!editing}
            value={form.channelSecret}
            onChange={set('channelSecret')}
            error={errors.channelSecret}
            {...secretProps}
          />
          <TextField
            label={t('channels.accessToken')}
            hint={secretHint}
            required={!editing}
            value={form.accessToken}
            onChange={set('accessToken')}
            error={errors.accessToken}
            {...secretProps}
          />
        </div>
      </Section>
      <Section title={t('channels.loginSection')} description={t('channels.loginSectionLead')}>
        <div className="flex flex-col gap-5">
          <TextField
            label={t('channels.loginChannelId')}
            inputMode="numeric"
            value={form.loginChannelId}
            onChange={set('loginChannelId')}
            error={errors.loginChannelId}
            inputClassName="max-w-80 font-mono"
          />
          <TextField
            label={t('channels.loginChannelSecret')}
            hint={editing ? t('channels.secretKeepHint') : undefined}
            value={form.loginChannelSecret}
            onChange={set('loginChannelSecret')}
            error={errors.loginChannelSecret}
            {...secretProps}
          />
          <TextField
            label={t('channels.liffId')}
            value={form.liffId}
            onChange={set('liffId')}
            error={errors.liffId}
            inputClassName="max-w-96 font-mono"
          />
        </div>
      </Section>
    </FormPage>
  );
}
