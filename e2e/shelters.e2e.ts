import { expect, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// Shelters on a phone: the staff status page changes a demo shelter's status with one
// tap (targets at least 44 px), and the citizen page finds it from the phone's location, with the
// time of the change. Both pages pass axe. The demo seeds five shelters in 千葉市中央区, two open.

const PHONE = { width: 390, height: 844 };
const SHELTER = '千葉中央公園(デモ)';

test('X-05 / X-03: one tap on a phone opens a shelter; the citizen page finds it near the phone’s location', async ({
  browser,
}) => {
  // The demo seed may still be running when the server answers: wait for its shelters.
  await expect
    .poll(
      async () => {
        const r = await fetch(`${BASE}/api/citizen/shelters/nearby?lat=35.61&lon=140.12&status=all`);
        return r.ok ? ((await r.json()) as { items: { name: string }[] }).items.map((i) => i.name) : [];
      },
      { timeout: 60_000 },
    )
    .toContain(SHELTER);
  const staff = await signIn(browser, 'admin', PHONE);
  await staff.goto(`${BASE}/console/#/shelters`);
  await expect(staff.getByRole('heading', { name: '避難所の開設状況', level: 1 })).toBeVisible();
  const card = staff.getByRole('listitem').filter({ has: staff.getByRole('heading', { name: SHELTER }) });
  const open = card.getByRole('button', { name: `${SHELTER}を「開設」にする` });
  await expect(open).toBeVisible();
  for (const button of await card.getByRole('button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.width).toBeGreaterThanOrEqual(44);
  }
  await expectNoAxeViolations(staff, 'shelters status (phone)');
  await open.click();
  await expect(staff.getByRole('alert').or(staff.getByRole('status')).first()).toContainText(
    `${SHELTER}を「開設」にしました`,
  );
  await expect(card).toContainText('現在: 開設');
  await expect(open).toHaveAttribute('aria-pressed', 'true');
  await shot(staff, 'console-shelters-phone.png');

  // A citizen's phone near 千葉中央 (geolocation granted).
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    geolocation: { latitude: 35.6108, longitude: 140.1175 },
    permissions: ['geolocation'],
  });
  const citizen = await context.newPage();
  await citizen.goto(`${BASE}/citizen/shelters`);
  await expect(citizen.getByRole('heading', { name: '近くの避難所をさがす', level: 1 })).toBeVisible();
  await expectNoAxeViolations(citizen, 'citizen shelter search');
  await citizen.getByRole('button', { name: '現在地から探す' }).click();
  const results = citizen.getByRole('region', { name: '近い順の避難所' });
  await expect(results.getByRole('listitem').first()).toContainText(SHELTER);
  await expect(results.getByRole('listitem').first()).toContainText('状況: 開設');
  await expect(results.getByRole('listitem').first()).toContainText('更新）');
  await shot(citizen, 'citizen-shelters.png', true);
  await expect(
    results.getByRole('link', { name: `${SHELTER}の場所を地図で見る（Google マップ、新しいタブ）` }),
  ).toHaveAttribute('href', /^https:\/\/www\.google\.com\/maps\/search\/\?api=1&query=35\.6105/);
  await expectNoAxeViolations(citizen, 'citizen shelter results');

  // A point typed in, and a hazard filter: 津波 leaves out the sites not designated for it.
  await citizen.locator('summary', { hasText: '地点を入力して探す' }).click();
  await citizen.getByLabel('緯度（例: 35.6073）').fill('35.6040');
  await citizen.getByLabel('経度（例: 140.1063）').fill('140.1290');
  await citizen.getByRole('button', { name: 'この地点で探す' }).click();
  await citizen.getByRole('checkbox', { name: '開設している避難所だけを表示する' }).uncheck();
  await expect(results.getByRole('listitem').first()).toContainText('亥鼻公園(デモ)');
  await citizen.getByRole('checkbox', { name: '津波' }).check();
  await expect(results).not.toContainText(SHELTER);
  await context.close();

  // Back to 未開設, so the demo stays as seeded.
  await card.getByRole('button', { name: `${SHELTER}を「未開設」にする` }).click();
  await expect(card).toContainText('現在: 未開設');
  await staff.context().close();
});

test('X-04: the CSV import screen lists every bad row of a dry run, and imports a good file', async ({
  browser,
}) => {
  const staff = await signIn(browser, 'admin');
  await staff.goto(`${BASE}/console/#/shelter-import`);
  await expect(staff.getByRole('heading', { name: '避難所の一括登録（CSV）', level: 1 })).toBeVisible();
  const testdata = new URL('../apps/server/src/modules/shelters/testdata/', import.meta.url).pathname;
  await staff.getByLabel('CSV ファイル').setInputFiles(`${testdata}broken-rows.csv`);
  await staff.getByRole('button', { name: '確認する（登録しない）' }).click();
  const table = staff.getByRole('table', { name: '問題のある行（7 件）' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText('名称が空です');
  await expect(table.getByRole('row').nth(1)).toContainText('NAME_MISSING');
  await expect(staff.getByRole('button', { name: 'この内容で登録する' })).toBeDisabled();
  await shot(staff, 'console-shelter-import.png', true);
  await expectNoAxeViolations(staff, 'shelter import dry run');

  await staff.getByLabel('CSV ファイル').setInputFiles(`${testdata}gsi-emergency-style.csv`);
  await staff.getByRole('button', { name: '確認する（登録しない）' }).click();
  await expect(staff.getByText('問題のある行はありません。')).toBeVisible();
  await staff.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(staff.getByRole('heading', { name: '登録しました。' })).toBeVisible();
  await expect(staff.getByRole('heading', { name: '新規' }).locator('..')).toContainText('3');
  await staff.context().close();
});
