import type { ConsultationStatus, Message } from './api.ts';

/**
 * Whether the chat shows the "受付時間外" notice (with the desk's emergency contacts): while the desk
 * is closed and no counselor has come, i.e. until a counselor takes the consultation or replies.
 * Once a counselor has replied it stays away, even if the consultation falls back to waiting.
 */
export function showOutOfHoursNotice(chat: {
  openNow: boolean;
  closed: boolean;
  status: ConsultationStatus | null;
  messages: readonly Pick<Message, 'sender'>[];
}): boolean {
  if (chat.openNow || chat.closed || chat.status === 'active') return false;
  return !chat.messages.some((m) => m.sender === 'counselor');
}
