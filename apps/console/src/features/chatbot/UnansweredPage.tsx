import { useCan } from '../../auth/AuthContext.tsx';
import { Button } from '../../components/Button.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { formatDateTimeMinutes, formatNumber } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { ChannelListPage, useChannelScope, useListAction } from '../channels/ChannelListPage.tsx';
import { chatbotApi, type UnansweredView, unansweredPath } from './api.ts';

/** 未回答の質問 (#/chatbot/unanswered, B-04): questions neither a scenario nor the FAQ answered, most asked first. */
export function UnansweredPage() {
  const t = useT();
  const can = useCan();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const list = useApi<UnansweredView[]>(ready ? unansweredPath(channelId) : null);
  const action = useListAction(list);

  const dismiss = (text: string) =>
    action.run(
      () => chatbotApi.dismissUnanswered(channelId, text),
      t('chatbot.unanswered.dismissed', { text }),
    );

  return (
    <ChannelListPage
      scope={scope}
      title={t('chatbot.unanswered.title')}
      description={t('chatbot.unanswered.lead')}
      message={action.message}
      error={action.error}
      list={list}
    >
      <Table caption={t('chatbot.unanswered.table')} hideCaption>
        <thead>
          <tr>
            <Th>{t('chatbot.unanswered.text')}</Th>
            <Th>{t('chatbot.unanswered.count')}</Th>
            <Th>{t('chatbot.unanswered.lastAsked')}</Th>
            {can('chatbot.manage') && <Th>{t('common.actions')}</Th>}
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && <EmptyRow colSpan={4}>{t('chatbot.unanswered.empty')}</EmptyRow>}
          {list.data?.map((u) => (
            <tr key={u.text}>
              <Td className="max-w-xl text-std-16N-170">{u.text}</Td>
              <Td className="text-right">{formatNumber(u.count)}</Td>
              <Td className="whitespace-nowrap">{formatDateTimeMinutes(u.lastAskedAt)}</Td>
              {can('chatbot.manage') && (
                <Td>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={t('chatbot.unanswered.dismissLabel', { text: u.text })}
                    onClick={() => void dismiss(u.text)}
                  >
                    {t('chatbot.unanswered.dismiss')}
                  </Button>
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
    </ChannelListPage>
  );
}
