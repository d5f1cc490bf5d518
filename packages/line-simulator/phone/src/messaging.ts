import { useCallback } from 'react';
import { api } from './api.ts';
import type { useSent } from './hooks.ts';
import type { LineMessage } from './types.ts';
import type { NoteWebhook } from './webhook-status.ts';

export type Sent = ReturnType<typeof useSent>;

/** Sending a message or a postback as the user; what the user "says" appears in the talk at once. */
export function useMessaging({
  userId,
  channelId,
  sent,
  noteWebhook,
  fail,
  refreshInbox,
}: {
  userId: string | null;
  channelId: string | null;
  sent: Sent;
  noteWebhook: NoteWebhook;
  fail: (err: unknown) => void;
  refreshInbox: () => void;
}) {
  const { add: addSent, update: updateSent } = sent;

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

  return { send, postback };
}
