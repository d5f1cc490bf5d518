import { expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations, shot } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { ADMIN_PASSWORD, SIMULATOR_PORT } from './playwright.config.ts';

test.afterAll(expectNoCspViolations);
// The staff manual's pictures of these screens are 1280×800 (shot).
test.use({ viewport: { width: 1280, height: 800 } });

// The walking skeleton end to end (D-03, D-07, O-02, S-08): a staff member logs in to the console;
// on the virtual phone a new user follows the city's account; the console's friend count goes up;
// the citizen page opened from the phone's rich menu shows the signed-in LINE user.

const PHONE = `http://localhost:${SIMULATOR_PORT}/phone/?channel=2000000001`;

async function friendCount(page: Page): Promise<number> {
  const value = await page.getByTestId('friend-count').getAttribute('data-value');
  return Number(value);
}

test('D-03 D-07 O-02: a follow on the virtual phone reaches the console, and the citizen page knows the user', async ({
  page,
  context,
}) => {
  // Console login (S-08).
  await page.goto('/console/');
  await expect(page.getByRole('button', { name: 'ログイン' })).toBeVisible();
  await shot(page, 'console-login.png');
  await page.getByLabel('ログインID').fill('admin');
  await page.getByLabel('パスワード', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByTestId('friend-count')).toBeVisible();

  // The demo seeds 50 virtual friends, 5 of whom block again: wait until they are all in.
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByTestId('friend-count').waitFor();
        return friendCount(page);
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBeGreaterThanOrEqual(45);
  const before = await friendCount(page);
  await shot(page, 'console-dashboard.png');

  // A new virtual user follows the account on the virtual phone.
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 900, height: 860 });
  await phone.goto(PHONE);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  const dialog = phone.getByRole('dialog', { name: '新しいユーザー' });
  await dialog.getByLabel('表示名').fill('E2E 花子');
  await dialog.getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');

  // The console's friend count goes up by one.
  await expect
    .poll(
      async () => {
        await page.reload();
        await page.getByTestId('friend-count').waitFor();
        return friendCount(page);
      },
      { timeout: 30_000, intervals: [500] },
    )
    .toBe(before + 1);

  // The rich menu's マイページ opens the citizen page (LIFF) signed in as that user.
  const menu = phone.getByRole('group', { name: 'リッチメニュー' });
  await expect(menu).toBeVisible();
  // The picture without the 「作成しました」 notice over the talk (it goes by itself after 4 s).
  await expect(phone.getByRole('status').filter({ hasText: '作成しました' })).toHaveCount(0);
  await shot(phone, 'virtual-phone.png');
  const [citizen] = await Promise.all([
    phone.waitForEvent('popup'),
    menu.getByRole('button', { name: 'マイページ' }).click(),
  ]);
  await expect(citizen.getByTestId('citizen-user-name')).toHaveText(/E2E 花子/, { timeout: 20_000 });

  // Citizen pages meet WCAG 2.1 AA (D-09).
  await expectNoAxeViolations(citizen);
});

test('S-08: a wrong password is refused in Japanese and no session starts', async ({ page }) => {
  await page.goto('/console/');
  await page.getByLabel('ログインID').fill('admin');
  await page.getByLabel('パスワード', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('alert')).toContainText('ログインIDまたはパスワードが違います');
  const session = await page.request.get('/api/session');
  expect(session.status()).toBe(401);
});
