import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../apps/server/src/config.ts';
import {
  paymentsDepsFrom,
  refreshPayment,
  startPayment,
} from '../apps/server/src/modules/payments/payments.service.ts';
import {
  payjpStandInEnv,
  registerAtPayjpStandIn,
} from '../apps/server/src/modules/payments/stand-in-wiring.ts';
import { createCipher } from '../apps/server/src/platform/crypto.ts';
import { createRuntime } from '../apps/server/src/runtime.ts';
import { expectNoAxeViolations, SIM, shot } from './console.ts';
import { SERVER_PORT } from './playwright.config.ts';

// PAY.JP (A-02, issue 15) in Chromium: the e2e product runs Stripe (the default), so this file
// starts a second server in-process with PAYMENT_PROVIDER=payjp at the same simulator's PAY.JP
// stand-in (its own embedded PostgreSQL). A payment is started through the service as an
// application would; the citizen opens our card page (payjp.js stand-in), a declined card first,
// then a 3-D Secure card: the challenge page, 認証する, back to us — paid after the server's
// tds_finish and read. The card page passes axe and runs with no CSP violation.

const PORT = SERVER_PORT + 8;
const PG_PORT = SERVER_PORT + 7;
const URL_ = `http://localhost:${PORT}`;

let rt: Awaited<ReturnType<typeof createRuntime>>;
let deps: ReturnType<typeof paymentsDepsFrom>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const config = loadConfig({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(PORT),
    PUBLIC_URL: URL_,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'madoguchi-payjp-e2e-')),
    EMBEDDED_PG_PORT: String(PG_PORT),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    LINE_API_BASE_URL: SIM,
    LINE_DATA_API_BASE_URL: SIM,
    LINE_OAUTH_BASE_URL: SIM,
    LIFF_SDK_URL: `${SIM}/liff/sdk.js`,
    ...payjpStandInEnv(SIM),
  });
  rt = await createRuntime(config, { workers: false });
  await rt.app.listen({ host: config.HOST, port: config.PORT });
  await registerAtPayjpStandIn(SIM, `http://127.0.0.1:${PORT}`, { retryBaseMs: 200 });
  deps = paymentsDepsFrom({ config, cipher: createCipher(config.ENCRYPTION_KEY) });
});

test.afterAll(async () => {
  if (!rt) return;
  // No CSP violation reported by the card page (S-04).
  const metrics = await (await fetch(`${URL_}/metrics`)).text();
  const reported = metrics
    .split('\n')
    .filter((l) => l.startsWith('madoguchi_csp_violations_total{') && !l.endsWith(' 0'));
  await rt.close();
  expect(reported).toEqual([]);
});

test('PAY.JP: our card page, a declined card, then 3-D Secure with a challenge → paid after the server check', async ({
  browser,
}) => {
  const p = await startPayment(rt.db, deps, {
    purpose: 'e2e-payjp',
    ref: `e2e-${Date.now()}`,
    lines: [
      { label: '住民票の写し', unitAmount: 300, quantity: 2 },
      { label: '郵送料', unitAmount: 110, quantity: 1 },
    ],
    description: '住民票の写しの交付手数料',
    returnPath: '/citizen/',
  });
  expect(p.url).toBe(`${URL_}/pay/payjp/${p.paymentId}`);
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(p.url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('カードでのお支払い');
  await expect(page.getByRole('table')).toContainText('住民票の写し');
  const pay = page.getByRole('button', { name: '710 円を支払う' });
  await expect(pay).toBeVisible();
  await expect(page.getByLabel('カード番号')).toBeVisible(); // payjp.js mounted its card element
  await expectNoAxeViolations(page, 'PAY.JP card page');
  const box = await pay.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  // English (the link at the top), also accessible; then back to Japanese.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Pay ¥710' })).toBeVisible();
  await expect(page.getByLabel('Card number')).toBeVisible();
  await expectNoAxeViolations(page, 'PAY.JP card page (English)');
  await page.getByRole('link', { name: '日本語' }).click();

  await page.getByLabel('カード番号').fill('4000 0000 0000 0002');
  await page.getByLabel(/有効期限/).fill('12/34');
  await page.getByLabel('セキュリティコード').fill('123');
  await shot(page, 'payjp-card-page.png', true);
  await pay.click();
  await expect(page.getByRole('alert')).toContainText('カードが承認されませんでした');
  await expect(page.getByLabel('カード番号')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'PAY.JP card page, declined');
  expect((await refreshPayment(rt.db, deps, p.paymentId)).status).toBe('pending');

  await page.getByLabel('カード番号').fill('4000 0000 0000 3220');
  await page.getByRole('button', { name: '710 円を支払う' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('本人認証');
  await expectNoAxeViolations(page, 'PAY.JP stand-in, 3-D Secure');
  await shot(page, 'payjp-standin-3ds.png');
  // At the challenge nothing is paid yet.
  expect((await refreshPayment(rt.db, deps, p.paymentId)).status).toBe('pending');
  await page.getByRole('button', { name: '認証する' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${URL_}/citizen/?payment=${p.paymentId}`));
  const row = await rt.db
    .selectFrom('payments')
    .select(['status', 'amount'])
    .where('id', '=', p.paymentId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: 'paid', amount: 710 });
  // The card page of a paid payment says so and offers the way back.
  await page.goto(p.url);
  await expect(page.getByRole('status')).toContainText('このお支払いは完了しています');
  await context.close();
});
