import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Webhook forwarding (W-01, issue 14): staff add the city's server as a forwarding target in the
// console (the secret is made by the server and shown once), a friend writes to the account on the
// virtual phone, and the target receives the event signed with that secret. The target then fails
// (500) until the event is dead-lettered (the e2e server's retry window is 5 s, playwright.config.ts);
// staff see it with the answer's excerpt and press 再送, and it arrives.

type Got = { headers: IncomingHttpHeaders; body: string; status: number };

let failing = false;
const got: Got[] = [];
const city = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const status = failing ? 500 : 200;
    got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
    res.writeHead(status).end(failing ? '一時停止中です（メンテナンス）' : 'ok');
  });
});
let cityUrl = '';
test.beforeAll(async () => {
  await new Promise<void>((resolve) => city.listen(0, '127.0.0.1', resolve));
  cityUrl = `http://127.0.0.1:${(city.address() as AddressInfo).port}/foryou`;
});
test.afterAll(async () => {
  city.closeAllConnections();
  await new Promise((resolve) => city.close(resolve));
});

async function say(phone: Page, text: string) {
  await phone.getByLabel('メッセージを入力').fill(text);
  await phone.getByLabel('メッセージを入力').press('Enter');
}

const accepted = (text: string) =>
  got.filter((g) => g.status === 200 && g.body.includes(JSON.stringify(text).slice(1, -1)));

test('W-01: a forwarding target added in the console receives a friend message signed with its shown-once secret; a dead letter is resent', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = await signIn(browser, 'admin', { width: 1366, height: 900 });
  await admin.goto('/console/#/forwarding');
  await expect(admin.getByRole('heading', { level: 1, name: 'Webhook 転送' })).toBeVisible();
  await expectNoAxeViolations(admin, 'forwarding list');

  // Add the target: the form checks the fields, then the server refuses a private address.
  await admin.getByRole('button', { name: '転送先を追加' }).click();
  const dialog = admin.getByRole('dialog', { name: '転送先を追加' });
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByLabel('名前')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('名前').fill('お知らせサービス For You');
  await dialog.getByLabel('転送先 URL').fill('http://10.0.0.8/foryou');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByRole('alert').first()).toContainText('内部向けのアドレス');
  await dialog.getByLabel('選んだ種類だけ').check();
  await expectNoAxeViolations(admin, 'forwarding target form');
  await shot(admin, 'console-forwarding-form.png');
  await dialog.getByLabel('転送先 URL').fill(cityUrl);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  const secret = (await admin
    .locator('code')
    .filter({ hasText: /^[A-Za-z0-9_-]{40,}$/ })
    .textContent())!.trim();
  expect(secret.length).toBeGreaterThan(40);

  // A friend writes something no scenario answers: forwarded, signed with the shown secret.
  const text = `給付金のお知らせはありますか ${Date.now().toString(36)}`;
  const { phone } = await newPhone(browser, `転送 花子 ${Date.now().toString(36)}`);
  await say(phone, text);
  await expect.poll(() => accepted(text).length, { timeout: 20_000 }).toBe(1);
  const first = accepted(text)[0]!;
  expect(first.headers['x-line-signature']).toBe(
    createHmac('sha256', secret).update(first.body).digest('base64'),
  );
  expect(
    (JSON.parse(first.body) as { events: { message: { text: string } }[] }).events[0]!.message.text,
  ).toBe(text);

  // The target fails until the retry window is over: a dead letter, shown with the answer; 再送.
  failing = true;
  const later = `二通目 ${Date.now().toString(36)}`;
  await say(phone, later);
  await admin.reload();
  const row = admin.getByRole('row', { name: /お知らせサービス For You/ });
  await expect
    .poll(
      async () => {
        await admin.reload();
        return (await admin.getByTestId('forwarding-figures-お知らせサービス For You').textContent()) ?? '';
      },
      { timeout: 30_000 },
    )
    .toContain('停止 1');
  await shot(admin, 'console-forwarding.png');
  failing = false;
  await row.getByRole('button', { name: 'お知らせサービス For You の失敗・停止した転送' }).click();
  const failures = admin.getByRole('dialog', { name: 'お知らせサービス For You の失敗・停止した転送' });
  await expect(failures.getByText('停止（届けられず）')).toBeVisible();
  await expect(failures.getByText('一時停止中です（メンテナンス）')).toBeVisible();
  await expectNoAxeViolations(admin, 'forwarding failures');
  await shot(admin, 'console-forwarding-failures.png');
  await failures.getByRole('button', { name: /^イベント .* を再送$/ }).click();
  await expect(failures.getByText('1 件を再送の列に戻しました。')).toBeVisible();
  await expect.poll(() => accepted(later).length, { timeout: 20_000 }).toBe(1);
});
