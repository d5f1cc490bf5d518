import { expect, type Locator, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// The counselor screen on the shared desktop (issue 9, C-12 C-10 C-11): at 1366×768 the chat shows
// ten messages or more at once and the whole record without any inner scrolling; a first-time
// consultee's history gate needs one click; 相談を終了 asks first and Esc keeps the chat open.

const VIEWPORT = { width: 1366, height: 768 };

const MESSAGES = [
  'こんにちは',
  'クラスのことで相談したいです',
  '先週から、グループの子たちに無視されています',
  '話しかけても返事をしてくれません',
  '休み時間はひとりで本を読んでいます',
  '先生にはまだ言っていません',
  '親にも言えていません',
  '心配をかけたくないからです',
  '学校に行くのがつらいです',
  '朝になるとおなかが痛くなります',
  'どうしたらいいかわかりません',
  '話を聞いてもらえますか',
];

const RECORD_FIELDS = ['性別', '年代・学年', '相談種別', '緊急度', '相談概要', '対応・引継ぎ'];

type Box = { top: number; bottom: number; left: number; right: number };

/** The element's box, clipped to nothing: its full extent in viewport coordinates. */
async function box(locator: Locator): Promise<Box> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
}

const inside = (inner: Box, outer: Box) =>
  inner.top >= outer.top - 0.5 &&
  inner.bottom <= outer.bottom + 0.5 &&
  inner.left >= outer.left - 0.5 &&
  inner.right <= outer.right + 0.5;

