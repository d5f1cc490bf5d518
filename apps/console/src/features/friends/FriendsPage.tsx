import { type FormEvent, useState } from 'react';
import { ApiError, api, query } from '../../api/client.ts';
import type { Channel, FriendPage } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { Select } from '../../components/Select.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes, shortenId } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { AttributeExportLinks } from '../forms/AttributeExportLinks.tsx';

const LIMIT = 50;

export function FriendsPage() {
  const t = useT();
  const can = useCan();
  const channels = useApi<Channel[]>('/api/channels');
  const [channelId, setChannelId] = useSelectedChannel(channels.data);
  const [keyword, setKeyword] = useState('');
  const [status, setStatus] = useState('');
  const [applied, setApplied] = useState({ q: '', status: '' });
  const [offset, setOffset] = useState(0);
  const [flagError, setFlagError] = useState<string | null>(null);

  const channelsKnown = channels.data !== undefined || channels.error !== null;
  const ready =
    channelsKnown && (channels.data === undefined || channels.data.some((c) => c.id === channelId));
  const friends = useApi<FriendPage>(
    ready
      ? `/api/friends${query({
          channelId: channels.data ? channelId : '',
          q: applied.q,
          status: applied.status,
          limit: LIMIT,
          offset,
        })}`
      : null,
  );

  // G-09: test deliveries reach only the friends marked as test devices.
  async function setTest(id: string, isTest: boolean) {
    setFlagError(null);
    try {
      await api.patch(`/api/friends/${id}`, { isTest });
      await friends.reload(true);
    } catch (err) {
      setFlagError(err instanceof ApiError ? err.message : t('friends.markTestFailed'));
    }
  }

  function onSearch(event: FormEvent) {
    event.preventDefault();
    setApplied({ q: keyword.trim(), status });
    setOffset(0);
  }

  return (
    <>
      <PageHeader
        title={t('friends.title')}
        description={t('friends.lead')}
        actions={
          can('friends.export') && channels.data?.some((c) => c.id === channelId) ? (
            <AttributeExportLinks channelId={channelId} />
          ) : undefined
        }
      />
      {channels.data && channels.data.length === 0 ? (
        <Alert tone="info">{t('dashboard.noChannels')}</Alert>
      ) : (
        <>
          <search className="mb-6 block">
            <form
              noValidate
              onSubmit={onSearch}
              className="flex flex-wrap items-end gap-4 rounded-12 border border-solid-gray-420 bg-solid-gray-50 p-5"
            >
              {channels.data && (
                <ChannelSelect
                  widthClassName="w-80"
                  channels={channels.data}
                  value={channelId}
                  onChange={(id) => {
                    setChannelId(id);
                    setOffset(0);
                  }}
                />
              )}
              <TextField
                label={t('friends.keyword')}
                type="search"
                value={keyword}
                onChange={setKeyword}
                placeholder={t('friends.keywordHint')}
                className="w-64"
              />
              <Select
                label={t('friends.status')}
                value={status}
                onChange={setStatus}
                options={[
                  { value: '', label: t('friends.statusAll') },
                  { value: 'following', label: t('friends.following') },
                  { value: 'blocked', label: t('friends.blocked') },
                ]}
                className="w-40"
              />
              <Button type="submit">{t('common.search')}</Button>
            </form>
          </search>
          {flagError !== null && <Alert tone="error">{flagError}</Alert>}
          {friends.error !== null && (
            <LoadError error={friends.error} onRetry={() => void friends.reload()} />
          )}
          {friends.loading && !friends.data && <Loading />}
          {friends.data && (
            <>
              <Table caption={t('friends.title')} hideCaption>
                <thead>
                  <tr>
                    <Th>{t('friends.displayName')}</Th>
                    <Th>{t('friends.lineUserId')}</Th>
                    <Th>{t('friends.status')}</Th>
                    <Th>{t('friends.followedAt')}</Th>
                    <Th>{t('friends.isTest')}</Th>
                  </tr>
                </thead>
                <tbody aria-busy={friends.loading}>
                  {friends.data.items.length === 0 && <EmptyRow colSpan={5}>{t('common.noData')}</EmptyRow>}
                  {friends.data.items.map((friend) => (
                    <tr key={friend.id}>
                      <Td>{friend.displayName || t('friends.noName')}</Td>
                      <Td className="font-mono">
                        <span title={friend.lineUserId}>{shortenId(friend.lineUserId)}</span>
                      </Td>
                      <Td>
                        {friend.status === 'following' ? (
                          <Badge tone="success">{t('friends.following')}</Badge>
                        ) : (
                          <Badge tone="neutral">{t('friends.blocked')}</Badge>
                        )}
                      </Td>
                      <Td className="whitespace-nowrap">{formatDateTimeMinutes(friend.followedAt)}</Td>
                      <Td>
                        {can('deliveries.send') ? (
                          <label className="inline-flex min-h-11 items-center gap-2">
                            <input
                              type="checkbox"
                              className="size-5"
                              checked={friend.isTest}
                              aria-label={t('friends.markTest', {
                                name: friend.displayName || t('friends.noName'),
                              })}
                              onChange={(e) => void setTest(friend.id, e.target.checked)}
                            />
                            {t('channels.test')}
                          </label>
                        ) : friend.isTest ? (
                          <Badge tone="warning">{t('channels.test')}</Badge>
                        ) : (
                          t('common.none')
                        )}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pagination offset={offset} limit={LIMIT} total={friends.data.total} onChange={setOffset} />
            </>
          )}
        </>
      )}
    </>
  );
}
