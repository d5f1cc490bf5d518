import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  type ConsultationStatus,
  consultApi,
  consultSocketUrl,
  type Message,
  type PublicDesk,
} from '../../consult/api.ts';
import { showOutOfHoursNotice } from '../../consult/out-of-hours.ts';
import type { StorageLike } from '../../consult/outbox.ts';
import { hasFinePointer } from '../../consult/pointer.ts';
import { useChatSocket } from '../../consult/use-chat-socket.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Liff } from '../../liff/liff-types.ts';
import { isInLineClient } from '../../liff/load-liff.ts';
import { Button } from '../Button.tsx';
import { Composer } from './Composer.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { EmergencyContactList, EmergencyContacts } from './EmergencyContacts.tsx';
import { EndDialog } from './EndDialog.tsx';
import { MessageList, senderLabel } from './MessageList.tsx';

const NEAR_BOTTOM_PX = 160;

function nearBottom(): boolean {
  const doc = document.documentElement;
  return window.innerHeight + window.scrollY >= doc.scrollHeight - NEAR_BOTTOM_PX;
}

function scrollToBottom(): void {
  window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'auto' });
}

/**
 * The chat itself. The page scrolls as a whole (robust with phone keyboards and zoom); the bar with
 * the desk name, "緊急の連絡先" and "相談を終える" sticks to the top, the message box to the bottom.
 * Out of hours, a notice with the emergency numbers follows the messages (so the automatic reply's
 * 「下記の連絡先」 is right below it) until a counselor takes the consultation or replies.
 */
