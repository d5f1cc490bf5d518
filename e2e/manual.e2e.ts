import { expect, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// The staff manual inside the console (O-01, issue 16): from a screen's 「この画面の説明」 to its
// chapter and section, the search over every chapter, a result opened at its section, and the
// screenshots loading under the console's CSP. axe (WCAG 2.1 A/AA) on the chapter and the search.

test('O-01: 「この画面の説明」 opens the screen’s section; the manual is searchable and its pictures load', async ({
  browser,
}) => {
  const admin = await signIn(browser, 'admin', { width: 1280, height: 800 });

  // The audit log's header links to 「6. 操作ログを見る」 of the basics.
  await admin.goto(`${BASE}/console/#/audit`);
  await expect(admin.getByRole('heading', { level: 1, name: '操作ログ' })).toBeVisible();
  await admin.getByRole('link', { name: 'この画面の説明' }).click();
  await expect(admin).toHaveURL(/#\/manual\/basics\/6-/);
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(
    'Madoguchi 職員向け操作マニュアル（基本編）',
  );
  const section = admin.getByRole('heading', { level: 2, name: '6. 操作ログを見る' });
  await expect(section).toBeFocused();
  await expect(section).toBeInViewport();
  // The section's screenshot is served by the server and loads (CSP: img-src 'self').
  const picture = admin.getByRole('img', { name: '操作ログ', exact: true });
  await picture.scrollIntoViewIfNeeded();
  await expect(picture).toHaveAttribute('src', '/api/manual/images/console-audit.png');
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  // The chapter's own headings, the same anchors as on GitHub.
  const toc = admin.getByRole('navigation', { name: 'この章の見出し' });
  await expect(toc.getByRole('link', { name: '1. ログインする' })).toHaveAttribute(
    'href',
    `#/manual/basics/${encodeURIComponent('1-ログインする')}`,
  );
  await expectNoAxeViolations(admin, 'manual chapter');
  await shot(admin, 'console-manual-chapter.png');

  // A link between chapters opens the other chapter.
  await admin.getByRole('link', { name: 'メッセージ配信（受信設定・セグメント・配信・分析）' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(/^メッセージ配信 操作マニュアル/);

  // The contents and the search (from the navigation, with the keyboard).
  await admin
    .getByRole('navigation', { name: 'メインメニュー' })
    .getByRole('link', { name: '操作マニュアル' })
    .click();
  await expect(admin.getByRole('heading', { level: 1, name: '操作マニュアル' })).toBeVisible();
  const contents = admin.getByRole('region', { name: '目次' });
  await expect(contents.getByRole('link').first()).toHaveText('Madoguchi 職員向け操作マニュアル（基本編）');
  await expect(contents.getByRole('link', { name: /^予約 操作マニュアル/ })).toBeVisible();
  const box = admin.getByRole('searchbox', { name: 'マニュアルをさがす' });
  await box.fill('キャンセル待ち');
  await box.press('Enter');
  await expect(admin).toHaveURL(/#\/manual\?q=/);
  const results = admin.getByRole('list', { name: '検索結果' });
  const hit = results.getByRole('link', { name: /予約 操作マニュアル.* — 満席のとき・キャンセル待ち/ });
  await expect(hit).toBeVisible();
  await expect(admin.getByRole('status').filter({ hasText: '「キャンセル待ち」は' })).toContainText(
    'か所にあります',
  );
  await expectNoAxeViolations(admin, 'manual search');
  await admin.evaluate(() => window.scrollTo(0, 0));
  await shot(admin, 'console-manual-search.png');

  // Nothing found says so.
  await box.fill('存在しない言葉ですよ');
  await admin.getByRole('button', { name: '検索', exact: true }).click();
  await expect(admin.getByText('「存在しない言葉ですよ」は見つかりませんでした。')).toBeVisible();
  await admin.goBack();
  await expect(hit).toBeVisible();

  // The result opens the chapter at its section.
  await hit.click();
  await expect(admin).toHaveURL(/#\/manual\/reservations\//);
  const wait = admin.getByRole('heading', { level: 3, name: '満席のとき・キャンセル待ち' });
  await expect(wait).toBeFocused();
  await expect(wait).toBeInViewport();
  await expect(admin.getByTestId('manual-article')).toContainText('キャンセル待ちに登録する');

  // A counselor, whose role has none of these screens, reads the manual too.
  const counselor = await signIn(browser, 'counselor1', { width: 1280, height: 800 });
  await counselor.goto(`${BASE}/console/#/consultations`);
  await counselor.getByRole('link', { name: 'この画面の説明' }).click();
  await expect(
    counselor.getByRole('heading', { level: 2, name: '2. 相談に対応する（相談員）' }),
  ).toBeInViewport();
  await counselor.context().close();
  await admin.context().close();
});
