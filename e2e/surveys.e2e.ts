import { type Browser, expect, test } from '@playwright/test';
import sharp from 'sharp';
import { apiOf, BASE, expectNoAxeViolations, MANUAL_SHOTS, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Surveys (issue 13, Q-01 … Q-04): staff design a survey with every item type and open it; two
// friends answer it from their virtual phones through the LIFF link (one with invalid values first,
// corrected field by field); staff see both answers in the results and in the CSV. A survey with a
// file question is answered with a PNG, which staff download from the results.

interface FormItem {
  key: string;
  choices: { id: string; label: string }[];
}
interface Survey {
  id: string;
  link: string;
  form: { id: string; items: FormItem[] };
}

/** Opens the survey's LIFF link for the friend (as tapping it in LINE does) on a phone-sized page. */
async function openSurvey(browser: Browser, userId: string, link: string, title = '市民満足度調査') {
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  const page = await context.newPage();
  const opened = await page.request.post(`${SIM}/_sim/liff/open`, { data: { userId, url: link } });
  expect(opened.ok()).toBe(true);
  await page.goto(((await opened.json()) as { url: string }).url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title, { timeout: 20_000 });
  return page;
}

test('Q-01 … Q-04: a survey with every item type answered from two phones (invalid values first), results and CSV', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as { id: string; lineChannelId: string }[];
  const channel = channels.find((c) => c.lineChannelId === '2000000001')!;
  let survey = (await api.post('/api/surveys', {
    channelId: channel.id,
    title: '市民満足度調査',
    description: '所要時間は約3分です。',
  })) as Survey;
  const add = async (body: Record<string, unknown>) =>
    (await api.post(`/api/forms/${survey.form.id}/items`, body)) as Survey['form'];
  await add({ type: 'description', label: 'ご協力をお願いします' });
  await add({
    key: 'kana',
    type: 'text',
    label: 'お名前（カナ）',
    required: true,
    config: { charset: 'katakana' },
  });
  await add({
    key: 'age',
    type: 'number',
    label: '年齢',
    required: true,
    config: { minValue: 0, maxValue: 120, integer: true },
  });
  await add({ key: 'visit', type: 'date', label: '来庁日' });
  await add({ key: 'zip', type: 'postal_code', label: '郵便番号' });
  await add({ key: 'addr', type: 'address', label: '住所' });
  await add({ key: 'tel', type: 'phone', label: '電話番号' });
  await add({ key: 'mail', type: 'email', label: 'メールアドレス' });
  const form = await add({
    key: 'used',
    type: 'single',
    label: '窓口を利用しましたか',
    required: true,
    choices: [{ label: 'はい' }, { label: 'いいえ' }],
  });
  const yes = form.items.find((i) => i.key === 'used')!.choices.find((c) => c.label === 'はい')!.id;
  await add({
    key: 'topics',
    type: 'multiple',
    label: '関心のある分野',
    config: { maxSelections: 2 },
    choices: [{ label: '子育て' }, { label: '防災' }, { label: '福祉' }],
  });
  await add({
    key: 'ward',
    type: 'select',
    label: 'お住まいの区',
    choices: [{ label: '中央区' }, { label: '北区' }],
  });
  await add({
    key: 'why',
    type: 'textarea',
    label: '利用した理由',
    required: true,
    config: { showIf: { item: 'used', choices: [yes] } },
  });
  await add({ key: 'memo', type: 'text', label: '担当メモ', config: { staffOnly: true } });
  survey = (await api.post(`/api/surveys/${survey.id}/open`, {})) as Survey;
  expect(survey.link).toMatch(/^https:\/\/liff\.line\.me\/.+\?page=survey&id=/);

  if (MANUAL_SHOTS) {
    // Staff manual screenshots only: the list, the create dialog.
    await admin.goto(`${BASE}/console/#/surveys`);
    await admin.getByRole('link', { name: '市民満足度調査' }).first().waitFor();
    await shot(admin, 'console-survey-list.png');
    await admin.getByRole('button', { name: '新しく作成' }).click();
    await admin.getByRole('dialog').waitFor();
    await shot(admin, 'console-survey-create.png');
    await admin.getByRole('button', { name: 'キャンセル' }).click();
  }

  // The editor shows the survey and its items (staff manual screenshot).
  await admin.goto(`${BASE}/console/#/surveys/${survey.id}`);
  await expect(admin.getByText('市民満足度調査').first()).toBeVisible();
  await shot(admin, 'console-survey-editor.png', true);
  if (MANUAL_SHOTS) {
    // Staff manual screenshots only: an item's settings (length, characters, staff-only, condition).
    await admin.getByRole('button', { name: '「利用した理由」を編集' }).click();
    await admin.setViewportSize({ width: 1366, height: 1000 });
    await admin
      .getByRole('listitem')
      .filter({ has: admin.getByRole('button', { name: '編集を閉じる' }) })
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(admin, 'console-survey-item.png');
    await admin.setViewportSize({ width: 1366, height: 768 });
  }

  // Phone 1: invalid values first.
  const first = await newPhone(browser, `回答 一郎 ${Date.now().toString(36)}`);
  const page = await openSurvey(browser, first.userId, survey.link);
  await shot(page, 'citizen-survey.png');
  await expect(page.getByText('ご協力をお願いします')).toBeVisible();
  await expect(page.getByLabel('担当メモ')).toHaveCount(0);
  // The condition: 利用した理由 only once はい is chosen.
  await expect(page.getByLabel('利用した理由')).toHaveCount(0);
  await page.getByLabel('お名前（カナ）').fill('いちろう');
  await page.getByLabel('年齢').fill('12.5');
  await page.getByLabel('メールアドレス').fill('ichiro@');
  await page
    .getByRole('group', { name: /窓口を利用しましたか/ })
    .getByLabel('はい')
    .check();
  await expect(page.getByLabel('利用した理由')).toBeVisible();
  await page.getByRole('button', { name: '回答を送信する' }).click();
  await expect(page.getByText(/入力内容を確認してください（\d+ 件）/).first()).toBeVisible();
  await expect(page.getByLabel('お名前（カナ）')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('メールアドレス')).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await shot(page, 'citizen-survey-errors.png', true);

  // Corrected; the postal code fills the address.
  await page.getByLabel('お名前（カナ）').fill('イチロウ');
  await page.getByLabel('年齢').fill('42');
  await page.getByLabel('メールアドレス').fill('ichiro@example.jp');
  await page.getByLabel('郵便番号').fill('2720021');
  await expect(page.getByLabel('住所')).toHaveValue(/千葉県市川市八幡/);
  await page.getByLabel('電話番号').fill('047-334-1111');
  await page
    .getByRole('group', { name: /関心のある分野/ })
    .getByLabel('防災')
    .check();
  await page.getByLabel('利用した理由').fill('住民票の写しを取りに');
  await page.getByRole('button', { name: '回答を送信する' }).click();
  await expect(page.getByRole('heading', { name: '回答を受け付けました' })).toBeVisible();
  await expectNoAxeViolations(page);
  await shot(page, 'citizen-survey-thanks.png');

  // Phone 2: right the first time, いいえ (the condition's item stays hidden and is not required).
  const second = await newPhone(browser, `回答 花子 ${Date.now().toString(36)}`);
  const other = await openSurvey(browser, second.userId, survey.link);
  await other.getByLabel('お名前（カナ）').fill('ハナコ');
  await other.getByLabel('年齢').fill('30');
  await other
    .getByRole('group', { name: /窓口を利用しましたか/ })
    .getByLabel('いいえ')
    .check();
  await other.getByRole('button', { name: '回答を送信する' }).click();
  await expect(other.getByRole('heading', { name: '回答を受け付けました' })).toBeVisible();

  // Staff: the results page and the CSV hold both answers.
  await admin.goto(`${BASE}/console/#/surveys/${survey.id}/results`);
  await expect(admin.getByText('住民票の写しを取りに').first()).toBeVisible({ timeout: 15_000 });
  await shot(admin, 'console-survey-results.png', true);
  if (MANUAL_SHOTS) {
    // Staff manual screenshot only: one answer set to 対応中 with a staff-only note, and its history.
    const card = admin
      .getByRole('list', { name: '回答' })
      .getByRole('listitem')
      .filter({ hasText: '住民票の写しを取りに' });
    await card.getByLabel('対応状況').selectOption({ label: '対応中' });
    await card.getByText('対応状況を「対応中」にしました。').waitFor();
    await card.getByLabel('担当メモ').fill('窓口で案内済み');
    await card.getByRole('button', { name: '管理項目を保存' }).click();
    await card.getByText('管理項目を保存しました。').waitFor();
    await card.getByRole('button', { name: '変更履歴' }).click();
    await card.getByRole('list', { name: '変更履歴' }).waitFor();
    await admin.setViewportSize({ width: 1366, height: 1150 });
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(admin, 'console-survey-response.png');
    await admin.setViewportSize({ width: 1366, height: 768 });
  }
  const results = (await api.get(`/api/surveys/${survey.id}/results`)) as { total: number };
  expect(results.total).toBe(2);
  const csv = await admin.request.get(`${BASE}/api/surveys/${survey.id}/responses.csv`);
  expect(csv.status()).toBe(200);
  const text = (await csv.body()).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  expect(text).toContain('イチロウ');
  expect(text).toContain('ハナコ');
  expect(text).toContain('2720021');
});