export function ChatRoom({
  desk,
  consultationId,
  initial,
  storage,
  liff,
  viaLine,
  onClosed,
  onRestart,
}: {
  desk: PublicDesk;
  consultationId: string;
  initial?: { status: ConsultationStatus; messages: Message[] };
  storage: StorageLike | null;
  liff: Liff | null;
  /** A LINE consultee (signed in through LIFF); otherwise a web consultee (no mention of LINE). */
  viaLine: boolean;
  /** The consultation is over (by the counselor, the consultee or the server). */
  onClosed: () => void;
  onRestart: () => void;
}) {
  const { t } = useI18n();
  const [announcement, setAnnouncement] = useState('');
  const [ending, setEnding] = useState(false);
  const endedHeading = useRef<HTMLHeadingElement>(null);
  const focusEnded = useRef(false);

  const { snapshot, connection } = useChatSocket({
    url: consultSocketUrl(consultationId, window.location),
    consultationId,
    initial,
    storage,
    onIncoming: (messages) =>
      setAnnouncement(
        messages.map((m) => t('consult.newMessage', { sender: senderLabel(t, m), text: m.text })).join('\n'),
      ),
    onClosed: () => {
      setAnnouncement(t('consult.ended'));
      onClosed();
    },
  });
  const closed = snapshot.status === 'closed' || snapshot.fatal !== null;

  // Follow new messages when the reader is at the bottom (or just sent one).
  const followRef = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      followRef.current = nearBottom();
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  const itemCount = snapshot.messages.length + snapshot.pending.length + snapshot.failed.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the number of messages changes.
  useLayoutEffect(() => {
    if (followRef.current) scrollToBottom();
  }, [itemCount, closed]);

  // Unsent messages live in sessionStorage, which closing the tab loses: ask first.
  const hasPending = snapshot.pending.length > 0 && !closed;
  useEffect(() => {
    if (!hasPending) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [hasPending]);

  // After the consultation ends, the focus (which was in the message box or the dialog) goes to the notice.
  useEffect(() => {
    if (!closed || ending) return;
    if (focusEnded.current || document.activeElement === document.body || !document.activeElement) {
      endedHeading.current?.focus();
    }
    focusEnded.current = false;
  }, [closed, ending]);

  const send = useCallback(
    (text: string) => {
      followRef.current = true;
      return connection.send(text) !== null;
    },
    [connection],
  );

  const end = async () => {
    await consultApi.end(consultationId);
    focusEnded.current = true;
    setEnding(false);
    connection.markClosed();
  };

  // Just started: a keyboard-and-mouse device goes straight to the message box; on a touch screen
  // (where that would pop up the keyboard over the page) the desk name takes the focus instead.
  const [focusComposer] = useState(() => initial !== undefined && hasFinePointer());
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when first shown.
  useEffect(() => {
    if (initial !== undefined && !focusComposer) heading.current?.focus({ preventScroll: true });
  }, []);

  const statusText = closed
    ? t('consult.status.closed')
    : snapshot.status
      ? t(`consult.status.${snapshot.status}`)
      : '';
  const canClose = isInLineClient(liff);
  const showOutOfHours = showOutOfHoursNotice({
    openNow: desk.openNow,
    closed,
    status: snapshot.status,
    messages: snapshot.messages,
  });

  return (
    <div className="flex flex-1 flex-col">
      <div className="sticky top-0 z-10 -mx-4 border-b border-solid-gray-200 bg-white px-4 pt-2 pb-2">
        <div className="flex flex-col">
          <h1 ref={heading} tabIndex={-1} className="text-std-20B-150 text-solid-gray-900">
            {desk.name}
          </h1>
          {statusText && (
            <p data-testid="chat-status" className="text-oln-16N-100 text-solid-gray-700">
              {statusText}
            </p>
          )}
        </div>
        <div className="mt-2">
          <EmergencyContacts
            contacts={desk.emergencyContacts}
            trailing={
              !closed && (
                <button
                  type="button"
                  onClick={() => setEnding(true)}
                  className="ml-auto inline-flex min-h-11 items-center rounded-8 border-2 border-solid-gray-600 bg-white px-3 text-oln-16B-100 text-solid-gray-900 underline-offset-[3px] hover:bg-solid-gray-50 hover:underline active:bg-solid-gray-100"
                >
                  {t('consult.end')}
                </button>
              )
            }
          />
        </div>
        <ConnectionStatus state={snapshot.connection} />
      </div>

      <div className="flex flex-col gap-2 pt-3">
        <p className="text-std-16N-170 text-solid-gray-700">
          {t(viaLine ? 'consult.notice' : 'consult.noticeWeb')}
        </p>
      </div>

      <MessageList
        messages={snapshot.messages}
        pending={snapshot.pending}
        failed={snapshot.failed}
        closed={closed}
        synced={snapshot.synced}
      />
      {showOutOfHours && (
        <section
          aria-labelledby="out-of-hours-heading"
          data-testid="out-of-hours"
          className="mb-3 flex flex-col gap-2 rounded-8 border-2 border-warning-yellow-2 bg-yellow-50 p-3"
        >
          <h2 id="out-of-hours-heading" className="text-std-17B-170 text-solid-gray-900">
            {t('consult.closedNowShort')}
          </h2>
          <p className="text-std-16N-170 text-solid-gray-900">{t('consult.closedNow')}</p>
          {desk.emergencyContacts.length > 0 && (
            <>
              <p className="text-std-16B-170 text-solid-gray-900">{t('consult.closedNowContacts')}</p>
              <div className="rounded-8 border border-solid-gray-420 bg-white p-3">
                <EmergencyContactList contacts={desk.emergencyContacts} />
              </div>
            </>
          )}
        </section>
      )}
      <div aria-live="polite" className="sr-only">
        {announcement}
      </div>

      {closed ? (
        <section
          aria-labelledby="chat-ended-heading"
          className="mb-4 flex flex-col gap-3 rounded-12 border-2 border-solid-gray-300 bg-solid-gray-50 p-4"
        >
          <h2
            id="chat-ended-heading"
            ref={endedHeading}
            tabIndex={-1}
            className="text-std-20B-160 text-solid-gray-900"
          >
            {t('consult.ended')}
          </h2>
          <p className="text-std-16N-170">
            {snapshot.fatal ? t('consult.error.closed') : t('consult.endedBody')}
          </p>
          <Button variant="secondary" onClick={onRestart}>
            {t('consult.startAgain')}
          </Button>
          {canClose && liff && (
            <Button variant="secondary" onClick={() => liff.closeWindow()}>
              {t('home.close')}
            </Button>
          )}
        </section>
      ) : (
        <div className="-mx-4 mt-auto border-t border-solid-gray-200 bg-white px-4 pt-2 pb-[max(0.75rem,env(safe-area-inset-bottom))] [@media(min-height:30rem)]:sticky [@media(min-height:30rem)]:bottom-0">
          <Composer onSend={send} onTyping={() => connection.typing()} focusOnMount={focusComposer} />
        </div>
      )}

      <EndDialog
        open={ending}
        pendingCount={snapshot.pending.length}
        onCancel={() => setEnding(false)}
        onConfirm={end}
      />
    </div>
  );
}
