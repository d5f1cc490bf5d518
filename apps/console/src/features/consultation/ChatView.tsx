import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import { errorMessage, hasCode } from '../../api/errors.ts';
import type { ConsultationSummary, Presence } from '../../api/types.ts';
import { useCan, useSession } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { OriginBadge, RiskBadge, StatusBadge } from './bits.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import {
  applySummary,
  discardPending,
  openChat,
  patchChat,
  reloadChat,
  resendMessage,
  useChat,
  useDesks,
} from './live.ts';
import { MessageList } from './MessageList.tsx';
import { OutreachDialog } from './OutreachDialog.tsx';
import { type CloseHandle, RecordPanel } from './RecordPanel.tsx';
import { ReplyBox } from './ReplyBox.tsx';
import { TransferDialog } from './TransferDialog.tsx';

/** A typing indicator without a fresh event for this long is hidden. */
const TYPING_TIMEOUT_MS = 6000;

/**
 * One consultation: header (label, origin, desk, status, presence; 対応する / 転送 / 相談を終了), messages,
 * reply box and the side panel (history confirmation, record). The log takes the height left over,
 * the reply box stays at the bottom, the record column beside it (C-12: 10+ messages and the whole
 * record at 1366×768). `readOnly` = monitoring: no reply, no assign, no record editing.
 * Mount with key={id}.
 */
