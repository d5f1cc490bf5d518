import { type Browser, expect, test } from '@playwright/test';
import { apiOf, BASE, expectNoAxeViolations, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

/** Steps that only set up the staff manual's screenshots (see shot in console.ts). */
const MANUAL = process.env.MANUAL_SCREENSHOTS === '1';

// Surveys (issue 13, Q-01 … Q-04): staff design a survey with every item type and open it; two
// friends answer it from their virtual phones through the LIFF link (one with invalid values first,
// corrected field by field); staff see both answers in the results and in the CSV.

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
async function openSurvey(browser: Browser, userId: string, link: string) {
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  const page = await context.newPage();
  const opened = await page.request.post(`${SIM}/_sim/liff/open`, { data: { userId, url: link } });
  expect(opened.ok()).toBe(true);
  await page.goto(((await opened.json()) as { url: string }).url);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('市民満足度調査', { timeout: 20_000 });
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

  if (MANUAL) {
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
  if (MANUAL) {
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
  if (MANUAL) {
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