test('C-12 C-10 C-11: at 1366×768 ten messages and the whole record are in view; one-click history gate; 相談を終了 is confirmed', async ({
  browser,
}) => {
  test.setTimeout(120_000);

  // A student on a school tablet writes twelve messages.
  const tablet = await (
    await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } })
  ).newPage();
  await tablet.goto(`${BASE}/citizen/consult/ijime`);
  await tablet.getByLabel('アクセスコード').fill('demo-school');
  await tablet.getByRole('button', { name: '相談をはじめる' }).click();
  for (const text of MESSAGES) {
    await tablet.getByLabel('メッセージ').fill(text);
    await tablet.getByRole('button', { name: '送信', exact: true }).click();
    await expect(tablet.getByTestId('chat-messages')).toContainText(text);
    await tablet.waitForFunction(
      () => !document.querySelector('[data-testid=chat-messages] li[data-state=sending]'),
    );
  }

  // The counselor opens it from the waiting queue.
  const counselor = await signIn(browser, 'counselor1', VIEWPORT);
  await counselor.goto(`${BASE}/console/#/consultations`);
  await counselor
    .getByRole('region', { name: /^待機中/ })
    .getByRole('link', { name: /Web/ })
    // Oldest first: the one just opened is the last (other journeys may have left some waiting).
    .last()
    .click();
  const log = counselor.getByRole('log', { name: 'メッセージ' });
  await expect(log).toContainText(MESSAGES.at(-1)!);
  await counselor.getByRole('button', { name: '対応する' }).click();

  // C-10 with no past consultation: it says so, there is no checkbox, one click confirms.
  const gate = counselor.getByRole('region', { name: '過去の相談' });
  await expect(gate).toContainText('過去の相談はありません');
  await expect(counselor.getByLabel('過去の相談履歴を確認しました')).toHaveCount(0);
  await expect(counselor.getByLabel('返信')).toBeDisabled();
  await gate.getByRole('button', { name: '確認して対応を始める' }).click();
  await expect(counselor.getByLabel('返信')).toBeEnabled();
  await expect(counselor.getByLabel('返信')).toBeFocused();

  await counselor
    .getByLabel('返信')
    .fill('話してくれてありがとう。相談員です。ゆっくりでいいので聞かせてください。');
  await counselor.getByRole('button', { name: '送信', exact: true }).click();
  await expect(tablet.getByTestId('chat-messages')).toContainText('話してくれてありがとう。相談員です。');
  await expect(log).toContainText('話してくれてありがとう。相談員です。');

  // C-12: ten bubbles or more lie wholly inside the viewport and inside the log's visible area at
  // the same time.
  const viewport: Box = { top: 0, left: 0, bottom: VIEWPORT.height, right: VIEWPORT.width };
  const logBox = await box(log);
  const bubbles = await log.locator('li[data-message]').evaluateAll((items) =>
    items.map((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    }),
  );
  const shown = bubbles.filter((b) => inside(b, viewport) && inside(b, logBox));
  expect(
    shown.length,
    `bubbles wholly in view (log ${Math.round(logBox.bottom - logBox.top)} px)`,
  ).toBeGreaterThanOrEqual(10);

  // The whole record, with 保存, is visible without scrolling the side column.
  const record = counselor.getByRole('region', { name: '相談記録' });
  const column = counselor.getByTestId('record-column');
  expect(await column.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  const columnBox = await box(column);
  const save = record.getByRole('button', { name: '保存' });
  for (const target of [save, ...RECORD_FIELDS.map((label) => record.getByLabel(label, { exact: true }))]) {
    await expect(target).toBeVisible();
    const b = await box(target);
    expect(
      inside(b, viewport) && inside(b, columnBox),
      `${await target.evaluate((el) => el.outerHTML.slice(0, 80))}`,
    ).toBe(true);
  }

  // 相談を終了 is not next to 保存: it is in the chat header, far from the record's button.
  const close = counselor.getByRole('button', { name: '相談を終了' });
  const closeBox = await box(close);
  const saveBox = await box(save);
  expect(saveBox.top - closeBox.bottom).toBeGreaterThan(200);

  await expectNoAxeViolations(counselor);

  // The record is filled in and saved.
  await record.getByLabel('性別').selectOption('女性');
  await record.getByLabel('年代・学年').selectOption('中学生');
  await record.getByLabel('相談種別').selectOption('いじめ');
  await record.getByLabel('緊急度').selectOption('中');
  await record.getByLabel('相談概要').fill('クラスのグループから無視されている。先生・親には未相談。');
  await save.click();
  await expect(record.getByText('記録を保存しました。')).toBeVisible();
  // The saved notice does not push the record out of view either.
  expect(await column.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await expect(save).toBeInViewport({ ratio: 1 });

  await counselor.mouse.move(0, 0);
  await shot(counselor, 'console-consultation-1366.png');

  // Still usable on a smaller (1280×720) and a wider (1920×1080) screen: the page does not grow
  // past the window, the reply box and 保存 stay in view (the record column may scroll when small).
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    await counselor.setViewportSize(size);
    await expect(counselor.getByLabel('返信')).toBeInViewport({ ratio: 1 });
    await expect(save).toBeInViewport({ ratio: 1 });
    await expect(close).toBeInViewport({ ratio: 1 });
    // The log stays at its newest message when it gets smaller.
    await expect(log.getByText('話してくれてありがとう。相談員です。')).toBeInViewport({ ratio: 1 });
    const workspaceBottom = await log.evaluate((el) => el.closest('section')!.getBoundingClientRect().bottom);
    expect(workspaceBottom).toBeLessThanOrEqual(size.height);
    if (process.env.DEBUG_SHOTS) await counselor.screenshot({ path: `/tmp/cs-${size.width}.png` });
  }
  await counselor.setViewportSize(VIEWPORT);

  // 相談を終了 asks first; Esc keeps the chat open.
  await close.click();
  const confirm = counselor.getByRole('dialog', { name: '相談を終了しますか？' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: '終了する' })).toBeFocused();
  await expectNoAxeViolations(counselor);
  await counselor.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(close).toBeFocused();
  await expect(counselor.getByLabel('返信')).toBeEnabled();
  await expect(counselor.getByRole('region', { name: /^対応中（自分）/ })).toContainText('Web');

  // Confirming closes it.
  await close.click();
  await confirm.getByRole('button', { name: '終了する' }).click();
  await expect(counselor.getByText('この相談は終了しています。')).toBeVisible();
  await expect(counselor.getByRole('button', { name: '相談を終了' })).toHaveCount(0);
  await expect(counselor.getByLabel('返信')).toHaveCount(0);
});
