import { useCallback, useState } from 'react';
import type { ShowToast } from './hooks.ts';
import type { WebhookResult } from './types.ts';

/** The last webhook status shown in the talk header; anything but 2xx (or not delivered) also toasts. */
export function useWebhookStatus(showToast: ShowToast) {
  const [webhook, setWebhook] = useState<string | null>(null);
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
  return { webhook, noteWebhook };
}

export type NoteWebhook = ReturnType<typeof useWebhookStatus>['noteWebhook'];
