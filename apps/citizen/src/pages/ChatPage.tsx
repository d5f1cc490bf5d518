import { useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { ChatRoom } from '../components/chat/ChatRoom.tsx';
import { DeskIntro } from '../components/chat/DeskIntro.tsx';
import { ErrorView } from '../components/ErrorView.tsx';
import { Link } from '../components/Link.tsx';
import { StatusView } from '../components/StatusView.tsx';
import { type ConsultationStatus, consultApi, type Message, type PublicDesk } from '../consult/api.ts';
import {
  forgetConsultation,
  rememberConsultation,
  rememberedConsultation,
  sessionStorageOrNull,
} from '../consult/outbox.ts';
import { isMessageKey, useI18n } from '../i18n/i18n.tsx';
import type { Liff } from '../liff/liff-types.ts';
import { homeHref } from '../router.ts';
import { useDocumentTitle } from '../site.ts';

type DeskState =
  | { status: 'loading' }
  | { status: 'error'; code: string }
  | { status: 'ready'; desk: PublicDesk };

type Current = {
  id: string;
  /** From the start request; absent after a reload (the socket then sends the history). */
  initial?: { status: ConsultationStatus; messages: Message[] };
};

/**
 * `/citizen/consult/:slug`: the consultee's chat with a desk (C-01, C-02). LINE consultees come signed
 * in (`channelId` set, App runs the LIFF sign-in first); web consultees (school tablets) need no
 * sign-in. A reload goes back into the consultation this tab started (sessionStorage).
 */
export function ChatPage({
  slug,
  channelId,
  liff,
}: {
  slug: string;
  channelId: string | null;
  liff: Liff | null;
}) {
  const { t } = useI18n();
  const [storage] = useState(sessionStorageOrNull);
  const [deskState, setDeskState] = useState<DeskState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [current, setCurrent] = useState<Current | null>(() => {
    const id = rememberedConsultation(storage, slug);
    return id ? { id } : null;
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only re-runs the request.
  useEffect(() => {
    let active = true;
    setDeskState({ status: 'loading' });
    consultApi.desk(slug).then(
      (desk) => active && setDeskState({ status: 'ready', desk }),
      (err: unknown) => {
        console.error('Could not load the desk', err);
        if (!active) return;
        // 400: not a valid desk name at all; 404: no such desk.
        const code =
          err instanceof ApiError
            ? err.status === 404 || err.status === 400
              ? 'DESK_NOT_FOUND'
              : err.code
            : 'UNKNOWN';
        setDeskState({ status: 'error', code });
      },
    );
    return () => {
      active = false;
    };
  }, [slug, attempt]);

  const deskName = deskState.status === 'ready' ? deskState.desk.name : null;
  useDocumentTitle(deskName ?? t('consult.pageTitle'));

  if (deskState.status === 'loading') return <StatusView message={t('status.loading')} />;
  if (deskState.status === 'error') {
    const key = deskState.code === 'DESK_NOT_FOUND' ? 'consult.deskNotFound' : `error.${deskState.code}`;
    return (
      <ErrorView
        heading={t('error.title')}
        message={t(isMessageKey(key) ? key : 'error.UNKNOWN')}
        onRetry={() => setAttempt((n) => n + 1)}
      />
    );
  }

  const { desk } = deskState;
  if (!current) {
    return (
      <>
        {channelId && (
          <p className="pt-4">
            <Link
              href={homeHref(channelId, slug)}
              className="inline-flex min-h-11 items-center text-std-16N-170 text-blue-1000 underline underline-offset-[3px] hover:decoration-2"
            >
              {t('consult.back')}
            </Link>
          </p>
        )}
        <DeskIntro
          desk={desk}
          slug={slug}
          viaLine={channelId !== null}
          onStarted={(started) => {
            rememberConsultation(storage, slug, started.consultationId);
            setCurrent({
              id: started.consultationId,
              initial: { status: started.status, messages: started.messages },
            });
          }}
        />
      </>
    );
  }

  return (
    <ChatRoom
      key={current.id}
      desk={desk}
      consultationId={current.id}
      initial={current.initial}
      storage={storage}
      liff={liff}
      viaLine={channelId !== null}
      onClosed={() => forgetConsultation(storage, slug)}
      onRestart={() => {
        forgetConsultation(storage, slug);
        setCurrent(null);
        window.scrollTo(0, 0);
      }}
    />
  );
}