export function ChatView({ id, readOnly = false }: { id: string; readOnly?: boolean }) {
  const t = useT();
  const { account } = useSession();
  const can = useCan();
  const chat = useChat(id);
  const desks = useDesks();
  const headingId = useId();
  const replyId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  const [closeOpen, setCloseOpen] = useState(false);
  const record = useRef<CloseHandle>(null);
  /** この相談者に話しかける: the preselected desk, or null while the dialog is closed. */
  const [outreach, setOutreach] = useState<{ deskId: string | undefined } | null>(null);

  useEffect(() => openChat(id), [id]);
  useEffect(() => {
    // Opening a chat moves focus to its heading (not to the page title: the queue stays where it was).
    heading.current?.focus({ preventScroll: true });
  }, []);

  const recordLabels = useMemo(() => {
    const map = new Map<string, string>();
    for (const desk of desks.data ?? [])
      for (const f of desk.recordFields) if (!map.has(f.key)) map.set(f.key, f.label);
    return map;
  }, [desks.data]);

  const c = chat.consultation;
  const desk = desks.data?.find((d) => d.id === c?.deskId);

  async function assign() {
    setAssigning(true);
    setActionError(null);
    try {
      applySummary(
        await api.post<ConsultationSummary>(`/api/consultations/${encodeURIComponent(id)}/assign`, {}),
      );
    } catch (err) {
      setActionError(errorMessage(t, err));
      if (hasCode(err, 'ALREADY_ASSIGNED')) void reloadChat(id);
    } finally {
      setAssigning(false);
    }
  }

  /** A supervisor takes over a chat another counselor is handling (POST …/takeover, audited). */
  async function takeover() {
    setAssigning(true);
    setActionError(null);
    setNotice(null);
    try {
      applySummary(
        await api.post<ConsultationSummary>(`/api/consultations/${encodeURIComponent(id)}/takeover`, {}),
      );
      // The server resets the history confirmation: the new assignee reads the history first (C-10).
      patchChat(id, { historyConfirmedAt: null });
      setNotice(t('consult.takeoverDone'));
    } catch (err) {
      setActionError(errorMessage(t, err));
      void reloadChat(id);
    } finally {
      setAssigning(false);
    }
  }

  /** 相談を終了, confirmed: the record form saves and closes; then focus goes back to the heading. */
  async function confirmClose() {
    setCloseOpen(false);
    const closed = await record.current?.close();
    if (closed) heading.current?.focus();
  }

  const header = (
    <div className="flex shrink-0 flex-wrap items-center justify-between gap-x-4 gap-y-1 border-b border-solid-gray-420 px-4 py-2">
      <div className="flex min-w-0 flex-col gap-0.5">
        <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1">
          <h2
            ref={heading}
            id={headingId}
            tabIndex={-1}
            className="truncate text-std-20B-150 text-solid-gray-900 outline-none"
          >
            {c?.consulteeLabel ?? t('app.loading')}
          </h2>
          {c && <PresenceLine presence={chat.presence} />}
        </div>
        {c && (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-dns-14N-130 text-solid-gray-800">
            <OriginBadge origin={c.origin} />
            <span>
              <span className="text-solid-gray-700">{t('consult.desk')}: </span>
              {c.deskName}
            </span>
            <StatusBadge status={c.status} />
            {c.counselorName && (
              <span>
                <span className="text-solid-gray-700">{t('consult.counselor')}: </span>
                {c.counselorName}
              </span>
            )}
            {c.riskFlagged && <RiskBadge />}
          </div>
        )}
      </div>
      {c && !readOnly && c.status === 'closed' && (
        <Button variant="secondary" onClick={() => setOutreach({ deskId: c.deskId })}>
          {t('consult.outreach')}
        </Button>
      )}
      {c && !readOnly && c.status !== 'closed' && (
        <div className="flex flex-wrap gap-2">
          {c.status === 'waiting' && (
            <Button disabled={assigning} onClick={() => void assign()}>
              {t('consult.assign')}
            </Button>
          )}
          {c.status === 'active' &&
            c.counselorId !== null &&
            c.counselorId !== account.id &&
            can('consultation.monitor') && (
              <Button disabled={assigning} onClick={() => void takeover()}>
                {t('consult.takeover')}
              </Button>
            )}
          {(c.status === 'waiting' || c.counselorId === account.id) && (
            <Button variant="secondary" onClick={() => setTransferOpen(true)}>
              {t('consult.transfer')}
            </Button>
          )}
          {c.status === 'active' && c.counselorId === account.id && chat.historyConfirmedAt !== null && (
            // Far from the record's 保存 (bottom of the side column), and confirmed before it acts.
            <Button variant="secondary" onClick={() => setCloseOpen(true)}>
              {t('consult.close')}
            </Button>
          )}
        </div>
      )}
    </div>
  );

  let body: ReactNode;
  if (!chat.loaded) {
    body = (
      <div className="p-4">
        {chat.error !== null ? (
          <LoadError error={chat.error} onRetry={() => void reloadChat(id)} />
        ) : (
          <Loading />
        )}
      </div>
    );
  } else if (c) {
    const mine = c.counselorId === account.id;
    // History first (C-10) for a consultation this counselor may take or has: not for one of another counselor.
    const gate =
      !readOnly &&
      (c.status === 'waiting' || (c.status === 'active' && mine)) &&
      chat.historyConfirmedAt === null;
    let reply: ReactNode = null;
    if (!readOnly) {
      if (c.status === 'closed') reply = <ReplyNotice text={t('consult.closedNotice')} />;
      else if (c.status === 'active' && !mine)
        reply = <ReplyNotice text={t('consult.replyOther', { name: c.counselorName ?? '' })} />;
      else {
        const locked =
          c.status === 'waiting'
            ? t('consult.replyLockedAssign')
            : gate
              ? t('consult.replyLockedHistory')
              : null;
        reply = (
          <ReplyBox
            consultationId={id}
            canned={desk?.cannedResponses ?? []}
            lockedReason={locked}
            inputId={replyId}
          />
        );
      }
    }
    body = (
      <div className="flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col">
          <MessageList
            messages={chat.messages}
            pending={readOnly ? [] : chat.pending}
            onResend={(clientId) => resendMessage(id, clientId)}
            onDiscard={(clientId) => discardPending(id, clientId)}
          />
          {reply}
        </div>
        {gate ? (
          // Until the history is confirmed the side column holds only the history (its list scrolls,
          // the confirmation stays visible).
          <div className="flex w-80 shrink-0 flex-col border-l min-[1360px]:w-[22rem] border-solid-gray-420 p-3">
            <HistoryPanel
              consultationId={id}
              pastCount={chat.pastCount}
              gate
              labels={recordLabels}
              onConfirmed={() => {
                patchChat(id, { historyConfirmedAt: new Date().toISOString() });
                requestAnimationFrame(() => document.getElementById(replyId)?.focus());
              }}
            />
          </div>
        ) : (
          // Scrolls only when the screen is smaller than 1366×768; there the whole record fits.
          <div
            data-testid="record-column"
            className="flex w-80 shrink-0 flex-col gap-3 overflow-y-auto min-[1360px]:w-[22rem] border-l border-solid-gray-420 p-3"
          >
            {!readOnly && (
              <HistoryPanel
                consultationId={id}
                pastCount={chat.pastCount}
                gate={false}
                labels={recordLabels}
                onConfirmed={() => {}}
                onOutreach={(deskName) =>
                  setOutreach({ deskId: desks.data?.find((d) => d.name === deskName)?.id })
                }
              />
            )}
            <RecordPanel
              consultation={c}
              record={chat.record}
              desk={desk}
              editable={!readOnly && mine && c.status !== 'waiting'}
              closeRef={record}
            />
          </div>
        )}
      </div>
    );
  }

  return (
    <section
      aria-labelledby={headingId}
      className="flex h-full min-h-0 flex-col overflow-hidden rounded-12 border border-solid-gray-420 bg-white"
    >
      {readOnly && (
        <p
          role="status"
          className="shrink-0 border-b-2 border-warning-yellow-1 bg-yellow-50 px-4 py-2 text-std-16B-170 text-solid-gray-900"
        >
          {t('consult.monitorBanner')}
        </p>
      )}
      {header}
      {(actionError || notice) && (
        <div className="shrink-0 px-4 pt-3">
          {actionError && <Alert tone="error">{actionError}</Alert>}
          {notice && <Alert tone="success">{notice}</Alert>}
        </div>
      )}
      {body}
      {c && desks.data && !readOnly && (
        <TransferDialog
          open={transferOpen}
          consultation={c}
          desks={desks.data}
          onClose={() => setTransferOpen(false)}
          onDone={(summary, message) => {
            setTransferOpen(false);
            applySummary(summary);
            // The server resets the history confirmation on transfer: the next counselor confirms again.
            patchChat(id, { historyConfirmedAt: null });
            setNotice(message);
          }}
        />
      )}
      {c && !readOnly && (
        <ConfirmDialog
          open={closeOpen}
          title={t('consult.closeConfirmTitle')}
          message={t('consult.closeConfirmMessage')}
          confirmLabel={t('consult.closeConfirmButton')}
          onConfirm={confirmClose}
          onClose={() => setCloseOpen(false)}
        />
      )}
      {c && !readOnly && (
        <OutreachDialog
          open={outreach !== null}
          consulteeId={c.consulteeId}
          deskId={outreach?.deskId}
          openDeskId={c.status === 'closed' ? null : c.deskId}
          onClose={() => setOutreach(null)}
        />
      )}
    </section>
  );
}

