// Takes the screenshots used in the staff manual from a running demo (`npm start`).
//   node docs/take-screenshots.ts [consoleUrl] [phoneUrl] [adminPassword]
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
const phone = await browser.newPage({ viewport: { width: 900, height: 860 }, locale: 'ja-JP' });
await phone.goto(`${phoneUrl}/phone/?channel=2000000001`);
await phone.waitForTimeout(1500);
await phone.screenshot({ path: out('virtual-phone.png') });
await browser.close();
console.log('screenshots written to docs/images/');
