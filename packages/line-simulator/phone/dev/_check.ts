import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

process.env.SIM_MOCK = '1';
const phoneDir = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  configFile: `${phoneDir}vite.config.ts`,
  logLevel: 'warn',
  server: { port: 0, host: '127.0.0.1' },
});
await server.listen();
const base = process.env.BASE ?? server.resolvedUrls?.local[0] ?? '';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const ok = (name: string) => console.log(`ok  ${name}`);
try {
  const context = await browser.newContext({ viewport: { width: 900, height: 840 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  const log = page.getByRole('log', { name: 'トーク' });

  // new user
  await page.getByRole('button', { name: '新しいユーザー' }).click();
  const dlg = page.getByRole('dialog', { name: '新しいユーザー' });
  await dlg.getByLabel('表示名').fill('研修花子');
  await dlg.getByRole('button', { name: '作成' }).click();
  await page.getByRole('status').getByText('研修花子').waitFor();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('user')?.startsWith('Umock'));
  const userId = new URL(page.url()).searchParams.get('user');
  if ((await page.getByRole('combobox', { name: 'ユーザー' }).inputValue()) !== userId)
    throw new Error('user select');
  ok(`new user ${userId}, in URL`);
  if (!(await page.getByLabel('メッセージを入力').isDisabled())) throw new Error('input should be disabled');
  // follow
  await page.getByRole('button', { name: '友だち追加' }).click();
  await page.getByRole('button', { name: 'トークメニュー' }).waitFor();
  await log.getByText('友だち追加ありがとうございます').waitFor();
  await page.getByLabel('Webhook応答').getByText('Webhook 200').waitFor();
  ok('follow');
  await page.getByRole('group', { name: 'リッチメニュー' }).waitFor();
  ok('rich menu after follow');
  // LIFF link in text
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    log.getByRole('link', { name: /liff\.line\.me/ }).click(),
  ]);
  await popup.waitForURL(/LIFF/);
  ok(`LIFF link opened ${popup.url()}`);
  await popup.close();
  // send text, enter key
  await page.getByLabel('メッセージを入力').fill('テスト');
  await page.getByLabel('メッセージを入力').press('Enter');
  await log.getByText('「テスト」を受け付けました。').waitFor();
  ok('enter sends');
  // webhook 500 toast
  await page.getByLabel('メッセージを入力').fill('エラー');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await page.getByRole('alert').getByText('Webhookの応答が 500 でした').waitFor();
  ok('webhook 500 toast');
  // sample messages
  await page.getByLabel('メッセージを入力').fill('サンプル');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await page.getByRole('group', { name: 'クイックリプライ' }).waitFor();
  ok('quick reply shown');
  await page.getByRole('group', { name: 'クイックリプライ' }).getByRole('button', { name: '防災' }).click();
  await log.locator('li[data-from="user"]').getByText('防災').waitFor();
  await log.getByText('postback: menu=bousai').waitFor();
  if (await page.getByRole('group', { name: 'クイックリプライ' }).count())
    throw new Error('quick reply should hide');
  ok('quick reply postback with displayText; chips hidden');
  // template buttons: message action and datetimepicker
  await log.getByRole('button', { name: '収集日を調べる' }).last().click();
  await log.getByText('「収集日」を受け付けました。').waitFor();
  ok('template message action');
  await log.getByRole('button', { name: '日付を指定' }).last().click();
  const pick = page.getByRole('dialog', { name: '日付を指定' });
  await pick.getByLabel('日付').fill('2025-04-01');
  await pick.getByRole('button', { name: '決定' }).click();
  await log.getByText('postback: action=date {"date":"2025-04-01"}').waitFor();
  ok('datetimepicker postback params');
  // confirm
  await log.getByRole('button', { name: 'はい' }).last().click();
  await log.getByText('postback: notify=yes').waitFor();
  ok('confirm');
  // flex button postback
  await log.getByRole('button', { name: 'ほかの避難所' }).last().click();
  await log.getByText('postback: shelter=more').waitFor();
  ok('flex button');
  // imagemap message area and uri area
  await log
    .getByRole('group', { name: '申請メニュー' })
    .last()
    .getByRole('button', { name: '住民票' })
    .click();
  await log.getByText('「住民票」を受け付けました。').waitFor();
  const [p2] = await Promise.all([
    page.waitForEvent('popup'),
    log
      .getByRole('group', { name: '申請メニュー' })
      .last()
      .getByRole('button', { name: '申請フォーム' })
      .click(),
  ]);
  await p2.waitForURL(/LIFF/);
  await p2.close();
  ok('imagemap areas');
  // rich menu: message area, uri area (LIFF), unlabeled area, tab switch
  const menu = page.getByRole('group', { name: 'リッチメニュー' });
  await menu.getByRole('button', { name: 'ごみ' }).click();
  await log.getByText('タップ: A: ごみ').waitFor();
  const [p3] = await Promise.all([
    page.waitForEvent('popup'),
    menu.getByRole('button', { name: '会員登録' }).click(),
  ]);
  await p3.waitForURL(/LIFF/);
  await p3.close();
  await menu.getByRole('button', { name: 'エリア 6', exact: true }).click();
  await log.getByText('タップ: menu=a4b').waitFor();
  await menu.getByRole('button', { name: 'タブB' }).click();
  await page.waitForTimeout(2200);
  await menu.getByRole('button', { name: 'ごみ' }).click();
  await log.getByText('タップ: B: ごみ').waitFor();
  ok('rich menu areas and tab switch');
  // toggle menu
  await page.getByRole('button', { name: 'メニュー', exact: true }).click();
  if (await menu.count()) throw new Error('menu should close');
  await page.getByRole('button', { name: 'メニュー', exact: true }).click();
  await menu.waitFor();
  ok('chat bar toggle');
  // image upload
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: '画像', exact: true }).click(),
  ]);
  await chooser.setFiles({ name: 'a.png', mimeType: 'image/png', buffer: png });
  await log.getByText('「image」を受け付けました。').waitFor();
  await page.getByLabel('画像ファイル').setInputFiles({ name: 'b.png', mimeType: 'image/png', buffer: png });
  await page.waitForTimeout(500);
  ok('image send (file chooser and setInputFiles)');
  // location from quick reply
  await page.getByLabel('メッセージを入力').fill('サンプル');
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await page
    .getByRole('group', { name: 'クイックリプライ' })
    .getByRole('button', { name: '位置情報を送る' })
    .click();
  await page
    .getByRole('dialog', { name: '位置情報を送信' })
    .getByRole('button', { name: 'この位置を送信' })
    .click();
  await log.getByText('「location」を受け付けました。').last().waitFor();
  ok('location via quick reply');
  // reload keeps sent messages (sessionStorage) and selection
  await page.reload();
  await log.locator('li[data-from="user"]').getByText('テスト', { exact: true }).waitFor();
  if (new URL(page.url()).searchParams.get('user') !== userId) throw new Error('user lost on reload');
  ok('reload keeps talk and selection');
  // axe
  const axe = await new AxeBuilder({ page }).analyze();
  for (const v of axe.violations)
    console.log(
      `axe ${v.id} (${v.impact}): ${v.help} x${v.nodes.length} ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
    );
  // malformed message is contained
  await page.route('**/_sim/users/*/inbox*', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.messages.push({
      id: 'bad',
      at: Date.now(),
      via: 'push',
      message: {
        type: 'flex',
        altText: '壊れたflex',
        contents: { type: 'bubble', body: { type: 'box', layout: 'vertical', contents: 'oops' } },
      },
    });
    await route.fulfill({ response: res, json: body });
  });
  await log.getByText('このメッセージを表示できません: 壊れたflex').waitFor();
  await log.getByText('「location」を受け付けました。').last().waitFor();
  await page.unroute('**/_sim/users/*/inbox*');
  ok('malformed message contained');
  // block
  await page.getByRole('button', { name: 'トークメニュー' }).click();
  await page.getByRole('menuitem', { name: 'ブロック' }).click();
  await page.getByRole('button', { name: 'ブロック解除' }).waitFor();
  ok('block');
  // keyboard: tab order reaches input
  await page.keyboard.press('Tab');
  console.log('errors:', errors);
} finally {
  await browser.close();
  await server.close();
}
