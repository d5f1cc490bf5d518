import { expect, test } from '@playwright/test';
import { BASE, closeDeskToday, expectNoAxeViolations, SIM, signIn, today } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// SNS consultation end to end (C-01, C-02, C-04, C-05, C-06, C-09, C-10, C-11): a LINE friend opens
// the chat from the rich menu, a counselor sees presence, confirms the history, replies; the
// consultee leaves and LINE gets only the content-free notice; a supervisor watches live; the record
// is refused until complete; the CSV export counts it. A school tablet consults anonymously.

test('C-01 C-09 C-10 C-11 C-04 C-05: a LINE consultation from the rich menu to the CSV export', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const name = `相談 ${Date.now().toString(36)}`;
  const label = `LINE: ${name}`;

  // The consultee follows on the virtual phone and taps 相談する in the rich menu.
  const phoneContext = await browser.newContext({ locale: 'ja-JP' });
  const phone = await phoneContext.newPage();
  await phone.goto(`${SIM}/phone/?channel=2000000001`);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByLabel('表示名').fill(name);
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');
  const userId = new URL(phone.url()).searchParams.get('user');
  expect(userId).toMatch(/^U[0-9a-f]{32}$/);
  const [chat] = await Promise.all([
    phone.waitForEvent('popup'),
    phone.getByRole('group', { name: 'リッチメニュー' }).getByRole('button', { name: '相談する' }).click(),
  ]);
  await chat.getByRole('button', { name: '相談をはじめる' }).click();
  await chat.getByLabel('メッセージ').fill('仕事を失って家賃が払えません');
  await chat.getByRole('button', { name: '送信', exact: true }).click();
  await chat.waitForFunction(
    () => !document.querySelector('[data-testid=chat-messages] li[data-state=sending]'),
  );
  await expectNoAxeViolations(chat);

  // The counselor sees the consultee's screen is open (C-09), and must read the history first (C-10).
  const counselor = await signIn(browser, 'counselor1');
  await counselor.goto(`${BASE}/console/#/consultations`);
  await counselor
    .getByRole('navigation', { name: '相談の一覧' })
    .getByRole('link', { name: new RegExp(label) })
    .click();
  await expect(counselor.getByTestId('consultee-presence')).toContainText('画面を開いています');
  await counselor.getByRole('button', { name: '対応する' }).click();
  await expect(counselor.getByLabel('返信')).toBeDisabled();
  // A first-time consultee: the gate says there is no past consultation and one click confirms.
  await expect(counselor.getByRole('region', { name: '過去の相談' })).toContainText('過去の相談はありません');
  await counselor.getByRole('button', { name: '確認して対応を始める' }).click();
  await counselor.getByLabel('返信').fill('相談員です。お仕事のこと、詳しく教えてください。');
  await counselor.getByRole('button', { name: '送信', exact: true }).click();
  await expect(chat.getByTestId('chat-messages')).toContainText(
    '相談員です。お仕事のこと、詳しく教えてください。',
  );

  // A supervisor watches silently and sees new messages as they arrive (C-04).
  const supervisor = await signIn(browser, 'supervisor1');
  await supervisor.goto(`${BASE}/console/#/monitor`);
  await supervisor.getByRole('link', { name: `閲覧: ${label}` }).click();
  await expect(
    supervisor.getByRole('status').filter({ hasText: 'モニタリング中（相談者には表示されません）' }),
  ).toBeVisible();
  await chat.getByLabel('メッセージ').fill('失業保険の手続きも分かりません');
  await chat.getByRole('button', { name: '送信', exact: true }).click();
  await expect(supervisor.getByRole('log', { name: 'メッセージ' })).toContainText(
    '失業保険の手続きも分かりません',
  );

  // The consultee leaves; the console shows it within seconds; the next reply reaches LINE only as a notice (C-01).
  await chat.close();
  await expect(counselor.getByTestId('consultee-presence')).toContainText('画面を閉じています', {
    timeout: 5_000,
  });
  const secret = 'ハローワークの窓口で手続きできます';
  await counselor.getByLabel('返信').fill(secret);
  await counselor.getByRole('button', { name: '送信', exact: true }).click();
  await expect
    .poll(async () => {
      const inbox = (await (
        await fetch(`${SIM}/_sim/users/${userId}/inbox?channelId=2000000001`)
      ).json()) as {
        messages: { via: string; message: { text?: string } }[];
      };
      return inbox.messages.filter((m) => m.via === 'push').map((m) => m.message.text ?? '');
    })
    .toEqual([expect.stringContaining('相談員から新しいメッセージがあります')]);
  const sent = JSON.stringify(await (await fetch(`${SIM}/_sim/requests`)).json());
  for (const text of ['家賃が払えません', '失業保険', secret, 'お仕事のこと'])
    expect(sent).not.toContain(text);

  // Closing with an empty record is refused with the missing fields (C-11); then it is completed.
  await counselor.getByRole('button', { name: '相談を終了' }).click();
  await counselor
    .getByRole('dialog', { name: '相談を終了しますか？' })
    .getByRole('button', { name: '終了する' })
    .click();
  const missing = counselor.getByRole('dialog', { name: '記録の入力漏れがあります' });
  await expect(missing).toContainText('性別');
  await missing.getByRole('button', { name: '記録の入力に戻る' }).click();
  const record = counselor.getByRole('region', { name: '相談記録' });
  await record.getByLabel('性別').selectOption('女性');
  await record.getByLabel('年代・学年').selectOption('40代');
  await record.getByLabel('相談種別').selectOption('生活困窮');
  await record.getByLabel('緊急度').selectOption('中');
  await record.getByLabel('相談概要').fill('失業による家賃滞納。住居確保給付金を案内。');
  await record.getByRole('button', { name: '保存' }).click();
  await counselor.getByRole('button', { name: '相談を終了' }).click();
  await counselor
    .getByRole('dialog', { name: '相談を終了しますか？' })
    .getByRole('button', { name: '終了する' })
    .click();
  const closedToggle = counselor.getByRole('button', { name: /^終了/ });
  if ((await closedToggle.getAttribute('aria-expanded')) !== 'true') await closedToggle.click();
  await expect(counselor.getByRole('region', { name: /^終了/ })).toContainText(name, { timeout: 10_000 });

  // The statistics screen counts it, with the record field charts (C-05).
  await supervisor.goto(`${BASE}/console/#/consultation-stats`);
  await expect(supervisor.getByTestId('stats-total')).not.toHaveAttribute('data-value', '0');
  await expect(supervisor.getByTestId('stats-line')).not.toHaveAttribute('data-value', '0');
  await expect(supervisor.getByRole('region', { name: '性別の内訳' }).getByRole('img')).toHaveAccessibleName(
    /女性 [1-9][0-9]* 件/,
  );

  // The CSV export has the consultation with its record (C-05).
  const csv = await supervisor.request.get(`${BASE}/api/consultations.csv?from=${today()}&to=${today()}`);
  expect(csv.status()).toBe(200);
  const text = (await csv.body()).toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const header = text.slice(1).split('\r\n')[0]!;
  expect(header).toContain('性別');
  const row = text.split('\r\n').find((l) => l.includes('失業による家賃滞納'));
  expect(row).toContain('LINE');
  expect(row).toContain('女性');
  expect(row).toContain('終了');
});

