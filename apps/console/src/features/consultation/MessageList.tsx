import { memo, useLayoutEffect, useRef } from 'react';
import { errorMessage } from '../../api/errors.ts';
import type { ConsultationMessage } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { PendingMessage } from './live.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** `10:05` today, `11/3 10:05` on other days. */
export function messageTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date().toDateString() ? time : `${d.getMonth() + 1}/${d.getDate()} ${time}`;
}

// Dense text and the time beside the bubble: at 1366×768 ten messages or more are in view (C-12).
const bubble =
  'rounded-12 border px-3 py-1 text-dns-16N-130 whitespace-pre-wrap break-words text-solid-gray-900';
const noteBubble = 'border-yellow-700 bg-yellow-100';

function NoteLabel() {
  const t = useT();
  return (
    <span className="rounded-4 border border-yellow-900 bg-yellow-300 px-2 py-0.5 text-dns-14B-130 text-solid-gray-900">
      {t('consult.note')}
    </span>
  );
}

/** Same sender (and kind) as the message before: the name is not repeated above the bubble. */
function sameRun(a: ConsultationMessage | undefined, b: ConsultationMessage): boolean {
  return (
    a !== undefined &&
    a.sender !== 'system' &&
    a.sender === b.sender &&
    a.kind === b.kind &&
    (a.accountName ?? null) === (b.accountName ?? null)
  );
}

/**
 * The conversation, oldest first (consultee left, counselor right, system centred, internal notes
 * yellow). Text is rendered as text. role="log" announces new messages politely. The sender's name
 * is shown once per run of messages (screen readers still hear it for each).
 */
export function MessageList({
  messages,
  pending = [],
  onResend,
  onDiscard,
}: {
  messages: ConsultationMessage[];
  pending?: PendingMessage[];
  onResend?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
}) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  /** Sizes at the last scroll event: a scroll caused by a layout change (not the user) keeps `stick`. */
  const last = useRef({ client: 0, content: 0 });

  // Follow new messages only while the counselor is at the bottom (reading older ones is not disturbed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a message is added.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length]);

  // The same when the log gets smaller (a window made smaller, the reply box growing with the text).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={ref}
      role="log"
      aria-label={t('consult.messages')}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        const sized = el.clientHeight !== last.current.client || el.scrollHeight !== last.current.content;
        last.current = { client: el.clientHeight, content: el.scrollHeight };
        if (sized) return;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
      data-testid="chat-log"
      className="min-h-0 flex-1 overflow-y-auto px-4 py-2"
    >
      {messages.length === 0 && pending.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t('consult.noMessages')}</p>
      ) : (
        <ol className="flex flex-col gap-1">
          {messages.map((m, i) => (
            <MessageItem key={m.id} m={m} continued={sameRun(messages[i - 1], m)} />
          ))}
          {pending.map((p) => (
            <PendingItem key={p.clientId} p={p} onResend={onResend} onDiscard={onDiscard} />
          ))}
        </ol>
      )}
    </div>
  );
}

export const MessageItem = memo(function MessageItem({
  m,
  continued = false,
}: {
  m: ConsultationMessage;
  /** The previous message has the same sender: the name line is hidden (kept for screen readers). */
  continued?: boolean;
}) {
  const t = useT();
  const time = messageTime(m.createdAt);
  if (m.sender === 'system') {
    return (
      <li
        data-message={m.id}
        className="my-1 max-w-[90%] self-center rounded-8 bg-solid-gray-50 px-3 py-1 text-center text-dns-14N-130 whitespace-pre-wrap break-words text-solid-gray-700"
      >
        <span className="sr-only">{t('consult.senderSystem')}: </span>
        {m.text}
        <time dateTime={m.createdAt} className="ml-2">
          {time}
        </time>
      </li>
    );
  }
  const counselor = m.sender === 'counselor';
  const note = m.kind === 'note';
  const who = counselor ? (m.accountName ?? t('consult.senderCounselor')) : t('consult.senderConsultee');
  return (
    <li
      data-message={m.id}
      className={`flex max-w-[85%] flex-col gap-0.5 ${counselor ? 'items-end self-end' : 'items-start self-start'} ${
        continued ? '' : 'mt-2 first:mt-0'
      }`}
    >
      {continued ? (
        <span className="sr-only">{note ? `${t('consult.note')} ${who}` : who}</span>
      ) : (
        <p className="flex flex-wrap items-center gap-2 text-dns-14N-130 text-solid-gray-700">
          {note && <NoteLabel />}
          <span>{who}</span>
        </p>
      )}
      <div className={`flex items-end gap-2 ${counselor ? 'flex-row-reverse' : ''}`}>
        <p
          className={`${bubble} ${
            note ? noteBubble : counselor ? 'border-blue-300 bg-blue-50' : 'border-solid-gray-420 bg-white'
          }`}
        >
          {m.text}
        </p>
        <time dateTime={m.createdAt} className="shrink-0 text-dns-14N-130 text-solid-gray-700">
          {time}
        </time>
      </div>
    </li>
  );
});

function PendingItem({
  p,
  onResend,
  onDiscard,
}: {
  p: PendingMessage;
  onResend?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
}) {
  const t = useT();
  const failed = p.state === 'failed';
  return (
    <li className="mt-2 flex max-w-[85%] flex-col items-end gap-1 self-end" data-pending={p.state}>
      <p className="flex flex-wrap items-center gap-2 text-dns-14N-130 text-solid-gray-700">
        {p.kind === 'note' && <NoteLabel />}
        {!failed && <span>{t('consult.sending')}</span>}
      </p>
      <p
        className={`${bubble} border-dashed ${
          failed
            ? 'border-2 border-error-1 bg-red-50'
            : p.kind === 'note'
              ? noteBubble
              : 'border-blue-300 bg-blue-50'
        } ${failed ? '' : 'opacity-70'}`}
      >
        {p.text}
      </p>
      {failed && (
        <div className="flex flex-wrap items-center justify-end gap-2">
          <p role="alert" className="text-dns-14B-130 text-error-1">
            {t('consult.sendFailed', { reason: errorMessage(t, p.error) })}
          </p>
          <Button size="sm" variant="secondary" onClick={() => onResend?.(p.clientId)}>
            {t('consult.resend')}
          </Button>
          <Button size="sm" variant="tertiary" onClick={() => onDiscard?.(p.clientId)}>
            {t('consult.discard')}
          </Button>
        </div>
      )}
    </li>
  );
}
