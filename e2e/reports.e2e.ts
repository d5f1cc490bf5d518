import { type Browser, expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { startSmtpSink } from '../apps/server/src/modules/reports/testing/smtp-sink.ts';
import { apiOf, BASE, expectNoAxeViolations, MANUAL_SHOTS, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { DEMO_LINE_CHANNEL, newPhone } from './phone.ts';
import { SMTP_PORT } from './playwright.config.ts';

test.afterAll(expectNoCspViolations);

// Fault reports (issue 13, R-01 … R-03): a friend opens the report page from LINE on a phone, takes
// two photos, first gives a place in the sea (refused: outside the city), then uses the phone's
// location inside Ichikawa and sends; the category's two addresses get the mail (read back from a
// local SMTP server); staff see the report with its photos in the console and set it 完了, and the
// friend is told in LINE.

const INSIDE = { latitude: 35.7219, longitude: 139.9311 }; // 市川市役所
const SEA = { lat: '35.6', lng: '139.95' };

let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
test.beforeAll(async () => {
  smtp = await startSmtpSink({ port: SMTP_PORT });
});
test.afterAll(async () => smtp?.stop());

/** Opens the LIFF link (as tapping it in LINE does) on a phone that shares its location. */
async function openReportPage(browser: Browser, userId: string, link: string) {
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    geolocation: INSIDE,
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  const opened = await page.request.post(`${SIM}/_sim/liff/open`, { data: { userId, url: link } });
  expect(opened.ok()).toBe(true);
  await page.goto(((await opened.json()) as { url: string }).url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('道路・公園などの不具合の通報', {
    timeout: 20_000,
  });
  return page;
}

/** The admin signed in on the console, the demo channel, and a new category of `prefix` with its addresses. */
async function staffWithCategory(browser: Browser, prefix: string, emails: string[]) {
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as {
    id: string;
    lineChannelId: string;
    liffId: string;
  }[];
  const channel = channels.find((c) => c.lineChannelId === DEMO_LINE_CHANNEL)!;
  const name = `${prefix} ${Date.now().toString(36)}`;
  await api.post('/api/reports/categories', { channelId: channel.id, name, emails });
  return { admin, channel, name };
}

/** Presses 通報する and answers the 受付番号 the page shows. */
async function sendReport(page: Page) {
  await page.getByRole('button', { name: '通報する' }).click();
  await expect(page.getByRole('heading', { name: '通報を受け付けました' })).toBeVisible();
  const reportId = /受付番号: ([0-9a-f-]{36})/.exec(
    (await page.getByRole('status').first().textContent()) ?? '',
  )?.[1];
  expect(reportId).toBeTruthy();
  return reportId!;
}

const photo = (color: string) =>
  sharp({ create: { width: 800, height: 600, channels: 3, background: color } })
    .jpeg()
    .toBuffer();

test('R-01 … R-03: a report with two photos from a phone; a place in the sea refused; mailed to both addresses; 完了 told in LINE', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { admin, channel, name } = await staffWithCategory(browser, '道路', [
    'doro@city.example.jp',
    'doboku@city.example.jp',
  ]);

  const { userId } = await newPhone(browser, `通報 一郎 ${Date.now().toString(36)}`);
  const page = await openReportPage(browser, userId, `https://liff.line.me/${channel.liffId}?page=report`);
  await expect(page).toHaveURL(/\/citizen\/reports\?ch=/);
  if (MANUAL_SHOTS) {
    // The form filled in as a friend sees it before sending (a page of its own: nothing is sent).
    const fresh = await openReportPage(browser, userId, `https://liff.line.me/${channel.liffId}?page=report`);
    await fresh.getByRole('radio', { name }).check();
    await fresh.getByTestId('report-photo-input').setInputFiles([
      { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photo('#996633') },
      { name: 'b.jpg', mimeType: 'image/jpeg', buffer: await photo('#336699') },
    ]);
    await expect(fresh.getByRole('button', { name: '写真 2 を取り消す' })).toBeVisible();
    await fresh.getByRole('button', { name: '現在地を使う' }).click();
    await expect(fresh.getByLabel(/緯度/)).toHaveValue('35.721900');
    await fresh.getByLabel('内容').fill('歩道の舗装がはがれて段差になっています。');
    await shot(fresh, 'citizen-report-form.png', true);
    await fresh.context().close();
  }

  // Nothing filled: the summary names every required field.
  await page.getByRole('button', { name: '通報する' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('通報の種類を選んでください');
  await expect(summary).toContainText('場所を指定してください');
  await expect(summary).toContainText('内容を入力してください');
  await shot(page, 'citizen-report-errors.png');

  await page.getByRole('radio', { name }).check();
  await page.getByTestId('report-photo-input').setInputFiles([
    { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await photo('#996633') },
    { name: 'b.jpg', mimeType: 'image/jpeg', buffer: await photo('#336699') },
  ]);
  await expect(page.getByRole('img', { name: /選んだ写真/ })).toHaveCount(2);
  await expect(page.getByRole('button', { name: '写真 2 を取り消す' })).toBeVisible();
  await page.getByLabel('内容').fill('歩道の舗装がはがれて段差になっています。');

  // A place in the sea: refused by the server, shown at the place.
  await page.getByLabel(/緯度/).fill(SEA.lat);
  await page.getByLabel(/経度/).fill(SEA.lng);
  await page.getByRole('button', { name: '通報する' }).click();
  await expect(page.getByRole('alert')).toContainText('市の区域外');
  await expect(page.getByLabel(/緯度/)).toHaveAttribute('aria-invalid', 'true');
  if (MANUAL_SHOTS) {
    await page.getByRole('group', { name: /場所/ }).scrollIntoViewIfNeeded();
    await shot(page, 'citizen-report-outside.png');
  }

  // The phone's location (inside Ichikawa), then send.
  await page.getByRole('button', { name: '現在地を使う' }).click();
  await expect(page.getByLabel(/緯度/)).toHaveValue('35.721900');
  await expect(page.getByRole('link', { name: /地図で場所を確かめる/ })).toBeVisible();
  await expectNoAxeViolations(page, 'citizen report page');
  const reportId = await sendReport(page);
  await expect(page.getByTestId('report-mine')).toContainText('受付');
  await shot(page, 'citizen-report-done.png');

  // The two notification mails, read back from the local SMTP server.
  await expect
    .poll(() => smtp.received.filter((m) => m.text.includes(reportId)).length, { timeout: 30_000 })
    .toBe(2);
  const mails = smtp.received.filter((m) => m.text.includes(reportId));
  expect(mails.flatMap((m) => m.to).sort()).toEqual(['doboku@city.example.jp', 'doro@city.example.jp']);
  expect(mails[0]!.subject).toContain(`【通報】${name}`);
  expect(mails[0]!.text).toContain('緯度 35.7219, 経度 139.9311');
  expect(mails[0]!.text).toContain(`/console/#/reports/${reportId}`);

  // Staff: the list, the report with both photos, 完了.
  await admin.goto(`${BASE}/console/#/reports`);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('通報（道路・公園などの不具合）');
  await expect(admin.getByRole('table')).toContainText('歩道の舗装がはがれて');
  await expectNoAxeViolations(admin, 'console reports');
  await shot(admin, 'console-report-list.png');

  // The map (issue 13): this report and the demo's are at the city hall: one numbered marker, a
  // button that, by keyboard, lists both (each a link) and closes back to the marker.
  await admin.getByRole('button', { name: '地図', exact: true }).click();
  const group = admin.getByRole('button', { name: /^近い場所の通報 \d+ 件/ });
  await expect(group).toHaveCount(1);
  await group.focus();
  await admin.keyboard.press('Enter');
  await expect(group).toHaveAttribute('aria-expanded', 'true');
  const listed = admin.getByRole('region', { name: /^近い場所の通報（\d+ 件）/ });
  await expect(listed.getByRole('heading')).toBeFocused();
  await expect(listed.locator(`a[href$="/reports/${reportId}"]`)).toHaveText(new RegExp(`^${name} 受付 `));
  expect(await listed.getByRole('link').count()).toBeGreaterThanOrEqual(2);
  await expectNoAxeViolations(admin, 'console reports map');
  await shot(admin, 'console-report-map.png');
  await listed.getByRole('button', { name: '閉じる' }).click();
  await expect(listed).toHaveCount(0);
  await expect(group).toBeFocused();
  if (MANUAL_SHOTS) {
    await admin.goto(`${BASE}/console/#/reports/categories`);
    await expect(admin.getByRole('heading', { level: 1 })).toHaveText('通報の種類と通知先');
    await expect(admin.getByRole('table')).toContainText(name);
    await shot(admin, 'console-report-categories.png');
    await admin.getByRole('button', { name: `「${name}」を編集` }).click();
    await expect(admin.getByRole('dialog')).toBeVisible();
    await shot(admin, 'console-report-category-edit.png');
    await admin.getByRole('dialog').getByRole('button', { name: 'キャンセル' }).click();
  }
  await admin.goto(`${BASE}/console/#/reports/${reportId}`);
  await expect(admin.getByRole('heading', { name: '通報の詳細' })).toBeVisible();
  const images = admin.getByRole('img', { name: /通報の写真/ });
  await expect(images).toHaveCount(2);
  await expect
    .poll(() => images.first().evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(admin.getByText('送信済み')).toHaveCount(2);
  await admin.getByLabel('対応状況').selectOption('done');
  await expect(admin.getByText('対応状況を「完了」にしました')).toBeVisible();
  await expect(admin.getByText('対応状況: 受付 → 完了')).toBeVisible();
  await expectNoAxeViolations(admin, 'console report detail');
  await shot(admin, 'console-report-detail.png', true);

  // The reporter is told in LINE.
  await expect
    .poll(
      async () => {
        const r = await admin.request.get(`${SIM}/_sim/users/${userId}/inbox?channelId=${DEMO_LINE_CHANNEL}`);
        const { messages } = (await r.json()) as { messages: { message: { text?: string } }[] };
        return messages.some((m) => m.message.text?.includes('対応が完了しました'));
      },
      { timeout: 20_000 },
    )
    .toBe(true);
});

// the place from a LINE location message. On the report page the friend presses
// 「LINEのトークで位置を送る」; the virtual phone gets a message with a location quick reply; a place
// in the next city is answered 「市外の位置です」 (the page keeps waiting), a place by 市川駅 is
// taken: the page fills it in (editable), the report is sent with it and staff see that place.
test('R-01: the place sent as a LINE location message from the phone fills the report page; staff see it', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const { admin, channel, name } = await staffWithCategory(browser, '街灯', ['gaito@city.example.jp']);

  const { phone, userId } = await newPhone(browser, `通報 二郎 ${Date.now().toString(36)}`);
  const page = await openReportPage(browser, userId, `https://liff.line.me/${channel.liffId}?page=report`);
  await page.getByRole('radio', { name }).check();
  await page.getByLabel('内容').fill('街灯が点いていません。');
  await page.getByRole('button', { name: 'LINEのトークで位置を送る' }).click();
  const waiting = page.getByTestId('report-line-location').getByRole('status');
  await expect(waiting).toContainText('トークに戻ってボタンを押し');
  await expectNoAxeViolations(page, 'citizen report page waiting for the LINE location');

  const chips = phone.getByRole('group', { name: 'クイックリプライ' });
  const sendFromPhone = async (where: { address: string; lat: string; lng: string }) => {
    await chips.getByRole('button', { name: '位置情報を送る' }).click();
    const dialog = phone.getByRole('dialog', { name: '位置情報を送信' });
    await dialog.getByLabel('名称').fill('通報の場所');
    await dialog.getByLabel('住所').fill(where.address);
    await dialog.getByLabel('緯度').fill(where.lat);
    await dialog.getByLabel('経度').fill(where.lng);
    await dialog.getByRole('button', { name: 'この位置を送信' }).click();
  };
  await expect(phone.getByText('通報する場所を送ってください', { exact: false }).last()).toBeVisible({
    timeout: 30_000,
  });
  await sendFromPhone({ address: '千葉県船橋市湊町2丁目10-25', lat: '35.6947', lng: '139.9826' });
  await expect(phone.getByText('市外の位置です', { exact: false }).last()).toBeVisible({ timeout: 30_000 });
  await expect(waiting).toContainText('トークに戻ってボタンを押し');

  await sendFromPhone({ address: '千葉県市川市市川1丁目 市川駅', lat: '35.72966', lng: '139.90785' });
  await expect(phone.getByText('通報の場所を受け取りました', { exact: false }).last()).toBeVisible({
    timeout: 30_000,
  });
  await shot(phone, 'phone-report-location.png');
  await expect(waiting).toContainText('LINE で位置を受け取りました: 千葉県市川市市川1丁目 市川駅', {
    timeout: 30_000,
  });
  await expect(page.getByLabel(/緯度/)).toHaveValue('35.729660');
  await expect(page.getByLabel(/経度/)).toHaveValue('139.907850');
  await expectNoAxeViolations(page, 'citizen report page with the LINE location');
  await shot(page, 'citizen-report-line-location.png');
  const reportId = await sendReport(page);

  await admin.goto(`${BASE}/console/#/reports/${reportId}`);
  await expect(admin.getByRole('heading', { name: '通報の詳細' })).toBeVisible();
  await expect(admin.getByText('緯度 35.72966、経度 139.90785')).toBeVisible();
});
