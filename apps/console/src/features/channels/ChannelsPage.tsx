import type { Channel } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { LinkButton } from '../../components/Button.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { useApi } from '../../lib/useApi.ts';

export function ChannelsPage() {
  const t = useT();
  const can = useCan();
  const manage = can('channels.manage');
  const channels = useApi<Channel[]>('/api/channels');
  const flash = useFlash();

  return (
    <>
      <PageHeader
        title={t('channels.title')}
        description={t('channels.lead')}
        actions={
          manage && (
            <LinkButton to="/channels/new" variant="primary">
              {t('channels.add')}
            </LinkButton>
          )
        }
      />
      {flash && (
        <Alert tone="success" className="mb-4">
          {flash}
        </Alert>
      )}
      {channels.error !== null && <LoadError error={channels.error} onRetry={() => void channels.reload()} />}
      {channels.loading && !channels.data && <Loading />}
      {channels.data && (
        <>
          <p className="mb-3 text-std-16N-170 text-solid-gray-700">{t('channels.webhookHint')}</p>
          <Table caption={t('channels.title')} hideCaption>
            <thead>
              <tr>
                <Th>{t('channels.name')}</Th>
                <Th>{t('channels.environment')}</Th>
                <Th>{t('channels.lineChannelId')}</Th>
                <Th>{t('channels.webhookUrl')}</Th>
                {manage && <Th>{t('common.actions')}</Th>}
              </tr>
            </thead>
            <tbody>
              {channels.data.length === 0 && (
                <EmptyRow colSpan={manage ? 5 : 4}>{t('channels.empty')}</EmptyRow>
              )}
              {channels.data.map((channel) => (
                <tr key={channel.id}>
                  <Td className="font-bold">{channel.name}</Td>
                  <Td>
                    {channel.environment === 'production' ? (
                      <Badge tone="strong">{t('channels.production')}</Badge>
                    ) : (
                      <Badge tone="warning">{t('channels.test')}</Badge>
                    )}
                  </Td>
                  <Td className="font-mono">{channel.lineChannelId}</Td>
                  <Td>
                    <CopyButton
                      text={channel.webhookUrl}
                      label={t('channels.copyWebhook', { name: channel.name })}
                    >
                      <code className="rounded-4 bg-solid-gray-50 px-2 py-1 font-mono text-dns-14N-130 break-all">
                        {channel.webhookUrl}
                      </code>
                    </CopyButton>
                  </Td>
                  {manage && (
                    <Td>
                      <LinkButton
                        to={`/channels/${encodeURIComponent(channel.id)}/edit`}
                        size="sm"
                        aria-label={`${t('common.edit')}: ${channel.name}`}
                      >
                        {t('common.edit')}
                      </LinkButton>
                    </Td>
                  )}
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </>
  );
}
