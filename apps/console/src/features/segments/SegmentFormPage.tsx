import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { FormPage } from '../../components/FormPage.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
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

  useEffect(() => {
    if (original.data) {
      setName(original.data.name);
      setTree(original.data.tree);
    }
  }, [original.data]);

  const channelId = editing ? (original.data?.channelId ?? '') : selectedChannel;
  const channelName = channels.data?.find((c) => c.id === channelId)?.name;

  const submit = useFormSubmit({
    validate: (): Record<string, string> => {
      if (!name.trim()) return { name: t('common.fieldRequired', { label: t('segments.name') }) };
      if (name.trim().length > 100) return { name: t('segments.nameHint') };
      return {};
    },
    blockedBy: () => (isCountable(tree) ? null : t('segments.incomplete')),
    backTo: '/segments',
    save: async () => {
      if (editing) {
        await api.patch<Segment>(`/api/segments/${encodeURIComponent(id)}`, { name: name.trim(), tree });
        return t('segments.updated');
      }
      await api.post<Segment>('/api/segments', { channelId, name: name.trim(), tree });
      return t('segments.created');
    },
  });
  const { errors } = submit;

  return (
    <FormPage
      title={editing ? t('segments.editTitle') : t('segments.newTitle')}
      description={original.data?.name}
      load={{
        error: editing ? original.error : null,
        onRetry: () => void original.reload(),
        loading: (editing && !original.data) || (!editing && !channels.data && channels.error === null),
      }}
      submit={submit}
      className="max-w-5xl gap-6"
    >
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
    </FormPage>
  );
}
