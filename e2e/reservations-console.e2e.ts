import { type Browser, expect, type Page, test } from '@playwright/test';
import { apiOf, BASE, expectNoAxeViolations, MANUAL_SHOTS, SIM, shot, signIn, today } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { inbox, newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Reservations in the console (issue 13, V-01 … V-06, O-01): staff create a booking calendar in the
// console (category, name), set its weekly slots (every day, 2 seats), a closed day, the cancel cutoff,
// seats per booking and the reminder hour, add a required phone number and a 管理項目 to its booking
// form and open it; a friend books both seats of the first slot from the LIFF link; staff see the
// slot 満席 on the slots page, raise its capacity, send a manual reminder (it reaches the phone), mark
// the booking 来場 on the bookings page and export it as CSV with the filter applied.

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** The console's `2026/12/01（火） 10:00〜11:30` of a slot (Tokyo). */
function slotText(slot: { startsAt: string; endsAt: string }): string {
  const jst = (iso: string) => new Date(Date.parse(iso) + 9 * 3600_000).toISOString();
  const start = jst(slot.startsAt);
  const date = start.slice(0, 10);
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  return `${date.replaceAll('-', '/')}（${weekday}） ${start.slice(11, 16)}〜${jst(slot.endsAt).slice(11, 16)}`;
}

/** Opens a LIFF link for the friend (as tapping it in LINE does) on a phone-sized page. */
async function openLiff(browser: Browser, userId: string, link: string, heading: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  const page = await context.newPage();
  const opened = await page.request.post(`${SIM}/_sim/liff/open`, { data: { userId, url: link } });
  expect(opened.ok()).toBe(true);
  await page.goto(((await opened.json()) as { url: string }).url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(heading, { timeout: 20_000 });
  return page;
}

test('V-01 … V-06: a calendar made in the console, booked from a phone, 満席, capacity, manual reminder, 来場 and the CSV', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  const api = await apiOf(admin);
  const name = '市民プール（個人利用）';

  // 予約 → 予約カレンダーを作成 (category, name, description).
  await admin.goto(`${BASE}/console/#/reservations`);
  await expect(admin.getByRole('heading', { level: 1, name: '予約' })).toBeVisible();
  await shot(admin, 'console-reservation-list.png');
  await admin.getByRole('button', { name: '予約カレンダーを作成' }).click();
  const create = admin.getByRole('dialog', { name: '予約カレンダーを作成' });
  await create.getByRole('button', { name: '作成して枠を設定する' }).click();
  await expect(create.getByLabel('分類')).toHaveAttribute('aria-invalid', 'true');
  await expect(create.getByLabel('名前')).toHaveAttribute('aria-invalid', 'true');
  await create.getByRole('button', { name: 'キャンセル' }).click();
  await admin.getByRole('button', { name: '予約カレンダーを作成' }).click();
  await create.getByLabel('分類').fill('施設予約');
  await create.getByLabel('名前').fill(name);
  await create.getByLabel('説明（任意）').fill('1回90分です。水着と帽子をお持ちください。');
  await shot(admin, 'console-reservation-create.png');
  await create.getByRole('button', { name: '作成して枠を設定する' }).click();

  // The editor: a draft without slots cannot open.
  await expect(admin.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(admin.getByText('下書き', { exact: true })).toBeVisible();
  await expect(admin.getByText('枠がありません。「枠を追加」で追加してください。')).toBeVisible();
  await admin.getByRole('button', { name: '受付を開始' }).click();
  await expect(
    admin.getByRole('alert').filter({ hasText: '予約枠（曜日と時間）が1つもありません' }),
  ).toBeVisible();

  // Weekly slots: 月 first, then a copy for every other weekday; 10:00〜11:30, 2 seats.
  await admin.getByRole('button', { name: '枠を追加' }).click();
  const row = (n: number) => admin.getByRole('group', { name: `枠 ${n}`, exact: true });
  await row(1).getByLabel('曜日').selectOption({ label: '月' });
  await row(1).getByLabel('開始時刻').fill('10:00');
  await row(1).getByLabel('終了時刻').fill('11:30');
  await row(1).getByLabel('定員（人）').fill('2');
  for (const [i, weekday] of ['火', '水', '木', '金', '土', '日'].entries()) {
    await admin.getByRole('button', { name: '枠を追加' }).click();
    await row(i + 2)
      .getByLabel('曜日')
      .selectOption({ label: weekday });
  }
  await expect(row(7).getByLabel('定員（人）')).toHaveValue('2');
  await expect(row(7).getByLabel('開始時刻')).toHaveValue('10:00');
  // Every day (holidays too), a closed day a month ahead, cancel until the day before, 2 seats per
  // booking, 3 bookings per person, the reminder the day before at 17:00.
  await admin.getByLabel('祝日・年末年始も受け付ける').check();
  const closedDay = new Date(Date.parse(`${today()}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  await admin.getByLabel('休業日に追加する日付').fill(closedDay);
  await admin
    .getByRole('group', { name: '休業日' })
    .getByRole('button', { name: '追加', exact: true })
    .click();
  const closedText = `${closedDay.replaceAll('-', '/')}（${WEEKDAYS[new Date(`${closedDay}T00:00:00Z`).getUTCDay()]}）`;
  await expect(admin.getByRole('button', { name: `${closedText} を削除` })).toBeVisible();
  await admin.getByLabel('取消の締切（数値）').fill('1');
  await admin.getByLabel('取消の締切（単位）').selectOption({ label: '日前' });
  await admin.getByLabel('1人が持てる予約の数（任意）').fill('3');
  await admin.getByLabel('1回の予約の人数の上限').fill('2');
  await admin.getByLabel('リマインド', { exact: true }).selectOption({ label: '前日 17 時' });
  await admin.getByRole('button', { name: '設定を保存' }).click();
  await expect(admin.getByRole('status').filter({ hasText: '設定を保存しました。' })).toBeVisible();

  // The booking form: a required phone number and a 管理項目, through the form designer.
  await admin.getByLabel('種類').selectOption({ label: '電話番号' });
  await admin.getByLabel('項目名').fill('電話番号');
  await admin.getByLabel('必須にする').check();
  await admin.getByRole('button', { name: '項目を追加', exact: true }).click();
  await expect(admin.getByRole('status').filter({ hasText: '「電話番号」を追加しました。' })).toBeVisible();
  await admin.getByLabel('種類').selectOption({ label: '1行テキスト' });
  await admin.getByLabel('項目名').fill('担当メモ');
  await admin.getByLabel('管理項目（職員だけが記入し、回答者には表示しない）').check();
  await admin.getByRole('button', { name: '項目を追加', exact: true }).click();
  await expect(admin.getByRole('status').filter({ hasText: '「担当メモ」を追加しました。' })).toBeVisible();
  const items = admin.getByRole('list', { name: '予約フォームの項目' }).getByRole('listitem');
  await expect(items).toHaveCount(2);

  // Open it: the LIFF link for deliveries and rich menus.
  await admin.getByRole('button', { name: '受付を開始' }).click();
  await expect(admin.getByRole('status').filter({ hasText: '受付を開始しました。' })).toBeVisible();
  await expect(admin.getByText('受付中', { exact: true })).toBeVisible();
  await expect(admin.getByRole('button', { name: '受付を終了' })).toBeVisible();
  const link = ((await admin.locator('code').filter({ hasText: 'liff.line.me' }).textContent()) ?? '').trim();
  expect(link).toMatch(/^https:\/\/liff\.line\.me\/.+\?page=booking&id=[0-9a-f-]{36}$/);
  const calendarId = new URL(link).searchParams.get('id')!;
  await expectNoAxeViolations(admin, 'calendar editor');
  await shot(admin, 'console-reservation-editor.png');
  if (MANUAL_SHOTS) {
    // Staff manual screenshots only: the weekly slots, the days, cutoffs and limits, the form's items.
    const scrollTo = (locator: ReturnType<Page['locator']>) =>
      locator.first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await admin.setViewportSize({ width: 1366, height: 1000 });
    await scrollTo(admin.getByRole('group', { name: '予約枠（毎週）' }));
    await shot(admin, 'console-reservation-templates.png');
    await scrollTo(admin.getByLabel('祝日・年末年始も受け付ける'));
    await shot(admin, 'console-reservation-settings.png');
    await scrollTo(admin.getByRole('heading', { name: '項目（2 件）' }));
    await shot(admin, 'console-reservation-items.png');
    await admin.setViewportSize({ width: 1366, height: 768 });
    await admin.evaluate(() => window.scrollTo(0, 0));
  }

  // The settings saved as entered (the API's view).
  const calendar = (await api.get(`/api/booking-calendars/${calendarId}`)) as {
    name: string;
    status: string;
    templates: { weekday: number; start: string; end: string; capacity: number }[];
    openOnHolidays: boolean;
    closedDates: string[];
    cancelCutoffMinutes: number;
    perPersonLimit: number | null;
    maxSeatsPerBooking: number;
    reminderHour: number | null;
    form: { items: { label: string; type: string; required: boolean; config: { staffOnly?: boolean } }[] };
  };
  expect(calendar.name).toBe(name);
  expect(calendar.status).toBe('open');
  expect(calendar.templates.map((s) => s.weekday).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(calendar.templates.every((s) => s.start === '10:00' && s.end === '11:30' && s.capacity === 2)).toBe(
    true,
  );
  expect(calendar.openOnHolidays).toBe(true);
  expect(calendar.closedDates).toEqual([closedDay]);
  expect(calendar.cancelCutoffMinutes).toBe(24 * 60);
  expect(calendar.perPersonLimit).toBe(3);
  expect(calendar.maxSeatsPerBooking).toBe(2);
  expect(calendar.reminderHour).toBe(17);
  expect(calendar.form.items.map((i) => [i.label, i.type, i.required, i.config.staffOnly === true])).toEqual([
    ['電話番号', 'phone', true, false],
    ['担当メモ', 'text', false, true],
  ]);

  // The list by category.
  await admin.goto(`${BASE}/console/#/reservations`);
  const table = admin.getByRole('table', { name: '施設予約' });
  await expect(table.getByRole('row').filter({ hasText: name })).toContainText('受付中');

  // A friend books both seats of the first bookable slot from the LIFF link.
  const friend = '市民 太郎';
  const { userId } = await newPhone(browser, friend);
  const page = await openLiff(browser, userId, link, name);
  const slot = page.getByTestId('slot').filter({ hasText: '残り 2 席' }).first();
  await expect(slot).toBeVisible();
  await expect(page.getByLabel('担当メモ')).toHaveCount(0);
  await shot(page, 'citizen-booking-slots.png');
  await slot.getByRole('button').click();
  await expect(page.getByRole('heading', { name: '予約する方の情報' })).toBeFocused();
  await page.getByLabel('人数').selectOption('2');
  await page.getByLabel('電話番号').fill('047-334-2222');
  await expect(page.getByLabel('担当メモ')).toHaveCount(0);
  await shot(page, 'citizen-booking-form.png', true);
  await page.getByRole('button', { name: '確認画面へ進む' }).click();
  await expect(page.getByRole('heading', { name: '予約内容の確認' })).toBeVisible();
  await page.getByRole('button', { name: '予約する', exact: true }).click();
  await expect(page.getByRole('heading', { name: '予約を受け付けました' })).toBeVisible();
  await shot(page, 'citizen-booking-done.png');

  const {
    items: [booking],
  } = (await api.get(`/api/bookings?calendarId=${calendarId}`)) as {
    items: {
      id: string;
      friend: string | null;
      seats: number;
      status: string;
      slot: { id: string; startsAt: string; endsAt: string };
    }[];
  };
  expect(booking?.friend).toBe(friend);
  expect(booking?.seats).toBe(2);
  const when = slotText(booking!.slot);

  // Staff: the slots page shows the seats taken (満席); the capacity goes up to 3.
  await admin.getByRole('link', { name: `「${name}」の予約枠` }).click();
  await expect(admin.getByRole('heading', { level: 1, name: `予約枠：${name}` })).toBeVisible();
  const capacityButton = admin.getByRole('button', { name: `${when} の定員を変更` });
  const slotRow = admin.getByRole('row').filter({ has: capacityButton });
  const cells = slotRow.locator('td');
  await expect(cells.nth(0)).toHaveText(when.split(' ')[1]!);
  await expect(cells.nth(1)).toHaveText('2');
  await expect(cells.nth(2)).toHaveText('2');
  await expect(cells.nth(3)).toHaveText('0');
  await expect(cells.nth(4)).toHaveText('満席');
  await expectNoAxeViolations(admin, 'slots');
  await shot(admin, 'console-reservation-slots.png');
  await capacityButton.click();
  const capacity = admin.getByRole('dialog', { name: '定員を変更' });
  await capacity.getByLabel('定員（人）').fill('1');
  await capacity.getByRole('button', { name: '変更する' }).click();
  await expect(capacity.getByLabel('定員（人）')).toHaveAttribute('aria-invalid', 'true');
  await expect(capacity).toContainText('予約済みの人数（2人）より少なくはできません。');
  await capacity.getByRole('button', { name: 'キャンセル' }).click();
  await capacityButton.click();
  await expect(capacity.getByLabel('定員（人）')).toHaveValue('2');
  await capacity.getByLabel('定員（人）').fill('3');
  await shot(admin, 'console-reservation-capacity.png');
  await capacity.getByRole('button', { name: '変更する' }).click();
  await expect(
    admin.getByRole('status').filter({ hasText: `${when} の定員を3人にしました。` }),
  ).toBeVisible();
  await expect(cells.nth(1)).toHaveText('3');
  await expect(cells.nth(4)).toHaveText('空きあり');

  // A manual reminder reaches the phone.
  const reminder = `持ち物の確認です（${Date.now().toString(36)}）。水着・帽子・タオルをお持ちください。`;
  await admin.getByRole('button', { name: `${when} の予約者にリマインドを送る` }).click();
  const remind = admin.getByRole('dialog', { name: 'リマインドを送る' });
  await remind.getByLabel('お知らせする内容').fill(reminder);
  await shot(admin, 'console-reservation-remind.png');
  await remind.getByRole('button', { name: '送信する' }).click();
  await expect(
    admin.getByRole('status').filter({ hasText: `${when} の予約者1人にリマインドを送りました。` }),
  ).toBeVisible();
  await expect
    .poll(async () =>
      (await inbox(page, userId)).some((m) => m.via === 'push' && (m.message.text ?? '').includes(reminder)),
    )
    .toBe(true);

  if (MANUAL_SHOTS) {
    // Staff manual screenshot only: the cancel confirmation of another slot (not confirmed).
    await admin
      .getByRole('button', { name: / を中止$/ })
      .last()
      .click();
    await admin.getByRole('dialog').waitFor();
    await shot(admin, 'console-reservation-cancel-slot.png');
    await admin.getByRole('dialog').getByRole('button', { name: 'キャンセル' }).click();
  }

  // The bookings page: 来場, the filter, the CSV with the same filter.
  await admin.getByRole('link', { name: '予約一覧' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: `予約一覧：${name}` })).toBeVisible();
  const status = admin.getByLabel(`${friend}（${when}）の予約の状態`);
  await expect(status).toHaveValue('booked');
  await status.selectOption({ label: '来場' });
  await expect(
    admin.getByRole('status').filter({ hasText: `${friend} の予約を「来場」にしました。` }),
  ).toBeVisible();
  await admin.getByRole('button', { name: `${friend} の予約の詳細・管理項目` }).click();
  const detail = admin.getByRole('dialog', { name: '予約の詳細' });
  await expect(detail).toContainText('047-334-2222');
  await detail.getByLabel('担当メモ').fill('受付で水泳帽を貸出');
  await detail.getByRole('button', { name: '管理項目を保存' }).click();
  await expect(detail.getByText('管理項目を保存しました。')).toBeVisible();
  await shot(admin, 'console-reservation-detail.png');
  await detail.getByRole('button', { name: '閉じる' }).click();

  const filters = admin.getByRole('form', { name: '予約の絞り込み' });
  await filters.getByLabel('状態', { exact: true }).selectOption({ label: '来場' });
  await filters.getByRole('button', { name: '絞り込む' }).click();
  await expect(admin.getByRole('table', { name: '予約 1件' })).toBeVisible();
  await expectNoAxeViolations(admin, 'bookings');
  await shot(admin, 'console-reservation-bookings.png');
  const href = await admin.getByRole('link', { name: 'CSV で出力' }).getAttribute('href');
  expect(href).toContain(`calendarId=${calendarId}`);
  expect(href).toContain('status=attended');
  const csv = await admin.request.get(`${BASE}${href}`);
  expect(csv.status()).toBe(200);
  const text = (await csv.body()).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain('状態');
  expect(lines[0]).toContain('電話番号');
  expect(lines[0]).toContain('担当メモ');
  expect(lines[1]).toContain(booking!.id);
  expect(lines[1]).toContain(friend);
  expect(lines[1]).toContain('来場');
  expect(lines[1]).toMatch(/047-?334-?2222/);
  expect(lines[1]).toContain('受付で水泳帽を貸出');
  // The filter holds: no 予約済 booking in the attended export.
  const booked = await admin.request.get(`${BASE}/api/bookings.csv?calendarId=${calendarId}&status=booked`);
  expect((await booked.body()).toString('utf8').slice(1).trim().split(/\r?\n/)).toHaveLength(1);
});
