import { memo } from 'react';
import type { Message } from '../../consult/api.ts';
import { splitLinks } from '../../consult/linkify.ts';
import type { OutboxEntry } from '../../consult/outbox.ts';
import { type Locale, type TFunction, useI18n } from '../../i18n/i18n.tsx';

// The conversation: the consultee's messages on the right, the counselor's on the left, system
// messages centred. Text is always rendered as text; only http(s) URLs become links.

type Item =
  | { key: string; sender: Message['sender']; text: string; at: string; state: 'sent'; message: Message }
  | {
      key: string;
      sender: 'consultee';
      text: string;
      at: string;
      state: 'sending' | 'failed';
      entry: OutboxEntry;
    };

function formatTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

export function senderLabel(t: TFunction, message: Pick<Message, 'sender' | 'accountName'>): string {
  if (message.sender === 'counselor') return message.accountName || t('consult.sender.counselor');
  return t(`consult.sender.${message.sender}`);
}

function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, i) =>
        part.kind === 'link' ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
            key={i}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            className="underline underline-offset-[3px] hover:decoration-2"
          >
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed text
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

const MessageItem = memo(function MessageItem({ item }: { item: Item }) {
  const { t, locale } = useI18n();
  const time = formatTime(item.at, locale);
  const label = item.state === 'sent' ? senderLabel(t, item.message) : t('consult.sender.consultee');
  const data = {
    'data-sender': item.sender,
    'data-state': item.state,
    'data-message-id': item.state === 'sent' ? item.message.id : undefined,
    'data-client-id': item.state === 'sent' ? (item.message.clientId ?? undefined) : item.entry.clientId,
  };

  if (item.sender === 'system') {
    return (
      <li {...data} className="flex justify-center">
        <div className="w-full max-w-[90%] rounded-8 bg-solid-gray-50 px-4 py-2 text-center">
          <p className="whitespace-pre-wrap text-std-16N-170 text-solid-gray-800">
            <span className="sr-only">{label}：</span>
            <MessageText text={item.text} />
          </p>
          {time && (
            <p className="text-oln-16N-100 text-solid-gray-700">
              <time dateTime={item.at}>{time}</time>
            </p>
          )}
        </div>
      </li>
    );
  }

  const mine = item.sender === 'consultee';
  const bubble = mine
    ? item.state === 'failed'
      ? 'border-2 border-error-2 bg-red-50 rounded-br-4'
      : item.state === 'sending'
        ? 'border-2 border-dashed border-blue-900 bg-blue-50 rounded-br-4'
        : 'border-2 border-blue-200 bg-blue-100 rounded-br-4'
    : 'border-2 border-solid-gray-300 bg-white rounded-bl-4';

  return (
    <li {...data} className={`flex ${mine ? 'justify-end' : 'justify-start'}`}>
      <div className={`flex max-w-[85%] flex-col gap-1 ${mine ? 'items-end' : 'items-start'}`}>
        {!mine && <p className="text-oln-16B-100 text-solid-gray-800">{label}</p>}
        <p
          className={`whitespace-pre-wrap rounded-16 px-4 py-2 text-std-18N-160 text-solid-gray-900 ${bubble}`}
        >
          {mine && <span className="sr-only">{label}：</span>}
          <MessageText text={item.text} />
        </p>
        <p className="flex flex-wrap items-center gap-2 text-oln-16N-100 text-solid-gray-700">
          {time && <time dateTime={item.at}>{time}</time>}
          {item.state === 'sending' && (
            <span className="inline-flex items-center gap-1 text-blue-1000">
              <span
                aria-hidden="true"
                className="size-3.5 rounded-full border-2 border-blue-200 border-t-blue-900 motion-safe:animate-spin"
              />
              {t('consult.sending')}
            </span>
          )}
          {item.state === 'failed' && <span className="font-bold text-error-2">{t('consult.failed')}</span>}
        </p>
      </div>
    </li>
  );
});

export function MessageList({
  messages,
  pending,
  failed,
  closed,
  synced,
}: {
  messages: readonly Message[];
  pending: readonly OutboxEntry[];
  failed: readonly OutboxEntry[];
  closed: boolean;
  synced: boolean;
}) {
  const { t } = useI18n();
  const items: Item[] = [
    ...messages.map(
      (m): Item => ({
        key: m.clientId ? `c-${m.clientId}` : m.id,
        sender: m.sender,
        text: m.text,
        at: m.createdAt,
        state: 'sent',
        message: m,
      }),
    ),
    ...failed.map(
      (e): Item => ({
        key: `c-${e.clientId}`,
        sender: 'consultee',
        text: e.text,
        at: e.createdAt,
        state: 'failed',
        entry: e,
      }),
    ),
    ...pending.map(
      (e): Item => ({
        key: `c-${e.clientId}`, // the same row once acknowledged
        sender: 'consultee',
        text: e.text,
        at: e.createdAt,
        state: closed ? 'failed' : 'sending',
        entry: e,
      }),
    ),
  ];

  return (
    <section aria-label={t('consult.messagesLabel')} className="flex flex-col gap-3 py-4">
      {items.length === 0 && (
        <p className="py-6 text-center text-std-16N-170 text-solid-gray-700">
          {synced ? t('consult.noMessages') : t('consult.loadingMessages')}
        </p>
      )}
      <ol data-testid="chat-messages" className="flex flex-col gap-4">
        {items.map((item) => (
          <MessageItem key={item.key} item={item} />
        ))}
      </ol>
    </section>
  );
}
