import { useCallback, useMemo, useRef, useState } from 'react';
import { type PickerRequest, useRunAction } from './actions.ts';
import { api, describeError } from './api.ts';
import { DatetimeDialog, LocationDialog, type LocationInput, NewUserDialog } from './components/Dialogs.tsx';
import { FriendControls } from './components/FriendControls.tsx';
import { InputBar } from './components/InputBar.tsx';
import { QuickReply } from './components/QuickReply.tsx';
import { RichMenuView } from './components/RichMenu.tsx';
import { SimBar } from './components/SimBar.tsx';
import { Talk } from './components/Talk.tsx';
import { TalkHeader } from './components/TalkHeader.tsx';
import { TalkNotices } from './components/TalkNotices.tsx';
import { Toasts } from './components/Toasts.tsx';
import { usePolling, useSent, useToasts } from './hooks.ts';
import { useLiveEvents } from './live-events.ts';
import { useMessaging } from './messaging.ts';
import { useOpenLinks } from './open-links.ts';
import { type PhoneActions, PhoneContext } from './phone-context.ts';
import { useRichMenu, useRichMenuTap } from './rich-menu.ts';
import { useSelection } from './selection.ts';
import { buildTimeline } from './timeline.ts';
import { useWebhookStatus } from './webhook-status.ts';

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function suggestName(existing: string[]): string {
  const base = 'テスト太郎';
  if (!existing.includes(base)) return base;
  for (let i = 2; ; i++) if (!existing.includes(`${base}${i}`)) return `${base}${i}`;
}

export function App() {
  const {
    channels,
    users,
    channelId,
    setChannelId,
    userId,
    pickUser,
    pickCreatedUser,
    channel,
    followState,
  } = useSelection();
  const toast = useToasts();
  const showToast = toast.show;

  const talkKey = userId && channelId ? `${userId}\n${channelId}` : null;
  const inbox = usePolling(talkKey && `inbox\n${talkKey}`, (s) => api.inbox(userId!, channelId!, s), 1_000);
  const richMenu = useRichMenu(userId, channelId);
  const sent = useSent(userId, channelId);
  const refreshInbox = inbox.refresh;
  const refreshMenu = richMenu.menu.refresh;
  const refreshUsers = users.refresh;

  const showLoading = useLiveEvents({
    userId,
    channelId,
    accountCount: inbox.data?.messages.length ?? 0,
    refreshInbox,
    refreshMenu,
    refreshUsers,
  });

  const timeline = useMemo(
    () => buildTimeline(inbox.data?.messages ?? [], sent.entries),
    [inbox.data, sent.entries],
  );
  const last = timeline.at(-1);
  const quickReplies = last?.from === 'account' ? (last.message.quickReply?.items ?? []) : [];

  const [draft, setDraft] = useState('');
  const [friendBusy, setFriendBusy] = useState(false);
  const [newUserOpen, setNewUserOpen] = useState(false);
  const [locationOpen, setLocationOpen] = useState(false);
  const [picker, setPicker] = useState<PickerRequest | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const fail = useCallback((err: unknown) => showToast('error', describeError(err)), [showToast]);
  const { webhook, noteWebhook } = useWebhookStatus(showToast);
  const { openWindow, openUri, copy } = useOpenLinks(userId, showToast, fail);
  const { send, postback } = useMessaging({ userId, channelId, sent, noteWebhook, fail, refreshInbox });
  const { run, applyInputOption } = useRunAction({
    send,
    postback,
    openUri,
    copy,
    refreshMenu,
    showToast,
    setDraft,
    textRef,
    fileRef,
    setMenuOpen: richMenu.setOpen,
    setPicker,
    setLocationOpen,
  });
  const tap = useRichMenuTap({
    userId,
    channelId,
    state: richMenu.menu.data,
    sent,
    noteWebhook,
    openWindow,
    openUri,
    copy,
    applyInputOption,
    run,
    fail,
    setPicker,
    refreshMenu,
    refreshInbox,
  });

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
      pickCreatedUser(u.userId);
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
  const chosen = Boolean(userId && channelId);
  const canTalk = chosen && followState === 'following';
  const accountName = channel?.name ?? '公式アカウント';

  return (
    <PhoneContext.Provider value={phone}>
      <div className="stage">
        <main className="phone" aria-label="仮想スマートフォン">
          <SimBar
            channels={channels.data}
            channelId={channelId}
            onChannel={setChannelId}
            users={users.data}
            userId={userId}
            onUser={pickUser}
            onNewUser={() => setNewUserOpen(true)}
          />

          <TalkHeader accountName={accountName} webhook={webhook}>
            {chosen && (
              <FriendControls
                state={followState}
                busy={friendBusy}
                onFollow={() => void setFollow(true)}
                onBlock={() => void setFollow(false)}
              />
            )}
          </TalkHeader>

          {offline && (
            <div className="banner" role="alert">
              {offline}（再試行中…）
            </div>
          )}

          <Talk entries={timeline} accountName={accountName} loading={showLoading}>
            <TalkNotices
              noChannels={channels.data?.length === 0}
              noUsers={users.data?.length === 0}
              chosen={chosen}
              followState={followState}
            />
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

          {richMenu.menu.data && (
            <RichMenuView
              state={richMenu.menu.data}
              open={richMenu.open}
              busy={tap.busy}
              onToggle={() => richMenu.setOpen((o) => !o)}
              onTap={(i) => void tap.tap(i)}
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
            if (picker.areaIndex !== undefined) void tap.tap(picker.areaIndex, params);
            else void postback(picker.action.data ?? '', params);
          }}
        />
      )}
    </PhoneContext.Provider>
  );
}
