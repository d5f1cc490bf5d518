import { useCallback } from 'react';
import { api } from './api.ts';
import type { ShowToast } from './hooks.ts';
import { parseLiffLink } from './links.ts';

/** Opening links (LIFF links through the simulator's LIFF stand-in) and copying to the clipboard. */
export function useOpenLinks(userId: string | null, showToast: ShowToast, fail: (err: unknown) => void) {
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

  const copy = useCallback(
    (text: string) => {
      navigator.clipboard
        ?.writeText(text)
        .then(() => showToast('info', 'コピーしました'))
        .catch(() => showToast('info', `コピーできませんでした: ${text}`));
    },
    [showToast],
  );

  return { openWindow, openUri, copy };
}
