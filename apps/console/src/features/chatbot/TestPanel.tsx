import type { TestInput, TestState } from '@madoguchi/contracts/chatbot.ts';
import { type FormEvent, useId, useRef, useState } from 'react';
import { query } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import type { FriendPage } from '../../api/types.ts';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Button } from '../../components/Button.tsx';
import { Select } from '../../components/Select.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { chatbotApi } from './api.ts';
import { type ChatAction, type ChatItem, inputText, toChatItem } from './replies.ts';

type Bubble = { from: 'bot'; item: ChatItem } | { from: 'me'; text: string };

/**
 * テスト (B-01): runs the saved DRAFT as a chat (POST …/test, the state handed back each turn),
 * shows the replies like a phone, and reports the visited nodes so the graph highlights them.
 * 「仮想スマホに送る」 starts the draft for a test friend on the simulator.
 */
export function TestPanel({
  scenarioId,
  channelId,
  ensureSaved,
  onVisited,
}: {
  scenarioId: string;
  channelId: string;
  /** Saves unsaved edits first (the test runs the saved draft); false when the save failed. */
  ensureSaved: () => Promise<boolean>;
  onVisited: (ids: string[], reset: boolean) => void;
}) {
  const t = useT();
  const can = useCan();
  const inputId = useId();
  const friends = useApi<FriendPage>(
    can('friends.view')
      ? `/api/friends${query({ channelId, test: 'true', status: 'following', limit: 200 })}`
      : null,
  );
  const testFriends = friends.data?.items ?? [];
  const [friendId, setFriendId] = useState('');
  const [bubbles, setBubbles] = useState<Bubble[]>([]);
  const [state, setState] = useState<TestState | null>(null);
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [phone, setPhone] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const log = useRef<HTMLDivElement>(null);

  async function turn(input: TestInput, label?: string) {
    const restart = input.kind === 'start';
    setError(null);
    setBusy(true);
    try {
      if (!(await ensureSaved())) return;
      const result = await chatbotApi.test(scenarioId, {
        input,
        state: restart ? null : state,
        friendId: friendId || null,
      });
      const mine = inputText(input, label);
      setBubbles((current) => [
        ...(restart ? [] : current),
        ...(mine !== null ? [{ from: 'me' as const, text: mine }] : []),
        ...result.replies.map((r) => ({ from: 'bot' as const, item: toChatItem(r) })),
      ]);
      setState(result.state);
      setEnded(result.ended);
      onVisited(result.visited, restart);
      requestAnimationFrame(() => log.current?.scrollTo({ top: log.current.scrollHeight }));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  function onSend(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    void turn({ kind: 'text', text: value });
  }

  function onAction(action: ChatAction) {
    if (action.kind === 'send') void turn(action.input, action.label);
    if (action.kind === 'link') window.open(action.uri, '_blank', 'noopener');
  }

  async function sendToPhone() {
    setPhone(null);
    try {
      if (!(await ensureSaved())) return;
      await chatbotApi.sendToPhone(scenarioId, friendId);
      const name = testFriends.find((f) => f.id === friendId)?.displayName ?? friendId;
      setPhone({ tone: 'success', text: t('chatbot.test.sent', { name }) });
    } catch (err) {
      setPhone({ tone: 'error', text: t('chatbot.test.sendFailed', { message: errorMessage(t, err) }) });
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-std-16N-170 text-solid-gray-600">{t('chatbot.test.lead')}</p>
      <Select
        label={t('chatbot.test.friend')}
        hint={t('chatbot.test.friendHint')}
        value={friendId}
        onChange={setFriendId}
        placeholder={t('chatbot.test.noFriend')}
        options={testFriends.map((f) => ({ value: f.id, label: f.displayName ?? f.lineUserId }))}
      />
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" size="sm" disabled={busy} onClick={() => void turn({ kind: 'start' })}>
          {t('chatbot.test.restart')}
        </Button>
        <Button variant="secondary" size="sm" disabled={!friendId} onClick={() => void sendToPhone()}>
          {t('chatbot.test.sendToPhone')}
        </Button>
      </div>
      {phone && <Alert tone={phone.tone}>{phone.text}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      <section
        aria-label={t('chatbot.test.chat')}
        className="flex flex-col overflow-hidden rounded-16 border-4 border-solid-gray-800 bg-[#8cabd9]"
      >
        <div ref={log} role="log" aria-live="polite" className="flex h-96 flex-col gap-2 overflow-y-auto p-3">
          {bubbles.length === 0 && (
            <p className="m-auto rounded-8 bg-white/80 px-3 py-2 text-dns-14N-130">
              {t('chatbot.test.empty')}
            </p>
          )}
          {bubbles.map((b, i) =>
            b.from === 'me' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the chat log only grows
              <p key={i} className="max-w-[80%] self-end rounded-16 bg-[#85e249] px-3 py-2 text-dns-16N-130">
                {b.text}
              </p>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: the chat log only grows
              <BotBubble key={i} item={b.item} onAction={onAction} disabled={busy} />
            ),
          )}
          {ended && (
            <p className="self-center rounded-8 bg-white/80 px-3 py-1 text-dns-14N-130">
              {t('chatbot.test.ended')}
            </p>
          )}
        </div>
        <form onSubmit={onSend} className="flex items-end gap-2 border-t border-solid-gray-420 bg-white p-2">
          <label htmlFor={inputId} className="sr-only">
            {t('chatbot.test.input')}
          </label>
          <input
            id={inputId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={500}
            placeholder={t('chatbot.test.inputPlaceholder')}
            className="min-h-11 grow rounded-8 border border-solid-gray-600 px-3 text-std-16N-170"
          />
          <Button type="submit" size="sm" disabled={busy || !text.trim()}>
            {t('chatbot.test.send')}
          </Button>
        </form>
      </section>
    </div>
  );
}

function Actions({
  actions,
  onAction,
  disabled,
}: {
  actions: ChatAction[];
  onAction: (a: ChatAction) => void;
  disabled: boolean;
}) {
  if (actions.length === 0) return null;
  return (
    <div className="flex flex-col border-t border-solid-gray-300">
      {actions.map((a, i) => (
        <button
          // biome-ignore lint/suspicious/noArrayIndexKey: actions of one message, fixed
          key={i}
          type="button"
          disabled={disabled || a.kind === 'none'}
          onClick={() => onAction(a)}
          className="min-h-11 border-b border-solid-gray-300 px-3 text-dns-16B-130 text-blue-900 last:border-b-0 hover:bg-blue-50 disabled:text-solid-gray-420"
        >
          {a.label}
          {a.kind === 'link' && <span aria-hidden="true"> ↗</span>}
        </button>
      ))}
    </div>
  );
}

function BotBubble({
  item,
  onAction,
  disabled,
}: {
  item: ChatItem;
  onAction: (a: ChatAction) => void;
  disabled: boolean;
}) {
  const box = 'max-w-[85%] self-start overflow-hidden rounded-16 bg-white text-dns-16N-130';
  switch (item.kind) {
    case 'text':
      return (
        <div className="flex max-w-[85%] flex-col gap-2 self-start">
          <p className="whitespace-pre-wrap rounded-16 bg-white px-3 py-2 text-dns-16N-130">{item.text}</p>
          {item.quickReplies.length > 0 && (
            <div className="flex flex-wrap gap-1.5">
              {item.quickReplies.map((a, i) => (
                <button
                  // biome-ignore lint/suspicious/noArrayIndexKey: quick replies of one message, fixed
                  key={i}
                  type="button"
                  disabled={disabled || a.kind === 'none'}
                  onClick={() => onAction(a)}
                  className="min-h-11 rounded-full border-2 border-blue-900 bg-white px-3 text-dns-14B-130 text-blue-900 hover:bg-blue-50"
                >
                  {a.label}
                </button>
              ))}
            </div>
          )}
        </div>
      );
    case 'buttons':
      return (
        <div className={box}>
          {item.imageUrl && <img src={item.imageUrl} alt="" className="max-h-40 w-full object-cover" />}
          <div className="px-3 py-2">
            {item.title && <p className="text-dns-16B-130">{item.title}</p>}
            <p className="whitespace-pre-wrap">{item.text}</p>
          </div>
          <Actions actions={item.actions} onAction={onAction} disabled={disabled} />
        </div>
      );
    case 'card':
      return (
        <div className={box}>
          {item.imageUrl && <img src={item.imageUrl} alt="" className="max-h-40 w-full object-cover" />}
          <div className="px-3 py-2">
            {item.texts.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: texts of one card, fixed
              <p key={i} className={i === 0 ? 'text-dns-16B-130' : 'whitespace-pre-wrap'}>
                {s}
              </p>
            ))}
          </div>
          <Actions actions={item.actions} onAction={onAction} disabled={disabled} />
        </div>
      );
    case 'carousel':
      return (
        <div className="flex max-w-full gap-2 self-start overflow-x-auto pb-1">
          {item.columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns of one message, fixed
            <div key={i} className="w-52 shrink-0 overflow-hidden rounded-16 bg-white text-dns-16N-130">
              {c.imageUrl && <img src={c.imageUrl} alt="" className="h-28 w-full object-cover" />}
              <div className="px-3 py-2">
                {c.title && <p className="text-dns-16B-130">{c.title}</p>}
                <p className="whitespace-pre-wrap">{c.text}</p>
              </div>
              <Actions actions={c.actions} onAction={onAction} disabled={disabled} />
            </div>
          ))}
        </div>
      );
    case 'image':
      return <img src={item.url} alt="" className="max-h-60 max-w-[70%] self-start rounded-16" />;
    default:
      return <p className={`${box} px-3 py-2 italic`}>{item.text || '…'}</p>;
  }
}
