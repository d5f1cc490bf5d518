import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// 障害報告 (O-03, issue 16): an administrator records a failure from the 管理 menu, resolves it
// with its end time and downloads the reports as CSV; the form refuses a resolved report without an
// end. axe (WCAG 2.1 A/AA) on the screen.

test('O-03: an administrator records an incident, resolves it, and downloads the CSV', async ({
  browser,
}) => {
  const admin = await signIn(browser);
  await admin
    .getByRole('navigation', { name: 'メインメニュー' })
    .getByRole('link', { name: '障害報告' })
    .click();
  await expect(admin.getByRole('heading', { level: 1, name: '障害報告' })).toBeVisible();
  await expectNoAxeViolations(admin, '障害報告');

  const form = admin.getByRole('region', { name: '新しい障害報告' });
  const title = `配信の遅延 ${Date.now()}`;
  await form.getByLabel('件名').fill(title);
  await form.getByLabel('開始日時').fill('2026-12-01T09:00');
  await form.getByLabel('影響（だれに、何が、どのくらい）').fill('防災情報の配信が 20 分遅れた');
  await form.getByLabel('原因').fill('ワーカーの停止');
  await form.getByLabel('対応').fill('ワーカーを再起動');
  await form.getByLabel('再発防止策').fill('ジョブの待ち時間の警報を携帯に送る');
  await form.getByRole('button', { name: '登録する' }).click();
  await expect(admin.getByText('障害報告を登録しました')).toBeVisible();
  const row = admin.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('対応中');
  await expect(row).toContainText('2026/12/01 09:00');

  // Resolved needs its end: the server refuses without one, and says so.
  await row.getByRole('button', { name: `${title} を編集` }).click();
  const editForm = admin.getByRole('region', { name: `障害報告を編集: ${title}` });
  await editForm.getByLabel('状態').selectOption('resolved');
  await editForm.getByRole('button', { name: '保存' }).click();
  await expect(editForm.getByText('解決済みにするには終了日時を入力してください')).toBeVisible();
  await editForm.getByLabel('終了日時').fill('2026-12-01T09:20');
  await editForm.getByRole('button', { name: '保存' }).click();
  await expect(admin.getByText('障害報告を保存しました')).toBeVisible();
  await expect(row).toContainText('解決済み');
  await expect(row).toContainText('2026/12/01 09:20');

  const download = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'CSV で出力' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(file, 'utf8');
  expect(csv).toContain(
    `${title},解決済み,2026-12-01 09:00:00,2026-12-01 09:20:00,防災情報の配信が 20 分遅れた`,
  );
  await admin.context().close();
});
