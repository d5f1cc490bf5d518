import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, fieldErrors } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { setFlash } from '../../lib/flash.ts';
import { focusFirstInvalid } from '../../lib/focus.ts';
import { navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { SegmentBuilder } from './SegmentBuilder.tsx';
import { isCountable, type Segment, type SegmentTree } from './segmentTree.ts';

const EMPTY: SegmentTree = { type: 'and', children: [] };

/** Create (no id) or edit a saved segment: its name and conditions (POST / PATCH /api/segments). */
export function SegmentFormPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const original = useApi<Segment>(editing ? `/api/segments/${encodeURIComponent(id)}` : null);
  const channels = useApi<Channel[]>('/api/channels');
  const [selectedChannel, setSelectedChannel] = useSelectedChannel(channels.data);
  const [name, setName] = useState('');
  const [tree, setTree] = useState<SegmentTree>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (original.data) {
      setName(original.data.name);
      setTree(original.data.tree);
    }
  }, [original.data]);

  const channelId = editing ? (original.data?.channelId ?? '') : selectedChannel;
  const channelName = channels.data?.find((c) => c.id === channelId)?.name;
  const title = editing ? t('segments.editTitle') : t('segments.newTitle');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = t('common.fieldRequired', { label: t('segments.name') });
    else if (name.trim().length > 100) next.name = t('segments.nameHint');
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0 || !isCountable(tree)) {
      setFormError(isCountable(tree) ? t('errors.VALIDATION_FAILED') : t('segments.incomplete'));
      focusFirstInvalid(formElement);
      return;
    }
    setSubmitting(true);
    try {
      if (editing) {
        await api.patch<Segment>(`/api/segments/${encodeURIComponent(id)}`, { name: name.trim(), tree });
        setFlash(t('segments.updated'));
      } else {
        await api.post<Segment>('/api/segments', { channelId, name: name.trim(), tree });
        setFlash(t('segments.created'));
      }
      navigate('/segments');
    } catch (error) {
      setErrors(fieldErrors(error));
      setFormError(errorMessage(t, error));
      focusFirstInvalid(formElement);
      window.scrollTo({ top: 0 });
    } finally {
      setSubmitting(false);
    }
  }

  if (editing && original.error !== null) {
    return (
      <>
        <PageHeader title={title} />
        <LoadError error={original.error} onRetry={() => void original.reload()} />
      </>
    );
  }
  if ((editing && !original.data) || (!editing && !channels.data && channels.error === null)) {
    return (
      <>
        <PageHeader title={title} />
        <Loading />
      </>
    );
  }

  return (
    <>
      <PageHeader title={title} description={original.data?.name} />
      <form noValidate onSubmit={onSubmit} className="flex max-w-5xl flex-col gap-6">
        {formError && <Alert tone="error">{formError}</Alert>}
        <div className="flex flex-wrap items-end gap-6">
          <TextField
            label={t('segments.name')}
            hint={t('segments.nameHint')}
            required
            maxLength={100}
            value={name}
            onChange={setName}
            error={errors.name}
            className="w-full max-w-xl"
          />
          {!editing && channels.data && channels.data.length > 0 && (
            <ChannelSelect
              widthClassName="w-80"
              channels={channels.data}
              value={selectedChannel}
              onChange={(next) => {
                setSelectedChannel(next);
                // Items and choices belong to one channel's registration form.
                setTree(EMPTY);
              }}
            />
          )}
          {editing && channelName && (
            <p className="text-std-16N-170 text-solid-gray-700">
              {t('segments.channelFixed', { name: channelName })}
            </p>
          )}
        </div>
        {!editing && channels.data?.length === 0 && <Alert tone="info">{t('dashboard.noChannels')}</Alert>}
        {channelId && (
          <Section title={t('segments.conditionsSection')} description={t('segments.conditionsHint')}>
            <SegmentBuilder channelId={channelId} value={tree} onChange={setTree} />
          </Section>
        )}
        <FormActions submitting={submitting} cancelTo="/segments" />
      </form>
    </>
  );
}
