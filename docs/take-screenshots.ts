// Takes the screenshots used in the staff manual from a running demo (`npm start`).
//   node docs/take-screenshots.ts [consoleUrl] [phoneUrl] [adminPassword]
// Run it on a fresh demo (it adds a virtual citizen) with Japanese fonts installed, e.g. Debian's
// fonts-noto-cjk and fonts-noto-color-emoji; without them the Japanese text renders as boxes.
import path from 'node:path';
import { chromium } from 'playwright-core';

const [
  consoleUrl = 'http://localhost:3000',
  phoneUrl = 'http://localhost:3100',
  password = process.env.DEMO_ADMIN_PASSWORD ?? '',
] = process.argv.slice(2);
const out = (name: string) => path.join(import.meta.dirname, 'images', name);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
const page = await context.newPage();
await page.goto(`${consoleUrl}/console/`);
await page.screenshot({ path: out('console-login.png') });
await page.getByLabel('ログインID').fill('admin');
await page.getByLabel('パスワード', { exact: true }).fill(password);
await page.getByRole('button', { name: 'ログイン' }).click();
await page.getByTestId('friend-count').waitFor();
await page.waitForTimeout(500);
await page.screenshot({ path: out('console-dashboard.png') });
for (const [hash, file] of [
  ['#/accounts', 'console-accounts.png'],
  ['#/ip-allowlists', 'console-ip-allowlists.png'],
  ['#/audit', 'console-audit.png'],
  ['#/channels', 'console-channels.png'],
] as const) {
  await page.goto(`${consoleUrl}/console/${hash}`);
  await page.waitForTimeout(700);
  await page.screenshot({ path: out(file) });
}

// Attribute registration, segments, deliveries and analytics (docs/manual/delivery.md).
await page.goto(`${consoleUrl}/console/#/registration-form`);
await page.getByRole('list', { name: '登録フォームの項目' }).waitFor();
await page.waitForTimeout(700);
await page.screenshot({ path: out('console-registration-form.png') });

// (美浜区 or 稲毛区) AND (ライフスタイル 子育て中 OR 受け取りたい情報 子育て), the whole page.
await page.goto(`${consoleUrl}/console/#/segments/new`);
await page.getByLabel('セグメント名').fill('美浜区・稲毛区の子育て世帯');
await page.getByRole('button', { name: '条件全体 に条件を追加' }).click();
const c1 = page.getByRole('group', { name: '条件 1', exact: true });
await c1.getByLabel('条件の種類').selectOption({ label: '区・町丁（選択肢）' });
await c1.getByLabel('美浜区', { exact: true }).check();
await c1.getByLabel('稲毛区', { exact: true }).check();
await page.getByRole('button', { name: '条件全体 にグループを追加' }).click();
await page
  .getByRole('group', { name: 'グループ 2', exact: true })
  .getByLabel('いずれかを満たす（OR）')
  .check();
const c21 = page.getByRole('group', { name: '条件 2-1', exact: true });
await c21.getByLabel('条件の種類').selectOption({ label: 'ライフスタイル（選択肢）' });
await c21.getByLabel('子育て中', { exact: true }).check();
await page.getByRole('button', { name: 'グループ 2 に条件を追加' }).click();
const c22 = page.getByRole('group', { name: '条件 2-2', exact: true });
await c22.getByLabel('条件の種類').selectOption({ label: '受け取りたい情報（選択肢）' });
await c22.getByLabel('子育て', { exact: true }).check();
await page.getByText(/対象者 [\d,]+ 人/).waitFor();
await page.evaluate(() => window.scrollTo(0, 0));
await page.waitForTimeout(700);
await page.screenshot({ path: out('console-segment.png'), fullPage: true });

await page.goto(`${consoleUrl}/console/#/deliveries/new`);
await page.getByLabel('管理用タイトル').fill('子育て講座のご案内');
await page
  .getByLabel('本文（メッセージ 1）')
  .fill(
    '🌱 子育て中のみなさまへ\n美浜区の子育て支援センターで「親子でふれあい講座」を開きます。\n申し込みはこちら: https://www.city.example.jp/kosodate/koza',
  );
await page.getByRole('group', { name: '配信先' }).getByLabel('保存したセグメント').check();
await page.getByLabel('セグメント', { exact: true }).selectOption({ index: 1 });
await page.getByTestId('audience-count').and(page.locator('[data-value]')).waitFor();
await page.getByTestId('line-preview').getByText('親子でふれあい講座', { exact: false }).waitFor();
await page.evaluate(() => window.scrollTo(0, 0));
await page.waitForTimeout(700);
await page.screenshot({ path: out('console-delivery-composer.png'), fullPage: true });

for (const [hash, file, fullPage] of [
  ['#/deliveries', 'console-deliveries.png', false],
  ['#/analytics', 'console-analytics.png', true],
] as const) {
  await page.goto(`${consoleUrl}/console/${hash}`);
  await page.waitForTimeout(1500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out(file), fullPage });
}

const phone = await browser.newPage({ viewport: { width: 900, height: 860 }, locale: 'ja-JP' });
await phone.goto(`${phoneUrl}/phone/?channel=2000000001`);
await phone.waitForTimeout(1500);
await phone.screenshot({ path: out('virtual-phone.png') });

// The citizen's registration page, opened from the greeting on a new virtual phone (mobile size).
const mobile = await browser.newContext({
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  locale: 'ja-JP',
});
const citizen = await mobile.newPage();
await citizen.goto(`${phoneUrl}/phone/?channel=2000000001`);
await citizen.getByRole('button', { name: '新しいユーザー' }).click();
const dialog = citizen.getByRole('dialog', { name: '新しいユーザー' });
await dialog.getByLabel('表示名').fill('市民 はなこ');
await dialog.getByRole('button', { name: '作成' }).click();
await citizen.getByRole('button', { name: '友だち追加' }).click();
const [form] = await Promise.all([
  citizen.waitForEvent('popup'),
  citizen.getByRole('button', { name: '受信設定を登録する' }).last().click(),
]);
await form.getByRole('heading', { level: 1 }).waitFor();
await form.getByLabel('生年').fill('1988');
await form.getByRole('group', { name: '性別' }).getByLabel('女性').check();
await form.getByRole('heading', { level: 1 }).click();
await form.evaluate(() => window.scrollTo(0, 0));
await form.waitForTimeout(1000);
await form.screenshot({ path: out('citizen-registration.png') });
await browser.close();
console.log('screenshots written to docs/images/');
