import { expect, type Page, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// The console's admin screens as a city's staff see them (issue 9, S-09 / G-08 / G-10 / O-08):
// the navigation grouped under 配信 / チャットボット / 相談 / 友だち / 防災 / 設定 / 管理 with only the items a role may use,
// the audit log in Japanese words with a filter by choice, analytics opening on the last 30 days,
// and the delivery confirmation naming the channel and 本番. axe (WCAG 2.1 A/AA) on each screen.

const DAY = 86_400_000;
/** A Tokyo date as YYYY/MM/DD. */
const jstDay = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '/');

const navHeadings = (page: Page) =>
  page
    .getByRole('navigation', { name: 'メインメニュー' })
    .getByRole('heading', { level: 2 })
    .allTextContents();

test('issue 9: grouped navigation, the audit log in Japanese with a filter, analytics on 30 days, the delivery confirmation', async ({
  browser,
}) => {
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });

  // G-08 navigation: seven groups, in order, each holding its items.
  const nav = admin.getByRole('navigation', { name: 'メインメニュー' });
  await expect(nav.getByRole('heading', { level: 2 })).toHaveCount(7);
  expect(await navHeadings(admin)).toEqual([
    '配信',
    'チャットボット',
    '相談',
    '友だち',
    '防災',
    '設定',
    '管理',
  ]);
  await expect(nav.getByRole('list', { name: '配信' }).getByRole('link')).toHaveText([
    'メッセージ配信',
    'セグメント',
    'リッチメニュー',
    '配信分析',
  ]);
  await expect(nav.getByRole('list', { name: 'チャットボット' }).getByRole('link')).toHaveText([
    'シナリオ',
    'FAQ',
    '未回答の質問',
    '引き継ぎ',
  ]);
  await expect(nav.getByRole('list', { name: '防災' }).getByRole('link')).toHaveText([
    '災害モード',
    '防災メール連携',
    '避難所の開設状況',
    '避難所の一括登録',
  ]);
  await expect(nav.getByRole('list', { name: '管理' }).getByRole('link')).toHaveText([
    'アカウント',
    'ロールと権限',
    'IP アクセス制限',
    '操作ログ',
    'メンテナンス',
    '変更履歴',
    '障害報告',
  ]);

  // S-09 the audit log: operations and results in words, no codes; a filter by choice.
  await nav.getByRole('link', { name: '操作ログ' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: '操作ログ' })).toBeVisible();
  const rows = admin.locator('main table tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(admin.locator('main table')).toContainText('ログイン');
  await expect(admin.locator('main table')).toContainText('成功');
  await expect(admin.locator('main table')).not.toContainText('session.login');
  await expect(admin.locator('main table')).not.toContainText('access.read');
  await expectNoAxeViolations(admin, 'audit');

  const filters = admin.getByRole('form', { name: '絞り込み条件' });
  await filters.getByLabel('操作', { exact: true }).selectOption({ label: 'ログイン' });
  await filters.getByLabel('結果', { exact: true }).selectOption({ label: '成功' });
  await filters.getByRole('button', { name: '絞り込む' }).click();
  await expect(rows.first()).toContainText('ログイン');
  const filtered = await rows.allTextContents();
  expect(filtered.length).toBeGreaterThan(0);
  for (const row of filtered) {
    expect(row).toContain('ログイン');
    expect(row).toContain('成功');
    expect(row).not.toContain('ログアウト');
  }
  // The CSV link follows the filter.
  await expect(admin.getByRole('link', { name: 'CSV ダウンロード' })).toHaveAttribute(
    'href',
    /action=session\.login.*result=success|result=success.*action=session\.login/,
  );

  // O-08/G-10 analytics open on the last 30 days (today included).
  await nav.getByRole('link', { name: '配信分析' }).click();
  const now = Date.now();
  await expect(admin.getByText(`${jstDay(now - 29 * DAY)}〜${jstDay(now)}`)).toBeVisible();
  await expectNoAxeViolations(admin, 'analytics');
  await admin.getByRole('link', { name: '友だち数の推移' }).click();
  await expect(admin.getByText(`${jstDay(now - 29 * DAY)}〜${jstDay(now)}`)).toBeVisible();

  // The delivery confirmation names the channel and that it is the production one.
  const channels = (await (await admin.request.get(`${BASE}/api/channels`)).json()) as {
    name: string;
    environment: string;
  }[];
  const production = channels.find((c) => c.environment === 'production');
  expect(production).toBeTruthy();
  await admin.goto(`${BASE}/console/#/deliveries/new`);
  await admin.getByLabel('管理用タイトル').fill('E2E 確認画面の表示');
  await admin.getByLabel('本文（メッセージ 1）').fill('確認画面の表示を確かめます。');
  await admin.getByRole('group', { name: '配信のタイミング' }).getByLabel('今すぐ配信').check();
  await admin.getByRole('button', { name: '配信する' }).click();
  const confirm = admin.getByRole('dialog', { name: '配信の確認' });
  await expect(confirm.getByTestId('confirm-channel')).toHaveText(`配信元: ${production!.name}（本番）`);
  await expectNoAxeViolations(admin, 'delivery confirmation');
  await confirm.getByRole('button', { name: 'キャンセル' }).click();
  await expect(confirm).toBeHidden();
  await expectNoAxeViolations(admin, 'delivery composer');

  // Only the items a role may use: a counselor sees 相談 and 設定, no 配信 or 管理.
  const counselor = await signIn(browser, 'counselor1', { width: 1366, height: 768 });
  await expect(
    counselor.getByRole('navigation', { name: 'メインメニュー' }).getByRole('heading', { level: 2 }).first(),
  ).toBeVisible();
  expect(await navHeadings(counselor)).toEqual(['相談', '設定']);
  await expect(counselor.getByRole('link', { name: '操作ログ' })).toHaveCount(0);
});
