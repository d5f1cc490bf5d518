import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, describeError } from './api.ts';
import { DatetimeDialog, LocationDialog, type LocationInput, NewUserDialog } from './components/Dialogs.tsx';
import { FriendControls } from './components/FriendControls.tsx';
import { InputBar } from './components/InputBar.tsx';
import { QuickReply } from './components/QuickReply.tsx';
import { RichMenuView } from './components/RichMenu.tsx';
import { Talk } from './components/Talk.tsx';
import { Toasts } from './components/Toasts.tsx';
import { usePolling, useSent, useToasts } from './hooks.ts';
import { parseLiffLink } from './links.ts';
import { type PhoneActions, PhoneContext } from './phone-context.ts';
import { initialSelection, persistSelection } from './storage.ts';
import type { Action, FollowState, LineMessage, SimEvent, TimelineEntry, WebhookResult } from './types.ts';

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function toMs(at: string | number): number {
  if (typeof at === 'number') return at;
  const n = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  return Number.isNaN(n) ? 0 : n;
}

function suggestName(existing: string[]): string {
  const base = 'テスト太郎';
  if (!existing.includes(base)) return base;
  for (let i = 2; ; i++) if (!existing.includes(`${base}${i}`)) return `${base}${i}`;
}

export function App() {
  const initial = useMemo(() => initialSelection(), []);
  const [channelId, setChannelId] = useState<string | null>(initial.channelId);
  const [userId, setUserId] = useState<string | null>(initial.userId);
  const created = useRef<string | null>(null);

  const channels = usePolling('channels', () => api.channels(), 10_000);
  const users = usePolling('users', () => api.users(), 3_000);
  const toast = useToasts();
  const showToast = toast.show;

  // Keep the selection valid once the lists are known.
  useEffect(() => {
    const list = channels.data;
    if (list && !list.some((c) => c.channelId === channelId)) setChannelId(list[0]?.channelId ?? null);
  }, [channels.data, channelId]);
  useEffect(() => {
    const list = users.data;
    if (!list || (userId && userId === created.current)) return;
    if (!list.some((u) => u.userId === userId)) setUserId(list[0]?.userId ?? null);
  }, [users.data, userId]);
  useEffect(() => persistSelection(channelId, userId), [channelId, userId]);

  const channel = channels.data?.find((c) => c.channelId === channelId);
  const user = users.data?.find((u) => u.userId === userId);
  const followState: FollowState = (channelId && user?.follows?.[channelId]) || 'none';

  const talkKey = userId && channelId ? `${userId}\n${channelId}` : null;
  const inbox = usePolling(talkKey && `inbox\n${talkKey}`, (s) => api.inbox(userId!, channelId!, s), 1_000);
  const menu = usePolling(talkKey && `menu\n${talkKey}`, (s) => api.richMenu(userId!, channelId!, s), 2_000);
  const sent = useSent(userId, channelId);
  const { add: addSent, update: updateSent } = sent;
  const refreshInbox = inbox.refresh;
  const refreshMenu = menu.refresh;
  const refreshUsers = users.refresh;

  // Server-sent events make the phone react at once; polling stays as the fallback.
  const accountCount = inbox.data?.messages.length ?? 0;
  const accountCountRef = useRef(accountCount);
  accountCountRef.current = accountCount;
  const [loading, setLoading] = useState<{ until: number; count: number } | null>(null);
  useEffect(() => {
    setLoading(null);
    if (!userId || !channelId || typeof EventSource === 'undefined') return;
    const source = new EventSource('/_sim/events');
    const on = (type: SimEvent['type'], handle: (event: SimEvent) => void) =>
      source.addEventListener(type, (msg) => {
        try {
          const event = JSON.parse((msg as MessageEvent<string>).data) as SimEvent;
          if (event.channelId === channelId) handle(event);
        } catch {
          // ignore malformed events
        }
      });
    const forMe = (ids: string[] | 'all' | undefined) =>
      ids === undefined || ids === 'all' || ids.includes(userId);
    on('delivery', (e) => e.type === 'delivery' && forMe(e.userIds) && refreshInbox());
    on('richmenu', (e) => e.type === 'richmenu' && forMe(e.userIds) && refreshMenu());
    on('follow', (e) => {
      if (e.type !== 'follow' || e.userId !== userId) return;
      refreshUsers();
      refreshMenu();
    });
    on('loading', (e) => {
      if (e.type !== 'loading' || e.userId !== userId) return;
      setLoading({ until: Date.now() + (e.seconds ?? 5) * 1000, count: accountCountRef.current });
    });
    return () => source.close();
  }, [userId, channelId, refreshInbox, refreshMenu, refreshUsers]);
  useEffect(() => {
    if (!loading) return;
    const timer = setTimeout(() => setLoading(null), Math.max(0, loading.until - Date.now()));
    return () => clearTimeout(timer);
  }, [loading]);
  // The loading animation ends when the account's next message arrives (or when its time is up).
  const showLoading = loading !== null && loading.count === accountCount;

  const timeline = useMemo(() => {
    const items: TimelineEntry[] = [];
    for (const m of inbox.data?.messages ?? []) {
      items.push({ from: 'account', id: m.id, at: toMs(m.at), via: m.via, message: m.message });
    }
    for (const s of sent.entries) items.push({ from: 'user', ...s });
    // Stable sort; on equal times the user's message comes first (the account answers it).
    return items.sort((a, b) => a.at - b.at || (a.from === b.from ? 0 : a.from === 'user' ? -1 : 1));
  }, [inbox.data, sent.entries]);
  const last = timeline.at(-1);
  const quickReplies = last?.from === 'account' ? (last.message.quickReply?.items ?? []) : [];

  // Rich menu: open by default when the menu says `selected`; stays as is when it switches (tabs).
  const [menuOpen, setMenuOpen] = useState(true);
  const [tapBusy, setTapBusy] = useState(false);
  const menuId = menu.data ? (menu.data.richMenu.richMenuId ?? menu.data.imageUrl) : null;
  const hadMenu = useRef(false);
  const menuSelected = menu.data?.richMenu.selected;
  useEffect(() => {
    if (menuId && !hadMenu.current) setMenuOpen(menuSelected !== false);
    hadMenu.current = menuId !== null;
  }, [menuId, menuSelected]);

  const [draft, setDraft] = useState('');
  const [friendBusy, setFriendBusy] = useState(false);
  const [webhook, setWebhook] = useState<string | null>(null);
  const [newUserOpen, setNewUserOpen] = useState(false);
  const [locationOpen, setLocationOpen] = useState(false);
  const [picker, setPicker] = useState<{ action: Action; areaIndex?: number } | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const fail = useCallback((err: unknown) => showToast('error', describeError(err)), [showToast]);

  const noteWebhook = useCallback(
    (status: WebhookResult['webhookStatus'], error?: string) => {
      if (status === undefined) return;
      if (status === null) {
        setWebhook('送信なし');
        return;
      }
      setWebhook(String(status));
      if (typeof status === 'number' && status >= 200 && status < 300) return;
      showToast(
        'error',
        typeof status === 'number' && status > 0
          ? `Webhookの応答が ${status} でした`
          : `Webhookを届けられませんでした（${status}${error ? `: ${error}` : ''}）`,
      );
    },
    [showToast],
  );

  const openWindow = useCallback(
    (url: string, label: string) => {
      const w = window.open(url, '_blank');
      if (w) {
        try {
          w.opener = null;
        } catch {
          // cross-origin windows may refuse; harmless
        }
      } else {
        showToast('info', '新しいウィンドウを開けませんでした。', { href: url, label });
      }
    },
    [showToast],
  );

  const openUri = useCallback(
    (uri: string) => {
      const liff = parseLiffLink(uri);
      if (liff) {
        if (!userId) return;
        api
          .openLiff(userId, liff.liffId, liff.path)
          .then(({ url }) => openWindow(url, 'LIFFアプリを開く'))
          .catch(fail);
      } else if (/^line:\/\//i.test(uri) || /^https:\/\/line\.me\/R\//i.test(uri)) {
        showToast('info', `LINEアプリ内のリンクはシミュレーターでは開けません: ${uri}`);
      } else {
        openWindow(uri, 'リンクを開く');
      }
    },
    [userId, openWindow, fail, showToast],
  );

  const send = useCallback(
    async (message: LineMessage) => {
      if (!userId || !channelId) return;
      const id = addSent(message);
      try {
        const res = await api.sendMessage(userId, channelId, message);
        const at = res?.event?.timestamp;
        updateSent(id, { state: 'sent', ...(typeof at === 'number' ? { at } : {}) });
        noteWebhook(res?.webhookStatus, res?.webhookError);
      } catch (err) {
        updateSent(id, { state: 'failed' });
        fail(err);
      }
      refreshInbox();
    },
    [userId, channelId, addSent, updateSent, noteWebhook, fail, refreshInbox],
  );

  const postback = useCallback(
    async (data: string, params?: Record<string, string>, displayText?: string) => {
      if (!userId || !channelId) return;
      const id = displayText ? addSent({ type: 'text', text: displayText }) : null;
      try {
        const res = await api.postback(userId, channelId, data, params, displayText);
        const at = res?.event?.timestamp;
        if (id) updateSent(id, { state: 'sent', ...(typeof at === 'number' ? { at } : {}) });
        noteWebhook(res?.webhookStatus, res?.webhookError);
      } catch (err) {
        if (id) updateSent(id, { state: 'failed' });
        fail(err);
      }
      refreshInbox();
    },
    [userId, channelId, addSent, updateSent, noteWebhook, fail, refreshInbox],
  );

  const applyInputOption = useCallback((action: Action) => {
    if (action.fillInText !== undefined) setDraft(action.fillInText);
    if (action.inputOption === 'openKeyboard' || action.fillInText !== undefined) textRef.current?.focus();
    if (action.inputOption === 'openRichMenu') setMenuOpen(true);
    if (action.inputOption === 'closeRichMenu') setMenuOpen(false);
  }, []);

  const copy = useCallback(
    (text: string) => {
      navigator.clipboard
        ?.writeText(text)
        .then(() => showToast('info', 'コピーしました'))
        .catch(() => showToast('info', `コピーできませんでした: ${text}`));
    },
    [showToast],
  );

  const run = useCallback(
    (action: Action) => {
      switch (action.type) {
        case 'message':
          if (action.text) void send({ type: 'text', text: action.text });
          break;
        case 'postback':
          void postback(action.data ?? '', undefined, action.displayText);
          applyInputOption(action);
          break;
        case 'uri': {
          const uri = action.uri ?? action.altUri?.desktop;
          if (uri) openUri(uri);
          break;
        }
        case 'datetimepicker':
          setPicker({ action });
          break;
        case 'location':
          setLocationOpen(true);
          break;
        case 'camera':
        case 'cameraRoll':
          fileRef.current?.click();
          break;
        case 'richmenuswitch':
          void postback(action.data ?? '', {
            newRichMenuAliasId: action.richMenuAliasId ?? '',
            status: 'SUCCESS',
          }).then(refreshMenu);
          break;
        case 'clipboard':
          copy(action.clipboardText ?? '');
          break;
        default:
          showToast('info', `未対応のアクションです（${action.type}）`);
      }
    },
    [send, postback, applyInputOption, openUri, refreshMenu, copy, showToast],
  );

  const tapArea = useCallback(
    async (areaIndex: number, params?: Record<string, string>) => {
      if (!userId || !channelId || !menu.data) return;
      const planned = menu.data.richMenu.areas[areaIndex]?.action;
      // A date picker area asks for the value first; the tap then carries it as params.
      if (planned?.type === 'datetimepicker' && !params) {
        setPicker({ action: planned, areaIndex });
        return;
      }
      // What the user "says" by tapping appears at once, like in LINE.
      const shown =
        planned?.type === 'message'
          ? planned.text
          : planned?.type === 'postback'
            ? planned.displayText
            : undefined;
      const id = shown ? addSent({ type: 'text', text: shown }) : null;
      setTapBusy(true);
      try {
        const res = await api.richMenuTap(userId, channelId, areaIndex, params);
        if (id) updateSent(id, { state: 'sent' });
        noteWebhook(res?.webhookStatus, res?.webhookError);
        const action = res?.action ?? planned;
        if (res?.liffUrl) openWindow(res.liffUrl, 'LIFFアプリを開く');
        else if (res?.uri) openUri(res.uri);
        else if (action?.type === 'uri' && action.uri) openUri(action.uri);
        else if (res?.clipboardText !== undefined) copy(res.clipboardText);
        else if (action?.type === 'postback') applyInputOption(action);
        else if (
          action &&
          res?.webhookStatus === undefined &&
          !['message', 'richmenuswitch'].includes(action.type)
        ) {
          // location, camera, cameraRoll, clipboard: the phone does the rest.
          run(action);
        }
      } catch (err) {
        if (id) updateSent(id, { state: 'failed' });
        fail(err);
      } finally {
        setTapBusy(false);
      }
      refreshMenu();
      refreshInbox();
    },
    [
      userId,
      channelId,
      menu.data,
      addSent,
      updateSent,
      noteWebhook,
      openWindow,
      openUri,
      copy,
      applyInputOption,
      run,
      fail,
      refreshMenu,
      refreshInbox,
    ],
  );

  const setFollow = async (follow: boolean) => {
    if (!userId || !channelId) return;
    setFriendBusy(true);
    try {
      const res = follow ? await api.follow(userId, channelId) : await api.unfollow(userId, channelId);
      noteWebhook(res?.webhookStatus, res?.webhookError);
    } catch (err) {
      fail(err);
    }
    await new Promise<void>((resolve) => {
      refreshUsers();
      setTimeout(resolve, 300);
    });
    setFriendBusy(false);
    refreshMenu();
    refreshInbox();
  };

  const createUser = async (displayName: string) => {
    setNewUserOpen(false);
    try {
      const u = await api.createUser(displayName);
      created.current = u.userId;
      setUserId(u.userId);
      refreshUsers();
      showToast('info', `ユーザー「${u.displayName}」を作成しました`);
    } catch (err) {
      fail(err);
    }
  };

  const sendImage = (file: File) => {
    if (file.size > MAX_IMAGE_BYTES) {
      showToast('error', '画像が大きすぎます（10MBまで）');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      if (typeof reader.result === 'string') void send({ type: 'image', dataUrl: reader.result });
    };
    reader.onerror = () => showToast('error', '画像を読み込めませんでした');
    reader.readAsDataURL(file);
  };

  const sendLocation = (loc: LocationInput) => {
    setLocationOpen(false);
    void send({ type: 'location', ...loc });
  };

  const phone: PhoneActions = useMemo(() => ({ run, openUri }), [run, openUri]);
  const offline = channels.error ?? users.error ?? inbox.error;
  const canTalk = Boolean(userId && channelId && followState === 'following');
  const accountName = channel?.name ?? '公式アカウント';

  return (
    <PhoneContext.Provider value={phone}>
      <div className="stage">
        <main className="phone" aria-label="仮想スマートフォン">
          <div className="simbar">
            <div className="picker">
              <label htmlFor="channel-picker">公式アカウント</label>
              <select
                id="channel-picker"
                value={channelId ?? ''}
                onChange={(e) => setChannelId(e.target.value || null)}
              >
                {!channels.data?.length && <option value="">（なし）</option>}
                {channels.data?.map((c) => (
                  <option key={c.channelId} value={c.channelId}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="picker">
              <label htmlFor="user-picker">ユーザー</label>
              <select
                id="user-picker"
                value={userId ?? ''}
                onChange={(e) => {
                  created.current = null;
                  setUserId(e.target.value || null);
                }}
              >
                {!users.data?.some((u) => u.userId === userId) && (
                  <option value={userId ?? ''}>{userId ? '（読み込み中）' : '（なし）'}</option>
                )}
                {users.data?.map((u) => (
                  <option key={u.userId} value={u.userId}>
                    {u.displayName}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="icon-button new-user"
              aria-label="新しいユーザー"
              title="新しいユーザー"
              onClick={() => setNewUserOpen(true)}
            >
              <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                <path
                  d="M10 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-8 1.7-8 5v1h12.5a6 6 0 0 1-.5-2.4c0-1.3.4-2.5 1.1-3.5-1.7-.1-3.4-.1-5.1-.1zm9 0v3h3v2h-3v3h-2v-3h-3v-2h3v-3z"
                  fill="currentColor"
                />
              </svg>
            </button>
          </div>

          <header className="talk-header">
            <div className="account-avatar" aria-hidden="true">
              {accountName.slice(0, 1)}
            </div>
            <div className="talk-title">
              <h1>{accountName}</h1>
              <output className="webhook" aria-label="Webhook応答">
                {webhook ? `Webhook ${webhook}` : ''}
              </output>
            </div>
            {userId && channelId && (
              <FriendControls
                state={followState}
                busy={friendBusy}
                onFollow={() => void setFollow(true)}
                onBlock={() => void setFollow(false)}
              />
            )}
          </header>

          {offline && (
            <div className="banner" role="alert">
              {offline}（再試行中…）
            </div>
          )}

          <Talk entries={timeline} accountName={accountName} loading={showLoading}>
            {!channels.data?.length && channels.data && (
              <p className="notice">公式アカウント（チャネル）がありません。</p>
            )}
            {users.data && !users.data.length && (
              <p className="notice">「新しいユーザー」でユーザーを作成してください。</p>
            )}
            {userId && channelId && followState === 'none' && (
              <p className="notice">「友だち追加」すると、メッセージを送ったり受け取ったりできます。</p>
            )}
            {userId && channelId && followState === 'blocked' && (
              <p className="notice">この公式アカウントをブロックしています。</p>
            )}
          </Talk>

          {quickReplies.length > 0 && <QuickReply items={quickReplies} />}

          <InputBar
            draft={draft}
            onDraft={setDraft}
            disabled={!canTalk}
            onSend={(text) => void send({ type: 'text', text })}
            onLocation={() => setLocationOpen(true)}
            onImage={sendImage}
            textRef={textRef}
            fileRef={fileRef}
          />

          {menu.data && (
            <RichMenuView
              state={menu.data}
              open={menuOpen}
              busy={tapBusy}
              onToggle={() => setMenuOpen((o) => !o)}
              onTap={(i) => void tapArea(i)}
            />
          )}

          <Toasts toasts={toast.toasts} onDismiss={toast.dismiss} />
        </main>
      </div>

      {newUserOpen && (
        <NewUserDialog
          defaultName={suggestName(users.data?.map((u) => u.displayName) ?? [])}
          onClose={() => setNewUserOpen(false)}
          onCreate={(name) => void createUser(name)}
        />
      )}
      {locationOpen && <LocationDialog onClose={() => setLocationOpen(false)} onSend={sendLocation} />}
      {picker && (
        <DatetimeDialog
          action={picker.action}
          onClose={() => setPicker(null)}
          onPick={(params) => {
            setPicker(null);
            if (picker.areaIndex !== undefined) void tapArea(picker.areaIndex, params);
            else void postback(picker.action.data ?? '', params);
          }}
        />
      )}
    </PhoneContext.Provider>
  );
}
