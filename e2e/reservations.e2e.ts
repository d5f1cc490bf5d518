import { type Browser, expect, type Page, test } from '@playwright/test';
import { apiOf, expectNoAxeViolations, SIM, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { inbox, newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Reservations (issue 13, V-01 … V-04): staff create a booking calendar (a slot every day, 2 seats, a
// required phone number) and open it; one friend books both seats of the first slot from the LIFF
// link (an invalid phone number first), another finds it 満席 and joins the waiting list; the first
// cancels in 予約の確認・取消 and the waiting friend gets the seats.

interface Calendar {
  id: string;
  name: string;
  link: string;
  form: { id: string };
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

test('V-01 … V-04: book the first slot from the LIFF link (invalid phone first), 満席 and the waiting list, cancel, the seat goes to the waiting friend', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as { id: string; lineChannelId: string }[];
  const channel = channels.find((c) => c.lineChannelId === '2000000001')!;
  const name = `子育て講座 ${Date.now().toString(36)}`;
  let calendar = (await api.post('/api/booking-calendars', {
    channelId: channel.id,
    category: '講座',
    name,
    description: '親子で参加できます。',
    templates: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({
      weekday,
      start: '10:00',
      end: '11:30',
      capacity: 2,
    })),
    openOnHolidays: true,
    maxSeatsPerBooking: 2,
  })) as Calendar;
  await api.post(`/api/forms/${calendar.form.id}/items`, {
    key: 'tel',
    type: 'phone',
    label: '電話番号',
    required: true,
  });
  calendar = (await api.post(`/api/booking-calendars/${calendar.id}/open`, {})) as Calendar;
  expect(calendar.link).toMatch(/^https:\/\/liff\.line\.me\/.+\?page=booking&id=/);
  const listLink = calendar.link.replace(/&id=[^&]+/, '');

  // Phone 1: the calendar's days as a list; the first slot, both seats, an invalid phone number first.
  const first = await newPhone(browser, `予約 一郎 ${Date.now().toString(36)}`);
  const page = await openLiff(browser, first.userId, calendar.link, name);
  const firstSlot = page.getByTestId('slot').first();
  await expect(firstSlot).toContainText('残り 2 席');
  const time = ((await firstSlot.locator('span').first().textContent()) ?? '').trim();
  expect(time).toBe('10:00〜11:30');
  await expectNoAxeViolations(page);
  await firstSlot.getByRole('button').click();
  await expect(page.getByRole('heading', { name: '予約する方の情報' })).toBeFocused();
  await page.getByLabel('人数').selectOption('2');
  await page.getByLabel('電話番号').fill('12345');
  await page.getByRole('button', { name: '確認画面へ進む' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '入力内容を確認してください' })).toBeVisible();
  await expect(page.getByLabel('電話番号')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('電話番号')).toBeFocused();
  await expectNoAxeViolations(page);
  await page.getByLabel('電話番号').fill('047-334-1111');
  await page.getByRole('button', { name: '確認画面へ進む' }).click();
  await expect(page.getByRole('heading', { name: '予約内容の確認' })).toBeVisible();
  await expect(page.getByText('047-334-1111')).toBeVisible();
  await expect(page.getByText('2人')).toBeVisible();
  await page.getByRole('button', { name: '予約する', exact: true }).click();
  const done = page
    .getByRole('status')
    .filter({ has: page.getByRole('heading', { name: '予約を受け付けました' }) });
  await expect(done).toBeVisible();
  await expect(done).toContainText(time);
  await expect(done).toContainText('2人');
  await expectNoAxeViolations(page);
  // The LINE confirmation.
  await expect
    .poll(async () =>
      (await inbox(page, first.userId)).some(
        (m) => m.via === 'push' && (m.message.text ?? '').includes('予約を受け付けました'),
      ),
    )
    .toBe(true);

  // Phone 2: the same slot is 満席; the waiting list.
  const second = await newPhone(browser, `予約 花子 ${Date.now().toString(36)}`);
  const other = await openLiff(browser, second.userId, calendar.link, name);
  const full = other.getByTestId('slot').first();
  await expect(full).toContainText(time);
  await expect(full).toContainText('満席');
  await full.getByRole('button').click();
  await expect(other.getByRole('heading', { name: '満席です' })).toBeFocused();
  // The waiting list takes the booking form too (issue 13): its answers go onto the booking.
  await other.getByRole('button', { name: 'キャンセル待ちに登録する' }).click();
  await expect(other.getByRole('heading', { name: '予約する方の情報' })).toBeFocused();
  await other.getByRole('button', { name: '確認画面へ進む' }).click();
  await expect(other.getByLabel('電話番号')).toHaveAttribute('aria-invalid', 'true');
  await other.getByLabel('電話番号').fill('047-712-3456');
  await other.getByRole('button', { name: '確認画面へ進む' }).click();
  await expect(other.getByRole('heading', { name: 'キャンセル待ちの登録内容の確認' })).toBeFocused();
  await expect(other.getByText('047-712-3456')).toBeVisible();
  await expectNoAxeViolations(other);
  await other.getByRole('button', { name: 'キャンセル待ちに登録する' }).click();
  await expect(other.getByRole('heading', { name: 'キャンセル待ちに登録しました' })).toBeVisible();

  // Phone 1 cancels in 予約の確認・取消 (the list of calendars, opened from LINE without an id).
  const mine = await openLiff(browser, first.userId, listLink, '施設・イベントの予約');
  await expect(mine.getByRole('link', { name: new RegExp(name) })).toBeVisible();
  const booking = mine.getByTestId('my-booking').filter({ hasText: name });
  await expect(booking).toContainText('状態：予約済');
  await expectNoAxeViolations(mine);
  await booking.getByRole('button', { name: '取消' }).click();
  await expect(booking.getByText('この予約を取り消しますか？')).toBeFocused();
  await booking.getByRole('button', { name: '取り消す' }).click();
  await expect(mine.getByRole('status').filter({ hasText: '予約を取り消しました。' })).toBeVisible();
  await expect(booking).toContainText('状態：取消');
  await expect(booking.getByRole('button', { name: '取消' })).toHaveCount(0);
  await expectNoAxeViolations(mine);

  // Phone 2 got the freed seat from the waiting list.
  const { items: bookings } = (await api.get(`/api/bookings?calendarId=${calendar.id}`)) as {
    items: { friend: string | null; status: string; seats: number; answers: Record<string, unknown> }[];
  };
  expect(
    bookings.filter((b) => b.friend?.startsWith('予約 花子')).map((b) => [b.status, b.seats, b.answers]),
  ).toEqual([['booked', 1, { tel: '047-712-3456' }]]);
  expect(bookings.filter((b) => b.friend?.startsWith('予約 一郎')).map((b) => b.status)).toEqual([
    'cancelled',
  ]);
});
