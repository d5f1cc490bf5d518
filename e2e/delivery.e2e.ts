import { expect, type Page, test } from '@playwright/test';
import { BASE, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { registerOnPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Attribute registration and segment delivery end to end (G-01 … G-11): staff add a choice to the
// registration form; three virtual phones register different attributes on the LIFF page; staff
// build an AND/OR segment and see its size; compose with a link, preview, schedule; exactly the two
// phones in the segment receive it; a click on the link is counted; analytics and the CSV export show
// the numbers; a test delivery reaches only the test friend.

const CHANNEL = '2000000001';
const jst = (ms = Date.now()) => new Date(ms + 9 * 3600_000).toISOString();

async function inboxTexts(page: Page, userId: string) {
  const r = await page.request.get(`${SIM}/_sim/users/${userId}/inbox?channelId=${CHANNEL}`);
  const body = (await r.json()) as { messages: { via: string; message: { type: string; text?: string } }[] };
  return body.messages.map((m) => `${m.via}:${m.message.text ?? m.message.type}`);
}

test('G-01 G-04 G-06 G-07 G-09 G-10 G-11: register, segment, schedule, deliver to exactly the segment, count a click, export', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const tag = Date.now().toString(36);
  const topic = `E2E講座${tag}`;
  const admin = await signIn(browser, 'admin', { width: 1280, height: 900 });

  // G-11: staff add a choice to 受け取りたい情報 without code.
  await admin.goto(`${BASE}/console/#/registration-form`);
  await expect(admin.getByRole('list', { name: '登録フォームの項目' })).toBeVisible();
  await shot(admin, 'console-registration-form.png');
  await admin.getByRole('button', { name: '「受け取りたい情報」を編集' }).click();
  await admin.getByLabel('選択肢を追加').fill(topic);
  await admin.getByRole('button', { name: '追加', exact: true }).click();
  await expect(admin.getByText(topic).first()).toBeVisible();

  // Three phones register different attributes (G-01, G-02).
  const p1 = await registerOnPhone(
    browser,
    `配信A ${tag}`,
    { year: '1985', gender: '女性', ward: '美浜区', topics: [topic, '防災'] },
    { axe: true, shot: 'citizen-registration.png' },
  );
  const p2 = await registerOnPhone(browser, `配信B ${tag}`, {
    year: '1970',
    gender: '男性',
    ward: '稲毛区',
    topics: [topic],
  });
  const p3 = await registerOnPhone(browser, `配信C ${tag}`, {
    year: '1990',
    gender: '女性',
    ward: '中央区',
    topics: ['防災'],
  });

  // G-04: topic AND (女性 OR 稲毛区) — phones A and B, not C; saved for reuse.
  const segmentName = `E2E 講座の対象 ${tag}`;
  await admin.goto(`${BASE}/console/#/segments/new`);
  await admin.getByLabel('セグメント名').fill(segmentName);
  await admin.getByRole('button', { name: '条件全体 に条件を追加' }).click();
  const c1 = admin.getByRole('group', { name: '条件 1', exact: true });
  await c1.getByLabel('条件の種類').selectOption({ label: '受け取りたい情報（選択肢）' });
  await c1.getByLabel(topic).check();
  await admin.getByRole('button', { name: '条件全体 にグループを追加' }).click();
  const g2 = admin.getByRole('group', { name: 'グループ 2', exact: true });
  await g2.getByLabel('いずれかを満たす（OR）').check();
  const c21 = admin.getByRole('group', { name: '条件 2-1', exact: true });
  await c21.getByLabel('条件の種類').selectOption({ label: '性別（選択肢）' });
  await c21.getByLabel('女性', { exact: true }).check();
  await admin.getByRole('button', { name: 'グループ 2 に条件を追加' }).click();
  const c22 = admin.getByRole('group', { name: '条件 2-2', exact: true });
  await c22.getByLabel('条件の種類').selectOption({ label: '区・町丁（選択肢）' });
  await c22.getByLabel('稲毛区', { exact: true }).check();
  await expect(admin.getByText('対象者 2 人')).toBeVisible();
  await shot(admin, 'console-segment.png', true);
  await admin.getByRole('button', { name: '保存', exact: true }).click();
  await expect(admin.getByRole('table', { name: 'セグメントの一覧' })).toContainText(segmentName);

  // G-05, G-06, G-07: compose with a link, preview, schedule at the next minute (Asia/Tokyo).
  const title = `E2E 講座のお知らせ ${tag}`;
  const link = `https://www.city.chiba.jp/e2e/${tag}`;
  const text = `市民講座のお知らせです。詳しくは ${link} をご覧ください。`;
  await admin.goto(`${BASE}/console/#/deliveries/new`);
  await admin.getByLabel('管理用タイトル').fill(title);
  await admin.getByLabel('本文（メッセージ 1）').fill(text);
  await expect(admin.getByTestId('line-preview')).toContainText('市民講座のお知らせです。');
  await admin.getByRole('group', { name: '配信先' }).getByLabel('保存したセグメント').check();
  await admin.getByLabel('セグメント', { exact: true }).selectOption({ label: segmentName });
  await expect(admin.getByTestId('audience-count')).toHaveAttribute('data-value', '2');
  await shot(admin, 'console-delivery-composer.png', true);
  await admin.getByRole('group', { name: '配信のタイミング' }).getByLabel('日時を指定して予約').check();
  // The next minute that is at least 12 s away (filling in and confirming take a few seconds).
  const at = jst(Math.ceil((Date.now() + 12_000) / 60_000) * 60_000);
  await admin.getByRole('textbox', { name: '配信日' }).fill(at.slice(0, 10));
  await admin.getByRole('textbox', { name: '配信時刻' }).fill(at.slice(11, 16));
  await admin.getByRole('button', { name: '予約する' }).click();
  const confirm = admin.getByRole('dialog', { name: '予約の確認' });
  await expect(confirm).toContainText('2');
  await confirm.getByRole('button', { name: '予約する' }).click();
  // The console goes to the delivery list once it is saved.
  await expect(admin.getByRole('heading', { level: 1, name: 'メッセージ配信' })).toBeVisible();
  await expect(admin.getByTestId('delivery-row').filter({ hasText: title })).toBeVisible();

  // G-09, while the scheduled delivery waits for its minute: phone C becomes a test device; a test delivery reaches it and nobody else.
  await admin.goto(`${BASE}/console/#/friends`);
  await admin.getByLabel('キーワード').fill(`配信C ${tag}`);
  await admin.getByRole('button', { name: '検索' }).click();
  await admin.getByLabel(`配信C ${tag} をテスト用の友だちにする`).click();
  await expect(admin.getByLabel(`配信C ${tag} をテスト用の友だちにする`)).toBeChecked();
  await admin.goto(`${BASE}/console/#/deliveries/new`);
  await admin.getByLabel('管理用タイトル').fill(`E2E テスト配信 ${tag}`);
  await admin.getByLabel('本文（メッセージ 1）').fill(`テスト配信の確認 ${tag}`);
  await admin.getByRole('button', { name: 'テスト配信' }).click();
  const testDialog = admin.getByRole('dialog', { name: 'テスト配信' });
  await testDialog.getByLabel('このチャネルのテスト用の友だち').check();
  await testDialog.getByRole('button', { name: 'テスト配信する' }).click();
  await expect
    .poll(async () => (await inboxTexts(admin, p3.userId)).some((m) => m.includes(`テスト配信の確認 ${tag}`)))
    .toBe(true);
  for (const p of [p1, p2])
    expect((await inboxTexts(admin, p.userId)).some((m) => m.includes(`テスト配信の確認 ${tag}`))).toBe(
      false,
    );

  // The list shows it scheduled, then sent (the list re-reads itself when it starts).
  await admin.goto(`${BASE}/console/#/deliveries`);
  const row = admin.getByTestId('delivery-row').filter({ hasText: title });
  await expect(row).toHaveAttribute('data-status', /scheduled|sending|sent/);
  await expect(row).toHaveAttribute('data-status', 'sent', { timeout: 150_000 });
  await expect(row.getByTestId('delivery-result')).toHaveAttribute('data-sent', '2');
  await shot(admin, 'console-deliveries.png');

  // Exactly the two phones in the segment received it, by multicast.
  await expect
    .poll(async () => (await inboxTexts(admin, p1.userId)).some((m) => m.includes('市民講座')))
    .toBe(true);
  expect((await inboxTexts(admin, p2.userId)).filter((m) => m.includes('市民講座'))).toHaveLength(1);
  expect((await inboxTexts(admin, p3.userId)).some((m) => m.includes('市民講座'))).toBe(false);

  // Phone A shows the message; its link goes through our redirect, which counts the click (G-10).
  const sentLink = p1.phone.getByRole('link', { name: /\/r\// }).last();
  await expect(sentLink).toBeVisible();
  const href = (await sentLink.getAttribute('href'))!;
  expect(href).not.toContain(p1.userId);
  const click = await admin.request.get(href, { maxRedirects: 0 });
  expect(click.status()).toBe(302);
  expect(click.headers().location).toBe(link);

  // Analytics: recipients, successes and the click; the CSV has the same numbers.
  const today = jst().slice(0, 10);
  await admin.goto(`${BASE}/console/#/analytics`);
  await expect(admin.getByRole('link', { name: `詳細: ${title}` })).toBeVisible();
  await shot(admin, 'console-analytics.png', true);
  await admin.getByRole('link', { name: `詳細: ${title}` }).click();
  await expect(admin.getByTestId('report-recipients')).toHaveAttribute('data-value', '2');
  await expect(admin.getByTestId('report-sent')).toHaveAttribute('data-value', '2');
  await expect(admin.getByTestId('report-failed')).toHaveAttribute('data-value', '0');
  await expect(admin.getByTestId('report-clicks')).toHaveAttribute('data-value', '1');
  const channelId = await admin.evaluate(async () => {
    const r = await fetch('/api/channels');
    const list = (await r.json()) as { id: string; lineChannelId: string }[];
    return list.find((c) => c.lineChannelId === '2000000001')!.id;
  });
  const csv = await admin.request.get(
    `${BASE}/api/analytics/deliveries.csv?channelId=${channelId}&from=${today}&to=${today}`,
  );
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
  expect(lines[0]).toBe(
    '配信ID,タイトル,配信日,配信時刻,状態,テスト配信,配信対象者数,配信成功数,配信失敗数,リンク数,クリックされたリンク数,リンククリック数',
  );
  const line = lines.find((l) => l.includes(title))!.split(',');
  expect(line.slice(4)).toEqual(['配信済み', 'いいえ', '2', '2', '0', '1', '1', '1']);
});
