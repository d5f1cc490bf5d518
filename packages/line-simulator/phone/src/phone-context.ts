import { createContext, type KeyboardEvent, type MouseEvent, useContext } from 'react';
import type { Action } from './types.ts';

export interface PhoneActions {
  /** Performs a LINE action as if the user tapped it. */
  run: (action: Action) => void;
  /** Opens a URI; LIFF links go through the simulator's LIFF stand-in. */
  openUri: (uri: string) => void;
}

export const PhoneContext = createContext<PhoneActions>({ run: () => {}, openUri: () => {} });

export function usePhone(): PhoneActions {
  return useContext(PhoneContext);
}

/** A readable label for an action that has none. */
export function actionLabel(action: Action): string {
  if (action.label) return action.label;
  switch (action.type) {
    case 'message':
      return action.text ?? 'メッセージ';
    case 'uri':
      return action.uri ?? 'リンク';
    case 'postback':
      return action.displayText ?? action.data ?? 'ポストバック';
    case 'datetimepicker':
      return '日時を選択';
    case 'location':
      return '位置情報';
    case 'camera':
      return 'カメラ';
    case 'cameraRoll':
      return 'カメラロール';
    case 'clipboard':
      return 'コピー';
    case 'richmenuswitch':
      return 'メニュー切替';
    default:
      return action.type;
  }
}

/**
 * Props that make a non-button element (a flex box, an image, a template card) act as a button
 * for its LINE action: focusable, Enter/Space activate it, labelled by the action's label.
 */
export function clickableProps(action: Action | undefined, run: (action: Action) => void, label?: string) {
  if (!action) return {};
  const activate = (e: MouseEvent | KeyboardEvent) => {
    e.stopPropagation();
    run(action);
  };
  return {
    role: 'button',
    tabIndex: 0,
    'aria-label': action.label ?? label,
    'data-clickable': '',
    onClick: activate,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate(e);
      }
    },
  };
}
