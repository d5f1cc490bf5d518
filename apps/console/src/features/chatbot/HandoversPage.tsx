import { Button } from '../../components/Button.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope, useListAction } from '../channels/ChannelListPage.tsx';
import { chatbotApi, type HandoverView, handoversPath } from './api.ts';

/** 引き継ぎ (#/chatbot/handovers, B-01): friends a scenario handed over to staff; the bot stays quiet until closed. */
export function HandoversPage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const list = useApi<HandoverView[]>(ready ? handoversPath(channelId) : null);
  const action = useListAction(list);

  const close = (h: HandoverView) =>
    action.run(
      () => chatbotApi.closeHandover(h.id),
      t('chatbot.handovers.closed', { name: h.displayName ?? t('chatbot.handovers.noName') }),
    );

  return (
    <ChannelListPage
      scope={scope}
      title={t('chatbot.handovers.title')}
      description={t('chatbot.handovers.lead')}
      message={action.message}
      error={action.error}
      list={list}
    >
      <Table caption={t('chatbot.handovers.table')} hideCaption>
        <thead>
          <tr>
            <Th>{t('chatbot.handovers.friend')}</Th>
            <Th>{t('chatbot.handovers.scenario')}</Th>
            <Th>{t('chatbot.handovers.text')}</Th>
            <Th>{t('chatbot.handovers.at')}</Th>
            <Th>{t('common.actions')}</Th>
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={5}>{t('chatbot.handovers.empty')}</EmptyRow>}
          {list.data?.map((h) => (
            <tr key={h.id}>
              <Td className="font-bold">{h.displayName ?? t('chatbot.handovers.noName')}</Td>
              <Td>{h.scenarioName}</Td>
              <Td className="max-w-md text-std-16N-170">{h.text}</Td>
              <Td className="whitespace-nowrap">{formatDateTimeMinutes(h.createdAt)}</Td>
              <Td>
                <Button
                  variant="secondary"
                  size="sm"
                  aria-label={t('chatbot.handovers.closeLabel', {
                    name: h.displayName ?? t('chatbot.handovers.noName'),
                  })}
                  onClick={() => void close(h)}
                >
                  {t('chatbot.handovers.close')}
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ChannelListPage>
  );
}
