import { expect, test } from '@playwright/test';
import { STAND_IN_STRIPE } from '../apps/server/src/modules/payments/stand-in-wiring.ts';
import { apiOf, BASE, expectNoAxeViolations, SIM, shot, signIn, today } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// Online payment (A-02, issue 15), the parts this branch has without an application: the payment
// stand-in's hosted page in Chromium (Japanese, accessible; a declined card, then a 3-D Secure
// challenge that passes, then back to the success URL), and the staff's 決済 page (list, filters,
// the reconciliation export). The whole journey — apply, pay, 受付, reject and refund — is in
// applications.e2e.ts.

/** A Checkout Session made at the stand-in as the server makes one (form-encoded, Bearer test key). */
async function standInSession(successUrl: string, cancelUrl: string) {
  const body = new URLSearchParams({
    mode: 'payment',
    currency: 'jpy',
    'line_items[0][quantity]': '2',
    'line_items[0][price_data][currency]': 'jpy',
    'line_items[0][price_data][unit_amount]': '300',
    'line_items[0][price_data][product_data][name]': '住民票の写し',
    'line_items[1][quantity]': '1',
    'line_items[1][price_data][currency]': 'jpy',
    'line_items[1][price_data][unit_amount]': '110',
    'line_items[1][price_data][product_data][name]': '郵送料',
    success_url: successUrl,
    cancel_url: cancelUrl,
  });
  const r = await fetch(`${SIM}/v1/checkout/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${STAND_IN_STRIPE.secretKey}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body,
  });
  expect(r.status).toBe(200);
  return (await r.json()) as { id: string; url: string };
}

test('the stand-in’s payment page: a declined card, then 3-D Secure, then back to the success URL', async ({
  browser,
}) => {
  const done = `${BASE}/citizen/?payment=e2e`;
  const session = await standInSession(done, `${done}&paymentCanceled=1`);
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(session.url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('お支払い');
  await expect(page.getByRole('table')).toContainText('住民票の写し');
  await expect(page.getByRole('button', { name: '710 円を支払う' })).toBeVisible();
  await expectNoAxeViolations(page, 'payment stand-in');
  await page.getByLabel('カード番号').fill('4242 4242 4242 4242');
  await page.getByLabel('有効期限（月/年）').fill('12/34');
  await page.getByLabel('セキュリティコード').fill('123');
  await shot(page, 'payment-standin-checkout.png', true);

  await page.getByLabel('カード番号').fill('4000 0000 0000 0002');
  await page.getByRole('button', { name: '710 円を支払う' }).click();
  await expect(page.getByRole('alert')).toContainText('カードが拒否されました');
  await expect(page.getByLabel('カード番号')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'payment stand-in, declined');

  await page.getByLabel('カード番号').fill('4000 0000 0000 3220');
  await page.getByRole('button', { name: '710 円を支払う' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('本人認証');
  await expectNoAxeViolations(page, 'payment stand-in, 3-D Secure');
  await shot(page, 'payment-standin-3ds.png');
  await page.getByRole('button', { name: '認証する' }).click();
  await page.waitForURL((u) => u.href.startsWith(done));
  await context.close();
});

test('staff: the 決済 page lists and filters payments, and exports the reconciliation', async ({
  browser,
}) => {
  const staff = await signIn(browser);
  await staff.getByRole('navigation').getByRole('link', { name: '決済' }).click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('決済（手数料のオンライン支払い）');
  await expect(staff.getByRole('region', { name: '照合データの出力（日次の突合せ）' })).toBeVisible();
  await expectNoAxeViolations(staff, 'payments');
  await expect(staff.getByRole('status')).toContainText('件を表示');
  await staff.evaluate(() => window.scrollTo(0, 0));
  await shot(staff, 'console-payments.png');
  // The demo's payments (made through the stand-in): one paid, one refunded.
  const rows = staff.getByRole('table', { name: '支払いの一覧' }).getByRole('row');
  await rows
    .filter({ hasText: '返金済' })
    .first()
    .getByRole('link', { name: /の支払いの詳細/ })
    .click();
  await expect(staff.getByRole('heading', { level: 1 })).toHaveText('支払いの詳細');
  await expect(staff.getByRole('region', { name: '返金' })).toContainText('返金完了');
  await expect(staff.getByRole('region', { name: '決済サービスからの通知（Webhook）' })).toContainText(
    'checkout.session.completed',
  );
  await expectNoAxeViolations(staff, 'payment detail');
  await staff.evaluate(() => window.scrollTo(0, 0));
  await shot(staff, 'console-payment-detail.png', true);
  await staff.getByRole('link', { name: '支払いの一覧に戻る' }).click();
  await rows
    .filter({ hasText: '支払済' })
    .first()
    .getByRole('link', { name: /の支払いの詳細/ })
    .click();
  await staff.getByRole('button', { name: '全額を返金する' }).click();
  const dialog = staff.getByRole('dialog');
  await dialog.getByRole('button', { name: '全額を返金する' }).click();
  await expect(dialog.getByText('返金の理由を入力してください')).toBeVisible();
  await expectNoAxeViolations(staff, 'refund dialog');
  await shot(staff, 'console-payment-refund.png');
  await dialog.getByRole('button', { name: 'キャンセル' }).click();
  await staff.getByRole('link', { name: '支払いの一覧に戻る' }).click();
  await staff.getByLabel('状態', { exact: true }).selectOption({ label: '支払済' });
  await staff.getByRole('button', { name: '絞り込む' }).click();
  await expect(staff.getByRole('status')).toContainText('件を表示');

  // The export links of the chosen days: CSV with a BOM, the header, nothing outside the days.
  const csv = await staff.request.get(
    `${BASE}/api/payments/reconciliation.csv?from=${today()}&to=${today()}`,
  );
  expect(csv.status()).toBe(200);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
    '種別,日時,支払ID,用途,参照,内容,明細,金額（円）,決済サービス,決済ID,状態,要確認',
  );
  const link = staff.getByRole('link', { name: 'CSV で出力' });
  await expect(link).toHaveAttribute(
    'href',
    new RegExp(`reconciliation\\.csv\\?from=${today()}&to=${today()}`),
  );
  // The stand-in's webhooks for the session above (not a payment of ours) were recorded, not lost.
  const api = await apiOf(staff);
  await expect
    .poll(
      async () => ((await api.get('/api/payments/webhook-events?state=unknown_payment')) as unknown[]).length,
    )
    .toBeGreaterThan(0);
  await staff.reload();
  const kept = staff.getByRole('region', { name: '該当する支払いのない通知・処理できなかった通知' });
  await expect(kept).toContainText('checkout.session.completed');
  await expect(kept).toContainText('該当する支払いなし');
  await expectNoAxeViolations(staff, 'payments, kept notifications');
});