function ReplyNotice({ text }: { text: string }) {
  return (
    <p className="shrink-0 border-t border-solid-gray-420 bg-solid-gray-50 px-4 py-4 text-std-16N-170 text-solid-gray-800">
      {text}
    </p>
  );
}

/** C-09: 相談者は画面を開いています / 入力中… / 相談者は画面を閉じています, live from presence events. */
function PresenceLine({ presence }: { presence: Presence }) {
  const t = useT();
  const [typing, setTyping] = useState(presence.typing);
  useEffect(() => {
    setTyping(presence.typing);
    if (!presence.typing) return;
    const timer = window.setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [presence]);
  const state = typing ? 'typing' : presence.online ? 'online' : 'offline';
  const text =
    state === 'typing'
      ? t('consult.presenceTyping')
      : state === 'online'
        ? t('consult.presenceOnline')
        : t('consult.presenceOffline');
  return (
    <p
      data-testid="consultee-presence"
      data-state={state}
      className="flex items-center gap-2 text-dns-14N-130"
    >
      <span
        aria-hidden="true"
        className={`inline-block size-3 shrink-0 rounded-full border-2 ${
          state === 'offline' ? 'border-solid-gray-536 bg-white' : 'border-success-2 bg-success-1'
        } ${state === 'typing' ? 'motion-safe:animate-pulse' : ''}`}
      />
      <span className={state === 'offline' ? 'text-solid-gray-700' : 'text-dns-14B-130 text-green-1000'}>
        {text}
      </span>
    </p>
  );
}
