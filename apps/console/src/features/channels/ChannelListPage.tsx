import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { type ApiState, useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from './ChannelSelect.tsx';
import { useSelectedChannel } from './useSelectedChannel.ts';

export type ChannelScope = {
  channels: ApiState<Channel[]>;
  channelId: string;
  setChannelId: (id: string) => void;
  /** The chosen channel is one of the loaded channels (lists of it may be fetched). */
  ready: boolean;
};

/** The channels and the chosen one (remembered across pages) of a page that lists one channel's things. */
export function useChannelScope(): ChannelScope {
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const ready = channels.data?.some((c) => c.id === channelId) ?? false;
  return { channels, channelId, setChannelId, ready };
}

/**
 * A row action of a list page (close, dismiss…): runs it, then shows `done` and reloads the list
 * quietly; a failure is shown as the page's error. Pass `message` and `error` to ChannelListPage.
 */
export function useListAction(list: Pick<ApiState<unknown>, 'reload'>) {
  const t = useT();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>, done: string) {
    setError(null);
    try {
      await action();
      setMessage(done);
      await list.reload(true);
    } catch (err) {
      setError(errorMessage(t, err));
    }
  }
  return { message, error, run };
}

/**
 * The scaffold of a list page of one channel (segments, rich menus, scenarios, FAQ…): the heading
 * with its actions (shown once a channel is chosen), a success or error message, the channel select, and the
 * list's load state; `children` (the table) is shown once the list has loaded.
 */
export function ChannelListPage({
  scope,
  title,
  description,
  actions,
  message,
  error,
  list,
  children,
}: {
  scope: ChannelScope;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  message?: string | null;
  /** An action that failed (useListAction). */
  error?: string | null;
  list: Pick<ApiState<unknown>, 'data' | 'error' | 'loading' | 'reload'>;
  children: ReactNode;
}) {
  const t = useT();
  const { channels, channelId, setChannelId, ready } = scope;
  return (
    <>
      <PageHeader title={title} description={description} actions={ready ? actions : undefined} />
      {message && (
        <Alert tone="success" className="mb-4">
          {message}
        </Alert>
      )}
      {error && (
        <Alert tone="error" className="mb-4">
          {error}
        </Alert>
      )}
      {channels.error !== null && <LoadError error={channels.error} onRetry={() => void channels.reload()} />}
      {channels.data && channels.data.length === 0 && <Alert tone="info">{t('dashboard.noChannels')}</Alert>}
      {channels.data && channels.data.length > 0 && (
        <div className="mb-6">
          <ChannelSelect
            widthClassName="w-80"
            channels={channels.data}
            value={channelId}
            onChange={setChannelId}
          />
        </div>
      )}
      {list.error !== null && <LoadError error={list.error} onRetry={() => void list.reload()} />}
      {(channels.loading || list.loading) && !list.data && <Loading />}
      {list.data !== undefined && children}
    </>
  );
}
