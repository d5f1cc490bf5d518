import { type Browser, expect, type Page, test } from '@playwright/test';
import { apiOf, BASE, expectNoAxeViolations, MANUAL_SHOTS, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { DEMO_LINE_CHANNEL, inbox, newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// スマホ市役所 (issue 15, A-01 … A-03), one journey: a friend taps 住民票の申請 in the rich menu of the
// virtual phone, checks their identity at the JPKI stand-in (平川 花子, PIN 1234), fills the form,
// sees the fee the server computed, pays at the payment stand-in with the test card 4242… and sees
// 受付 with the reference number; staff see it in the console with the verified attributes and mark
// it 審査中 then 発送済; the phone gets the status messages, none with personal data. A second
// application (印鑑登録証明書) is rejected and refunded (the stand-in shows the refund).

const NAME = '平川 花子';
const ADDRESS = '平川市本町一丁目2番3号';

/** From the list of procedures: start one, check the identity at the stand-in, fill, confirm, pay. */
async function apply(page: Page, procedure: string, axe: boolean) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('オンライン申請', { timeout: 20_000 });
  if (axe) {
    await expectNoAxeViolations(page, 'citizen applications');
    await shot(page, 'citizen-applications.png', true);
  }
  await page
    .getByRole('region', { name: procedure })
    .getByRole('button', { name: 'この手続を申請する' })
    .click();
  await expect(page.getByRole('heading', { name: 'マイナンバーカードで本人確認' })).toBeVisible();
  const applicationId = /\/citizen\/applications\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  if (axe) {
    await expectNoAxeViolations(page, 'citizen application: identity step');
    await shot(page, 'citizen-application-identity.png');
  }
  await page.getByRole('button', { name: '本人確認へ進む' }).click();

  // The JPKI stand-in's card page (the デジタル認証アプリ's place).
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('マイナンバーカードで本人確認');
  await page.getByRole('radio', { name: new RegExp(NAME) }).check();
  await page.getByLabel(/利用者証明用暗証番号/).fill('1234');
  await page.getByRole('button', { name: '確認する' }).click();

  // Back on our page: the verified name and address, for the citizen only; then the form.
  const identity = page.getByRole('region', { name: '本人確認の結果' });
  await expect(identity).toContainText(NAME, { timeout: 20_000 });
  await expect(identity).toContainText(ADDRESS);
  await page.getByLabel(/^通数/).fill('2');
  if (await page.getByRole('radio', { name: '本人のみ' }).count())
    await page.getByRole('radio', { name: '本人のみ' }).check();
  await page.getByLabel(/^使いみち/).selectOption({ label: '勤務先への提出' });
  await page.getByRole('radio', { name: '郵送' }).check();
  await page.getByLabel(/^送付先の住所/).fill(ADDRESS);
  if (axe) {
    await expectNoAxeViolations(page, 'citizen application: form');
    await shot(page, 'citizen-application-form.png', true);
  }
  await page.getByRole('button', { name: '確認へ進む' }).click();

  // The fee as the server computed it (demo values: 300 円 × 2 + 郵送 110 円).
  await expect(page.getByRole('heading', { name: '申請の内容の確認' })).toBeVisible();
  await expect(page.getByTestId('fee-total')).toHaveText('合計：710円');
  if (axe) {
    await expectNoAxeViolations(page, 'citizen application: confirmation');
    await shot(page, 'citizen-application-confirm.png', true);
  }
  await page.getByRole('button', { name: '支払いへ進む' }).click();

  // The payment stand-in's page: the test card.
  await expect(page.getByRole('button', { name: '710 円を支払う' })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('カード番号').fill('4242 4242 4242 4242');
  await page.getByLabel('有効期限（月/年）').fill('12/34');
  await page.getByLabel('セキュリティコード').fill('123');
  await page.getByRole('button', { name: '710 円を支払う' }).click();

  // Back: the server asks the provider; 受付 with the reference number.
  await expect(page.getByRole('heading', { name: '申請を受け付けました' })).toBeVisible({ timeout: 30_000 });
  const number = (await page.getByTestId('application-number').textContent())!;
  expect(number).toMatch(/^R\d+-\d{6}$/);
  if (axe) {
    await expectNoAxeViolations(page, 'citizen application: received');
    await shot(page, 'citizen-application-done.png');
  }
  return { applicationId, number };
}

async function openFromRichMenu(browser: Browser) {
  const { phone, userId } = await newPhone(browser, `申請 花子 ${Date.now().toString(36)}`);
  const [page] = await Promise.all([
    phone.waitForEvent('popup'),
    phone
      .getByRole('group', { name: 'リッチメニュー' })
      .getByRole('button', { name: '住民票の申請' })
      .click(),
  ]);
  return { phone, userId, page };
}

const statusMessages = async (page: Page, userId: string) =>
  (await inbox(page, userId))
    .map((m) => m.message.text ?? '')
    .filter((t) => t.startsWith('申請の状況が更新されました'));

test('A-01 … A-03: 住民票 from the rich menu — identity, form, fee, payment, 受付; staff 審査中 → 発送済; a second one rejected and refunded', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  // The demo's procedures are seeded while the server already answers: wait for them.
  const admin = await signIn(browser, 'admin', { width: 1366, height: 900 });
  const api = await apiOf(admin);
  const channel = ((await api.get('/api/channels')) as { id: string; lineChannelId: string }[]).find(
    (c) => c.lineChannelId === DEMO_LINE_CHANNEL,
  )!;
  await expect
    .poll(
      async () =>
        ((await api.get(`/api/procedures?channelId=${channel.id}`)) as { active: boolean }[]).filter(
          (p) => p.active,
        ).length,
      { timeout: 60_000 },
    )
    .toBe(2);
  const { phone, userId, page } = await openFromRichMenu(browser);
  const first = await apply(page, '住民票の写し', true);

  // Staff: the queue, the detail with the verified attributes (audited), 審査中, then 発送済.
  await admin.goto(`${BASE}/console/#/applications`);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('申請（スマホ市役所）');
  await expect(admin.getByRole('table')).toContainText(first.number);
  await expectNoAxeViolations(admin, 'console applications');
  await shot(admin, 'console-applications.png');
  await admin.getByRole('link', { name: `申請 ${first.number} の詳細` }).click();
  const identity = admin.getByTestId('verified-identity');
  await expect(identity).toContainText(NAME);
  await expect(identity).toContainText(ADDRESS);
  await expect(admin.getByTestId('payment-status')).toHaveText('支払い済み');
  await expectNoAxeViolations(admin, 'console application detail');
  await shot(admin, 'console-application-detail.png', true);
  await admin.getByRole('button', { name: '審査中にする' }).click();
  await expect(admin.getByText('状況を「審査中」にしました。')).toBeVisible();
  await admin.getByRole('button', { name: '発送済にする' }).click();
  await expect(admin.getByText('状況を「発送済」にしました。')).toBeVisible();
  await expect(admin.getByText('状況: 審査中 → 発送済')).toBeVisible();

  // The phone: 受付, 審査中, 発送済 — the same text with a link, no name, no address.
  await expect.poll(async () => (await statusMessages(phone, userId)).length, { timeout: 30_000 }).toBe(3);
  for (const m of await inbox(phone, userId)) {
    const text = m.message.text ?? m.message.altText ?? '';
    expect(text).not.toContain('花子');
    expect(text).not.toContain('平川市');
    expect(text).not.toContain('本町');
  }
  await expect(phone.getByText('申請の状況が更新されました', { exact: false }).last()).toBeVisible();
  await shot(phone, 'phone-application-status.png');

  // A second application, rejected with a reason: refunded at the stand-in.
  await page.goto(`${BASE}/citizen/applications?ch=${channel.id}`);
  const second = await apply(page, '印鑑登録証明書', false);
  await admin.goto(`${BASE}/console/#/applications/${second.applicationId}`);
  await admin.getByRole('button', { name: '却下して返金する' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel(/理由/).fill('印鑑登録がありません');
  await shot(admin, 'console-application-reject.png');
  await dialog.getByRole('button', { name: '却下して返金する' }).click();
  await expect(admin.getByText('状況を「却下」にしました。')).toBeVisible();
  await expect(admin.getByTestId('payment-status')).toHaveText('返金済み');
  const log = (await (await admin.request.get(`${SIM}/_sim/payments/log`)).json()) as {
    refunds: { amount: number; status: string }[];
  };
  expect(log.refunds.filter((r) => r.amount === 710)).toHaveLength(1);
  await page.reload();
  await expect(page.getByRole('heading', { name: '申請は却下されました' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('返金しました。')).toBeVisible();
  await expectNoAxeViolations(page, 'citizen application: rejected');

  // The procedures for the manual: the list and the editor of 住民票の写し.
  if (MANUAL_SHOTS) {
    await admin.goto(`${BASE}/console/#/procedures`);
    await expect(admin.getByRole('table')).toContainText('住民票の写し');
    await shot(admin, 'console-procedures.png');
    await admin.getByRole('link', { name: '住民票の写し', exact: true }).click();
    await expect(admin.getByRole('heading', { name: '手数料と郵送料' })).toBeVisible();
    await shot(admin, 'console-procedure-editor.png', true);
  }
});
