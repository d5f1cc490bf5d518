import type { messagingApi } from '@line/bot-sdk';

// The LINE messages of reservations (V-03, V-06): on booking, change and cancellation, and the reminders.

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** 2027年1月6日（水）13:30〜15:00, in Tokyo time. */
export function slotText(startsAt: Date, endsAt: Date): string {
  const t = (d: Date) => new Date(d.getTime() + 9 * 3600_000);
  const s = t(startsAt);
  const e = t(endsAt);
  const hm = (d: Date) => `${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日（${WEEKDAYS[s.getUTCDay()]}）${hm(s)}〜${hm(e)}`;
}

const HEADINGS = {
  booked: '予約を受け付けました。',
  moved: '予約の日時が変更されました。',
  cancelled: '予約を取り消しました。',
  slot_cancelled: '申し訳ありません。次の予約枠は中止になり、予約は取り消されました。',
  from_waitlist: 'キャンセル待ちの予約が確定しました。',
} as const;

export function bookingMessage(
  kind: keyof typeof HEADINGS,
  calendar: string,
  startsAt: Date,
  endsAt: Date,
  seats: number,
): messagingApi.TextMessage {
  return {
    type: 'text',
    text: `${HEADINGS[kind]}\n\n${calendar}\n日時：${slotText(startsAt, endsAt)}\n人数：${seats}人`,
  };
}

/** The reminder: the automatic one the day before, or the staff's own text (manual). */
export function reminderMessage(
  calendar: string,
  startsAt: Date,
  endsAt: Date,
  seats: number,
  text: string | null,
): messagingApi.TextMessage {
  const lead = text ?? '明日のご予約のお知らせです。';
  return {
    type: 'text',
    text: `${lead}\n\n${calendar}\n日時：${slotText(startsAt, endsAt)}\n人数：${seats}人`,
  };
}