test('Q-01: a file question answered with a PNG from a phone (required first, 削除 works); staff download it from the results', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as { id: string; lineChannelId: string }[];
  const channel = channels.find((c) => c.lineChannelId === '2000000001')!;
  const title = `道路の写真 ${Date.now().toString(36)}`;
  let survey = (await api.post('/api/surveys', { channelId: channel.id, title })) as Survey;
  await api.post(`/api/forms/${survey.form.id}/items`, {
    key: 'photo',
    type: 'file',
    label: '現場の写真',
    required: true,
    config: { maxFiles: 2, accept: 'image' },
  });
  survey = (await api.post(`/api/surveys/${survey.id}/open`, {})) as Survey;

  // The designer shows the file item's settings.
  await admin.goto(`${BASE}/console/#/surveys/${survey.id}`);
  await admin.getByRole('button', { name: '「現場の写真」を編集' }).click();
  await expect(admin.getByLabel('ファイルの数の上限')).toHaveValue('2');
  await expect(admin.getByLabel('受け付けるファイル')).toHaveValue('image');

  const phone = await newPhone(browser, `写真 一郎 ${Date.now().toString(36)}`);
  const page = await openSurvey(browser, phone.userId, survey.link, title);
  const input = page.getByLabel('現場の写真');
  await expect(input).toHaveAttribute('type', 'file');
  await expect(
    page.getByText('写真・画像（JPEG・PNG・WebP）を2個まで選べます（1つ 10 MB まで）。'),
  ).toBeVisible();
  // Required: sending without a file names it.
  await page.getByRole('button', { name: '回答を送信する' }).click();
  await expect(page.getByText('「現場の写真」に答えてください').first()).toBeVisible();
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);

  const png = (color: string) =>
    sharp({ create: { width: 320, height: 200, channels: 3, background: color } })
      .png()
      .toBuffer();
  await input.setInputFiles({ name: 'road.png', mimeType: 'image/png', buffer: await png('#cc6633') });
  await expect(page.getByText('「road.png」を追加しました。')).toBeVisible();
  await page
    .getByLabel('現場の写真')
    .setInputFiles({ name: 'extra.png', mimeType: 'image/png', buffer: await png('#3366cc') });
  const remove = page.getByRole('button', { name: '「extra.png」を削除' });
  await expect(remove).toBeVisible();
  expect((await remove.boundingBox())!.height).toBeGreaterThanOrEqual(44);
  await expect(
    page.getByText('選べる数（2個）に達しました。別のファイルにするには、先に削除してください。'),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await remove.click();
  await expect(page.getByText('「extra.png」を削除しました。')).toBeVisible();
  await expect(page.getByRole('list', { name: '選んだファイル' }).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: '回答を送信する' }).click();
  await expect(page.getByRole('heading', { name: '回答を受け付けました' })).toBeVisible();
  await expectNoAxeViolations(page);

  // Staff: the answer shows the file as a download link; it downloads as an attachment.
  await admin.goto(`${BASE}/console/#/surveys/${survey.id}/results`);
  const link = admin.getByRole('link', { name: /road\.png（.+）をダウンロード/ });
  await expect(link).toBeVisible({ timeout: 15_000 });
  const [download] = await Promise.all([admin.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('road.png');
  const saved = await download.path();
  expect((await sharp(saved).metadata()).format).toBe('png');
  const csv = await admin.request.get(`${BASE}/api/surveys/${survey.id}/responses.csv`);
  expect((await csv.body()).toString('utf8')).toContain('road.png');
});
