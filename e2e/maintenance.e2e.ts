import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, signIn } from './console.ts';
import { ADMIN_PASSWORD } from './playwright.config.ts';

// Maintenance mode (O-04, C-15), end to end: the operator switches it on with the CLI against the
// running product's database; the console's sign-in page shows the message (ja and en) and signing
// in is refused; the citizen pages show the notice; off again, staff sign in. A window scheduled
// for tomorrow is announced on the citizen pages and cancelled from the console's メンテナンス
// screen. Everything is switched off and cancelled at the end (the other journeys run after).

const ROOT = path.resolve(import.meta.dirname, '..');

/** `madoguchi …` against the product `madoguchi dev` runs: its embedded PostgreSQL and its key. */
function madoguchi(...args: string[]) {
  const dataDir = process.env.E2E_DATA_DIR!;
  // The embedded PostgreSQL's port is line 4 of its postmaster.pid.
  const port = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')
    .split('\n')[3]!
    .trim();
  const { encryptionKey } = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'apps/server/bin/madoguchi.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: `postgres://postgres:madoguchi@127.0.0.1:${port}/madoguchi`,
      ENCRYPTION_KEY: encryptionKey,
      PUBLIC_URL: BASE,
      LOG_LEVEL: 'error',
    },
  });
  expect(r.status, `madoguchi ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

test.afterAll(() => {
  // Leave no maintenance behind, whatever failed.
  madoguchi('maintenance', 'off');
  const items = JSON.parse(madoguchi('maintenance', 'list', '--json')) as { id: string; state: string }[];
  for (const w of items.filter((x) => x.state === 'upcoming')) madoguchi('maintenance', 'cancel', w.id);
});

test('O-04: switched on by the CLI, the console sign-in shows the message and refuses, citizen pages show the notice; off again', async ({
  browser,
}) => {
  madoguchi(
    'maintenance',
    'on',
    '--message',
    'システム更新のため停止しています',
    '--message-en',
    'Stopped for a system update',
  );

  const context = await browser.newContext({ locale: 'ja-JP' });
  const console_ = await context.newPage();
  await console_.goto(`${BASE}/console/`);
  const notice = console_.getByRole('status').filter({ hasText: 'メンテナンス中です' });
  await expect(notice).toContainText('システム更新のため停止しています');
  await expect(notice).toContainText('メンテナンスが終わるまでログインできません。');
  await console_.getByLabel('ログインID').fill('admin');
  await console_.getByLabel('パスワード', { exact: true }).fill(ADMIN_PASSWORD);
  await console_.getByRole('button', { name: 'ログイン' }).click();
  await expect(console_.getByRole('alert').filter({ hasText: 'ログインできませんでした' })).toContainText(
    'システム更新のため停止しています',
  );
  await expect(console_.getByTestId('account-name')).toHaveCount(0);
  await expectNoAxeViolations(console_, 'console sign-in during maintenance');
  // English: the message the operator gave in English
  await console_.getByRole('button', { name: /English/ }).click();
  await expect(console_.getByRole('status').filter({ hasText: 'Under maintenance' })).toContainText(
    'Stopped for a system update',
  );

  const citizen = await context.newPage();
  await citizen.goto(`${BASE}/citizen/shelters`);
  const banner = citizen.getByRole('alert').filter({ hasText: 'ただいまメンテナンス中です' });
  await expect(banner).toContainText('システム更新のため停止しています');
  await expect(banner).toContainText('メンテナンスのため停止します');
  await expectNoAxeViolations(citizen, 'citizen page during maintenance');

  madoguchi('maintenance', 'off');
  await citizen.reload();
  await expect(citizen.getByRole('heading', { name: /避難所/ }).first()).toBeVisible();
  await expect(citizen.getByText('ただいまメンテナンス中です')).toHaveCount(0);
  await context.close();

  const staff = await signIn(browser);
  await expect(staff.getByTestId('account-name')).toBeVisible();
  await staff.context().close();
});

test('C-15: a window scheduled for tomorrow is announced to citizens and cancelled on the console screen', async ({
  browser,
}) => {
  const from = new Date(Date.now() + 86400_000);
  from.setUTCMinutes(0, 0, 0);
  const to = new Date(from.getTime() + 2 * 3600_000);
  madoguchi(
    'maintenance',
    'schedule',
    '--from',
    from.toISOString(),
    '--to',
    to.toISOString(),
    '--message',
    '定期点検',
  );
  const tokyo = new Date(from.getTime() + 9 * 3600_000);
  const day = `${tokyo.getUTCMonth() + 1}月${tokyo.getUTCDate()}日 ${tokyo.getUTCHours()}時から`;

  const context = await browser.newContext({ locale: 'ja-JP' });
  const citizen = await context.newPage();
  await citizen.goto(`${BASE}/citizen/shelters`);
  const announced = citizen.getByRole('region', { name: 'メンテナンスのお知らせ' });
  await expect(announced).toContainText(day);
  await expect(announced).toContainText('メンテナンスのため停止します');
  await expectNoAxeViolations(citizen, 'citizen page with a maintenance notice');
  await context.close();

  const staff = await signIn(browser);
  await staff.goto(`${BASE}/console/#/maintenance`);
  await expect(staff.getByRole('heading', { name: 'メンテナンス', level: 1 })).toBeVisible();
  const row = staff.getByRole('row').filter({ hasText: '定期点検' });
  await expect(row).toContainText('予定');
  await expectNoAxeViolations(staff, 'console maintenance screen');
  await row.getByRole('button', { name: /取り消す/ }).click();
  await staff.getByRole('dialog').getByRole('button', { name: '取り消す' }).click();
  await expect(staff.getByText('メンテナンスの予定を取り消しました。')).toBeVisible();
  await expect(row).toContainText('取消');
  await staff.context().close();
});
