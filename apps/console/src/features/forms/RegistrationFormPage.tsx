import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { AddItemForm } from './AddItemForm.tsx';
import type { Run } from './ChoicesEditor.tsx';
import { FormPreview } from './FormPreview.tsx';
import { formsApi, type RegistrationForm } from './formTypes.ts';
import { ItemCard } from './ItemCard.tsx';

/**
 * 受信設定フォーム (#/registration-form, G-01, G-11): the channel's registration form — items in order
 * with 上へ / 下へ, add, rename, required, help, choices (wards and towns for areas), retire and
 * restore, and a preview of what friends see.
 */
export function RegistrationFormPage() {
  const t = useT();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const channel = channels.data?.find((c) => c.id === channelId);
  const form = useApi<RegistrationForm>(channel ? formsApi.registrationPath(channel.id) : null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const run: Run = async (action, done) => {
    setError(null);
    setStatus('');
    try {
      form.setData(await action());
      setStatus(done);
      return true;
    } catch (err) {
      setError(errorMessage(t, err));
      return false;
    }
  };

  const data = form.data && form.data.channelId === channel?.id ? form.data : undefined;
  const link = channel?.liffId ? `https://liff.line.me/${channel.liffId}?page=register` : null;

  return (
    <>
      <PageHeader title={t('forms.title')} description={t('forms.lead')} />
      {channels.error !== null && <LoadError error={channels.error} onRetry={() => void channels.reload()} />}
      {channels.data && channels.data.length === 0 && <Alert tone="info">{t('dashboard.noChannels')}</Alert>}
      {channels.data && channels.data.length > 0 && (
        <div className="mb-6 flex flex-wrap items-end gap-6">
          <ChannelSelect channels={channels.data} value={channelId} onChange={setChannelId} />
          {link ? (
            <div className="flex flex-col gap-1">
              <p className="text-std-16B-170 text-solid-gray-800">{t('forms.liffLink')}</p>
              <CopyButton text={link} label={t('forms.liffLinkCopy')}>
                <code className="rounded-4 bg-solid-gray-50 px-2 py-1 text-dns-14N-130">{link}</code>
              </CopyButton>
            </div>
          ) : (
            channel && <Alert tone="warning">{t('forms.noLiff')}</Alert>
          )}
        </div>
      )}
      {form.error !== null && <LoadError error={form.error} onRetry={() => void form.reload()} />}
      {form.loading && !data && <Loading />}
      {data && (
        <div className="flex flex-col gap-6">
          {/* One live region that is always there, so every result is announced. */}
          <p
            role="status"
            aria-live="polite"
            className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-2 text-std-16N-170 empty:hidden"
          >
            {error ? '' : status}
          </p>
          {error && <Alert tone="error">{error}</Alert>}
          <Section
            title={t('forms.itemsSection', { count: data.items.length })}
            description={t('forms.itemsLead')}
          >
            {data.items.length === 0 ? (
              <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>
            ) : (
              <ol aria-label={t('forms.itemList')} className="flex flex-col gap-3">
                {data.items.map((item, index) => (
                  <ItemCard key={item.id} form={data} item={item} index={index} run={run} />
                ))}
              </ol>
            )}
          </Section>
          <Section title={t('forms.addSection')}>
            <AddItemForm formId={data.id} run={run} />
          </Section>
          <Section title={t('forms.previewSection')} description={t('forms.previewLead')}>
            <FormPreview items={data.items} />
          </Section>
        </div>
      )}
    </>
  );
}