test('C-02 C-06: a student on a school tablet consults anonymously with the access code; out of hours the desk answers', async ({
  browser,
}) => {
  // The desk is closed today (an ad-hoc closure), so the automatic out-of-hours reply must come.
  const admin = await signIn(browser, 'admin');
  await closeDeskToday(admin, 'ijime');

  const tablet = await (
    await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } })
  ).newPage();
  await tablet.goto(`${BASE}/citizen/consult/ijime`);
  await tablet.getByLabel('アクセスコード').fill('wrong-code');
  await tablet.getByRole('button', { name: '相談をはじめる' }).click();
  await expect(tablet.getByText('アクセスコードが違います')).toBeVisible();
  await tablet.getByLabel('アクセスコード').fill('demo-school');
  await tablet.getByRole('button', { name: '相談をはじめる' }).click();
  await tablet.getByLabel('メッセージ').fill('クラスで無視されています');
  await tablet.getByRole('button', { name: '送信', exact: true }).click();
  await expect(tablet.getByTestId('chat-messages')).toContainText('いまは受付時間外です');
  await expect(tablet.getByRole('button', { name: '緊急の連絡先' })).toBeVisible();
  await expectNoAxeViolations(tablet);

  // The web consultation appears in the same console as LINE ones (C-02).
  const counselor = await signIn(browser, 'counselor1');
  await counselor.goto(`${BASE}/console/#/consultations`);
  await expect(counselor.getByRole('region', { name: /^待機中/ })).toContainText('Web');
});
