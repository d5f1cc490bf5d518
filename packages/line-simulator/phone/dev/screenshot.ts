// Development only: renders the phone against the /_sim mock (dev/mock-sim.ts) in Chromium and
// writes screenshots and a composite of them to outDir (the staff manual's picture of the phone,
// docs/images/virtual-phone.png, is taken by the e2e run: e2e/foundation.e2e.ts).
//   node packages/line-simulator/phone/dev/screenshot.ts [outDir]
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM=path).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';

process.env.SIM_MOCK = '1';
const phoneDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = process.argv[2] ?? '/tmp/phone-shots';
mkdirSync(outDir, { recursive: true });

const server = await createServer({
  configFile: `${phoneDir}vite.config.ts`,
  logLevel: 'warn',
  server: { port: 0, host: '127.0.0.1' },
});
await server.listen();
const base = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/phone/';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

async function settle(page: Page) {
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  await page.waitForTimeout(300);
}

async function scrollTalkTo(page: Page, text: string) {
  await page
    .getByRole('log', { name: 'トーク' })
    .getByText(text)
    .first()
    .evaluate((el) => el.closest('li')?.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(200);
}

try {
  const page = await browser.newPage({ viewport: { width: 900, height: 840 }, deviceScaleFactor: 2 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}?channel=mock-channel-chiba&user=Umock0000000000000000000000000001`);
  await page.getByRole('group', { name: 'クイックリプライ' }).waitFor();
  await page.getByRole('group', { name: 'リッチメニュー' }).waitFor();
  await settle(page);
  const phone = page.getByRole('main', { name: '仮想スマートフォン' });

  const shots: string[] = [];
  const shot = async (name: string) => {
    const path = `${outDir}/${name}.png`;
    await phone.screenshot({ path });
    shots.push(path);
  };
  const chatBar = page.getByRole('button', { name: 'メニュー', exact: true });
  await chatBar.click();
  await scrollTalkTo(page, '友だち追加ありがとうございます');
  await shot('1-text-buttons');
  await scrollTalkTo(page, '通知を受け取りますか');
  await shot('2-confirm-carousel');
  await scrollTalkTo(page, '千葉市立〇〇小学校');
  await shot('3-flex');
  await page.getByRole('log', { name: 'トーク' }).evaluate((el) => {
    const talk = el.closest('.talk');
    if (talk) talk.scrollTop = talk.scrollHeight;
  });
  await page.waitForTimeout(200);
  await shot('4-imagemap-quickreply');
  await chatBar.click();
  await page.getByRole('group', { name: 'リッチメニュー' }).waitFor();
  await settle(page);
  await shot('5-richmenu');

  // Interactions: send a text, tap a rich menu tab, open the location dialog.
  await page.getByLabel('メッセージを入力').fill('こんにちは');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await page.getByRole('log', { name: 'トーク' }).getByText('「こんにちは」を受け付けました。').waitFor();
  await page.getByRole('group', { name: 'リッチメニュー' }).getByRole('button', { name: 'タブB' }).click();
  await page
    .getByRole('log', { name: 'トーク' })
    .getByText('postback: tab=b')
    .waitFor({ state: 'detached' })
    .catch(() => {});
  await page.waitForTimeout(2500);
  await settle(page);
  await shot('6-after-send-tab-b');
  await page.getByRole('button', { name: '位置情報', exact: true }).click();
  await page.getByRole('dialog', { name: '位置情報を送信' }).waitFor();
  await page.screenshot({ path: `${outDir}/7-location-dialog.png` });
  await page.getByRole('button', { name: 'この位置を送信' }).click();
  await page.getByRole('log', { name: 'トーク' }).getByText('千葉県千葉市中央区千葉港1-1').waitFor();
  await settle(page);
  await shot('8-location-sent');

  // Mobile: full screen, no frame.
  const mobile = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await mobile.goto(`${base}?channel=mock-channel-chiba&user=Umock0000000000000000000000000001`);
  await mobile.getByRole('group', { name: 'リッチメニュー' }).waitFor();
  await settle(mobile);
  await mobile.screenshot({ path: `${outDir}/9-mobile.png` });

  // Documentation image: three phone views side by side.
  const composite = await browser.newPage({ viewport: { width: 1720, height: 860 }, deviceScaleFactor: 1 });
  const imgs = [0, 2, 3, 4]
    .map((i) => shots[i] ?? '')
    .map((p) => `<img src="${p.replace(outDir, '/shots')}">`)
    .join('');
  await composite.route('**/shots/*', (route) =>
    route.fulfill({ path: `${outDir}/${route.request().url().split('/').pop()}` }),
  );
  await composite.route('**/index.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<body style="margin:0;background:#dfe4ea;display:flex;gap:24px;justify-content:center;align-items:center;height:100vh">${imgs.replaceAll('<img', '<img style="height:800px"')}</body>`,
    }),
  );
  await composite.goto('http://phone.invalid/index.html');
  await composite.waitForFunction(() =>
    [...document.images].every((img) => img.complete && img.naturalWidth > 0),
  );
  await composite.screenshot({ path: `${outDir}/composite.png` });

  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
  console.log(`screenshots in ${outDir} (composite.png: all of them)`);
} finally {
  await browser.close();
  await server.close();
}
