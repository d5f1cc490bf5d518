import { expect, type Page, test } from '@playwright/test';
import { BASE, closeDeskToday, expectNoAxeViolations, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// The citizen pages as a city sees them first (issue 9): マイページ from the virtual phone's rich menu
// lists exactly the services the city has enabled, each working, under the city's name; the phone
// chat out of hours shows the emergency numbers the automatic reply points at, without keyboard
// hints, and the notice goes once a counselor replies; the school tablet's page never mentions LINE.

/** All the text in the page, hidden text (screen-reader-only, collapsed panels) included. */
const pageText = (page: Page) => page.evaluate(() => document.body.textContent ?? '');

test('issue 9: マイページ lists the enabled services, each working; out of hours the phone chat shows the contacts until a counselor replies', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const name = `市民 ${Date.now().toString(36)}`;

  // The welfare desk is closed today (an ad-hoc closure), so the chat is out of hours whatever the time.
  const admin = await signIn(browser, 'admin', { width: 1366, height: 768 });
  await closeDeskToday(admin, 'welfare');

  // A phone (touch screen, no mouse): the friend taps マイページ in the rich menu.
  const phoneContext = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const phone = await phoneContext.newPage();
  await phone.goto(`${SIM}/phone/?channel=2000000001`);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByLabel('表示名').fill(name);
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');
  const [home] = await Promise.all([
    phone.waitForEvent('popup'),
    phone.getByRole('group', { name: 'リッチメニュー' }).getByRole('button', { name: 'マイページ' }).click(),
  ]);
  await expect(home.getByTestId('citizen-user-name')).toHaveText(name, { timeout: 20_000 });

  // The city's name, not the product's; exactly the demo city's services, none "coming soon".
  await expect(home.getByTestId('city-name')).toHaveText('デモ市');
  const services = home.getByTestId('services');
  await expect(services.getByRole('link')).toHaveText([
    '相談する（福祉まるごと相談）',
    '相談する（いじめ相談（児童・生徒））',
    '予約する',
    'オンライン申請',
    'アンケートに答える（市民満足度アンケート）',
    '受信設定',
  ]);
  const homeText = await pageText(home);
  for (const word of ['準備中', 'Madoguchi', '通報']) expect(homeText).not.toContain(word);
  await expectNoAxeViolations(home);
  await shot(home, 'citizen-home.png');

  // 受信設定 opens the registration page; back on マイページ, 相談する opens the desk's chat.
  await services.getByRole('link', { name: '受信設定' }).click();
  await expect(home.getByRole('heading', { level: 1 })).toContainText('受信設定');
  await home.goBack();
  await services.getByRole('link', { name: '相談する（福祉まるごと相談）' }).click();
  await expect(home).toHaveURL(/\/citizen\/consult\/welfare\?ch=/);
  await expect(home.getByRole('heading', { level: 1, name: '福祉まるごと相談' })).toBeVisible();
  // Out of hours the numbers are open at once before the chat begins.
  await expect(home.getByRole('link', { name: /いのちの電話/ })).toBeVisible();
  await expectNoAxeViolations(home);

  const chat = home;
  await chat.getByRole('button', { name: '相談をはじめる' }).click();
  await chat.getByLabel('メッセージ').fill('家賃が払えず困っています');
  await chat.getByRole('button', { name: '送信', exact: true }).click();
  const messages = chat.getByTestId('chat-messages');
  await expect(messages).toContainText('下記の連絡先');

  // The automatic reply's 「下記の連絡先」 are right below it, visible without a tap.
  const notice = chat.getByTestId('out-of-hours');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('受付時間外');
  await expect(notice.getByRole('link', { name: /いのちの電話/ })).toBeVisible();
  await expect(notice.getByRole('link', { name: /24時間子供SOSダイヤル/ })).toBeVisible();
  const reply = messages.getByRole('listitem').filter({ hasText: '下記の連絡先' }).last();
  const replyBox = (await reply.boundingBox())!;
  const noticeBox = (await notice.boundingBox())!;
  expect(noticeBox.y).toBeGreaterThanOrEqual(replyBox.y + replyBox.height);

  // A phone has no keyboard shortcuts to offer: no hint, not even for screen readers.
  expect(await pageText(chat)).not.toContain('Enter');
  await expectNoAxeViolations(chat);

  // A counselor takes the consultation and replies: the out-of-hours notice goes.
  const counselor = await signIn(browser, 'counselor1', { width: 1366, height: 768 });
  await counselor.goto(`${BASE}/console/#/consultations`);
  await counselor
    .getByRole('navigation', { name: '相談の一覧' })
    .getByRole('link', { name: new RegExp(`LINE: ${name}`) })
    .click();
  await counselor.getByRole('button', { name: '対応する' }).click();
  // The history gate (C-10) asks for a confirmation before the first reply.
  const replyBoxInput = counselor.getByLabel('返信');
  const gate = counselor.getByRole('button', { name: /対応を始める/ });
  await expect(gate.or(replyBoxInput.and(counselor.locator(':enabled')))).toBeVisible();
  if (await gate.isVisible()) {
    const check = counselor.getByLabel('過去の相談履歴を確認しました');
    if (await check.isVisible()) await check.check();
    await gate.click();
  }
  await replyBoxInput.fill('相談員です。お話を聞かせてください。');
  await counselor.getByRole('button', { name: '送信', exact: true }).click();
  await expect(messages).toContainText('相談員です。お話を聞かせてください。');
  await expect(notice).toHaveCount(0);
  await expectNoAxeViolations(chat);
  await shot(chat, 'citizen-chat.png');
});

test('issue 9: the school tablet chat page (anonymous, access code) does not mention LINE', async ({
  browser,
}) => {
  const tablet = await (
    await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } })
  ).newPage();
  await tablet.goto(`${BASE}/citizen/consult/ijime`);
  await expect(tablet.getByRole('heading', { level: 1, name: 'いじめ相談（児童・生徒）' })).toBeVisible();
  await expect(tablet.getByTestId('city-name')).toHaveText('デモ市');
  expect(await pageText(tablet)).not.toContain('LINE');
  await expectNoAxeViolations(tablet);

  await tablet.getByLabel('アクセスコード').fill('demo-school');
  await tablet.getByRole('button', { name: '相談をはじめる' }).click();
  await tablet.getByLabel('メッセージ').fill('相談したいことがあります');
  await tablet.getByRole('button', { name: '送信', exact: true }).click();
  await expect(tablet.getByTestId('chat-messages')).toContainText('相談したいことがあります');
  await tablet.waitForFunction(
    () => !document.querySelector('[data-testid=chat-messages] li[data-state=sending]'),
  );
  expect(await pageText(tablet)).not.toContain('LINE');
  // With a mouse and a keyboard the shortcut is offered.
  await expect(tablet.getByText('Ctrl + Enter')).toBeVisible();
  await expectNoAxeViolations(tablet);
  await shot(tablet, 'citizen-chat-tablet.png');
});
