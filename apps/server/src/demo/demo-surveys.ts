import type { Db } from '../db/database.ts';
import type { ChannelsService } from '../modules/channels/channels.service.ts';
import { addItem } from '../modules/forms/forms.service.ts';
import {
  createCalendar,
  listCalendars,
  setCalendarStatus,
} from '../modules/reservations/reservations.service.ts';
import { createSurvey, listSurveys, setSurveyStatus } from '../modules/surveys/surveys.service.ts';
import { createCipher } from '../platform/crypto.ts';

// The demo's survey and booking calendar (Q-01 … Q-05, V-01 … V-06), made through the same services
// as staff use: 「市民満足度アンケート」 with several item types (one shown only on a condition, one
// staff-only), open; and 「子育て相談（予約制）」 with weekday slots and a phone number, open. マイページ
// lists both. Safe to run again: nothing is added when the channel already has surveys / calendars.

const item = (input: Record<string, unknown>) => ({
  required: false,
  help: '',
  config: {},
  choices: [],
  ...input,
});

export async function seedDemoSurveys(
  db: Db,
  channels: ChannelsService,
  channelId: string,
  encryptionKey: string,
): Promise<string[]> {
  const out: string[] = [];
  const cipher = createCipher(encryptionKey);
  const surveyDeps = { db, cipher, channels, respondentKey: () => Buffer.alloc(32) };
  if ((await listSurveys(surveyDeps, channelId)).length === 0) {
    const s = await createSurvey(
      surveyDeps,
      {
        channelId,
        kind: 'survey',
        title: '市民満足度アンケート',
        description: '市役所の窓口についてお聞きします。所要時間は約3分です。',
        mode: 'overwrite',
        anonymous: false,
        opensAt: null,
        closesAt: null,
        audienceSegmentId: null,
      },
      null,
    );
    const f = s.form.id;
    let form = await addItem(
      db,
      f,
      item({
        key: 'used',
        type: 'single',
        label: '最近、市役所の窓口を利用しましたか',
        required: true,
        choices: [{ label: 'はい' }, { label: 'いいえ' }],
      }) as never,
    );
    const yes = form.items.find((i) => i.key === 'used')!.choices.find((c) => c.label === 'はい')!.id;
    await addItem(
      db,
      f,
      item({
        key: 'satisfaction',
        type: 'select',
        label: '窓口の対応の満足度',
        required: true,
        config: { showIf: { item: 'used', choices: [yes] } },
        choices: ['とても満足', '満足', 'ふつう', '不満', 'とても不満'].map((label) => ({ label })),
      }) as never,
    );
    await addItem(
      db,
      f,
      item({
        key: 'topics',
        type: 'multiple',
        label: '市に力を入れてほしい分野（2つまで）',
        config: { maxSelections: 2 },
        choices: ['子育て', '防災', '福祉', '道路・交通', '観光'].map((label) => ({ label })),
      }) as never,
    );
    await addItem(
      db,
      f,
      item({
        key: 'age',
        type: 'number',
        label: '年齢',
        config: { minValue: 0, maxValue: 120, integer: true },
      }) as never,
    );
    await addItem(
      db,
      f,
      item({ key: 'zip', type: 'postal_code', label: '郵便番号', help: '住所は自動で入ります' }) as never,
    );
    await addItem(db, f, item({ key: 'addr', type: 'address', label: '住所' }) as never);
    await addItem(
      db,
      f,
      item({
        key: 'opinion',
        type: 'textarea',
        label: 'ご意見・ご要望',
        config: { maxLength: 1000 },
      }) as never,
    );
    form = await addItem(
      db,
      f,
      item({ key: 'memo', type: 'text', label: '担当メモ', config: { staffOnly: true } }) as never,
    );
    await setSurveyStatus(surveyDeps, s.id, 'open');
    out.push(`アンケート「${s.title}」（${form.items.length} 項目）の受付を始めました`);
  }

  const reservationDeps = { db, cipher, channels, onOutbox: () => {}, onMail: () => {} };
  if ((await listCalendars(reservationDeps, channelId)).length === 0) {
    const weekdays = [1, 2, 3, 4, 5];
    const c = await createCalendar(reservationDeps, {
      channelId,
      category: '子育て',
      name: '子育て相談（予約制）',
      description: '保健師が子育ての悩みをうかがいます。お子さんと一緒にお越しください。',
      templates: weekdays.flatMap((weekday) => [
        { weekday, start: '10:00', end: '11:00', capacity: 3 },
        { weekday, start: '14:00', end: '15:00', capacity: 3 },
      ]),
      openOnHolidays: false,
      closedDates: [],
      openedDates: [],
      bookingCutoffMinutes: 60,
      cancelCutoffMinutes: 60,
      perPersonLimit: 2,
      maxSeatsPerBooking: 3,
      reminderHour: 18,
    });
    await addItem(
      db,
      c.form.id,
      item({ key: 'tel', type: 'phone', label: '日中の連絡先（電話番号）', required: true }) as never,
    );
    await addItem(
      db,
      c.form.id,
      item({
        key: 'child_age',
        type: 'number',
        label: 'お子さんの月齢（か月）',
        config: { minValue: 0, maxValue: 72, integer: true },
      }) as never,
    );
    await addItem(db, c.form.id, item({ key: 'note', type: 'textarea', label: '相談したいこと' }) as never);
    await setCalendarStatus(reservationDeps, c.id, 'open');
    out.push(`予約カレンダー「${c.name}」（平日 10:00・14:00、各3人）の受付を始めました`);
  }
  return out;
}
