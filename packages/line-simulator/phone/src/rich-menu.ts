import { useCallback, useEffect, useRef, useState } from 'react';
import type { PickerRequest } from './actions.ts';
import { api } from './api.ts';
import { usePolling } from './hooks.ts';
import type { Sent } from './messaging.ts';
import type { Action, RichMenuState } from './types.ts';
import type { NoteWebhook } from './webhook-status.ts';

/**
 * The rich menu linked to the user in this talk (polled; refreshed at once by events), and whether
 * it is open: open by default when the menu says `selected`; stays as is when it switches (tabs).
 */
export function useRichMenu(userId: string | null, channelId: string | null) {
  const talkKey = userId && channelId ? `${userId}\n${channelId}` : null;
  const menu = usePolling(talkKey && `menu\n${talkKey}`, (s) => api.richMenu(userId!, channelId!, s), 2_000);
  const [open, setOpen] = useState(true);
  const menuId = menu.data ? (menu.data.richMenu.richMenuId ?? menu.data.imageUrl) : null;
  const hadMenu = useRef(false);
  const menuSelected = menu.data?.richMenu.selected;
  useEffect(() => {
    if (menuId && !hadMenu.current) setOpen(menuSelected !== false);
    hadMenu.current = menuId !== null;
  }, [menuId, menuSelected]);
  return { menu, open, setOpen };
}

/** Tapping a rich menu area: the simulator performs the area's action; the phone does the rest. */
export function useRichMenuTap({
  userId,
  channelId,
  state,
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
}: {
  userId: string | null;
  channelId: string | null;
  state: RichMenuState | null | undefined;
  sent: Sent;
  noteWebhook: NoteWebhook;
  openWindow: (url: string, label: string) => void;
  openUri: (uri: string) => void;
  copy: (text: string) => void;
  applyInputOption: (action: Action) => void;
  run: (action: Action) => void;
  fail: (err: unknown) => void;
  setPicker: (picker: PickerRequest) => void;
  refreshMenu: () => void;
  refreshInbox: () => void;
}) {
  const { add: addSent, update: updateSent } = sent;
  const [busy, setBusy] = useState(false);

  const tap = useCallback(
    async (areaIndex: number, params?: Record<string, string>) => {
      if (!userId || !channelId || !state) return;
      const planned = state.richMenu.areas[areaIndex]?.action;
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
      setBusy(true);
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
        setBusy(false);
      }
      refreshMenu();
      refreshInbox();
    },
    [
      userId,
      channelId,
      state,
      addSent,
      updateSent,
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
    ],
  );

  return { busy, tap };
}
