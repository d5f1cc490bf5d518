import { type RefObject, useCallback } from 'react';
import type { ShowToast } from './hooks.ts';
import type { Action, LineMessage } from './types.ts';

/** A date picker to show: for an action, or for a rich menu area (its tap then carries the value). */
export type PickerRequest = { action: Action; areaIndex?: number };

/** Performing a LINE action as if the user tapped it (buttons, quick replies, flex, imagemaps). */
export function useRunAction({
  send,
  postback,
  openUri,
  copy,
  refreshMenu,
  showToast,
  setDraft,
  textRef,
  fileRef,
  setMenuOpen,
  setPicker,
  setLocationOpen,
}: {
  send: (message: LineMessage) => Promise<void>;
  postback: (data: string, params?: Record<string, string>, displayText?: string) => Promise<void>;
  openUri: (uri: string) => void;
  copy: (text: string) => void;
  refreshMenu: () => void;
  showToast: ShowToast;
  setDraft: (text: string) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
  fileRef: RefObject<HTMLInputElement | null>;
  setMenuOpen: (open: boolean) => void;
  setPicker: (picker: PickerRequest) => void;
  setLocationOpen: (open: boolean) => void;
}) {
  /** A postback's `inputOption` / `fillInText`: opens the keyboard or the rich menu, or fills in the text. */
  const applyInputOption = useCallback(
    (action: Action) => {
      if (action.fillInText !== undefined) setDraft(action.fillInText);
      if (action.inputOption === 'openKeyboard' || action.fillInText !== undefined) textRef.current?.focus();
      if (action.inputOption === 'openRichMenu') setMenuOpen(true);
      if (action.inputOption === 'closeRichMenu') setMenuOpen(false);
    },
    [setDraft, textRef, setMenuOpen],
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
    [
      send,
      postback,
      applyInputOption,
      openUri,
      refreshMenu,
      copy,
      showToast,
      setPicker,
      setLocationOpen,
      fileRef,
    ],
  );

  return { run, applyInputOption };
}
