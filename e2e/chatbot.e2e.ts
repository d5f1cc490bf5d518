import { type FaqEntryView, normalizeForMatch } from '@madoguchi/contracts/chatbot.ts';
import { expect, type Page, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { CITY_FAQ } from '../apps/server/src/modules/chatbot/testdata/city-faq.ts';
import { apiOf, BASE, expectNoAxeViolations, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { inbox, registerOnPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// The chatbot end to end (issue 12, B-01 … B-04): staff import a 50-row FAQ from an xlsx (dry run,
// then import); build a 5-node scenario in the editor (message → branch on the registered ward →
// 中央区 / other → end) with a keyword trigger; test it in the panel with a test friend and without;
// publish. On the virtual phone two friends who registered different wards type the keyword (in
// different spellings) and take different branches; a paraphrased question gets the FAQ answer with
// its FAQ No.; an unknown question, asked twice, is listed under 未回答の質問 with its count. axe on
// the scenario list, the editor, the FAQ page and the unanswered page.

const INTRO = 'ごみの出し方をご案内します。';
const CHUO_TEXT = '中央区の方へ: 燃えるごみは月曜日と木曜日の朝8時30分までに集積所へ出してください。';
const OTHER_TEXT = 'お住まいの区のごみカレンダーで収集日を確かめ、朝8時30分までに集積所へ出してください。';
const END_TEXT = 'ご利用ありがとうございました。';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The city FAQ as staff keep it in Excel: a title row above the header, an extra column. */
async function faqWorkbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('よくある質問');
  sheet.addRow(['デモ市 よくある質問']);
  sheet.addRow(['質問', '回答', 'カテゴリ', 'キーワード', 'リンク', '担当課']);
  for (const row of CITY_FAQ) sheet.addRow([...row, '市民課']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Types a message on the virtual phone. */
async function say(phone: Page, text: string) {
  await phone.getByLabel('メッセージを入力').fill(text);
  await phone.getByLabel('メッセージを入力').press('Enter');
}

/** The texts the simulator received for the user (text messages, and templates by their text). */
async function texts(page: Page, userId: string) {
  return (await inbox(page, userId)).map((m) => m.message.text ?? m.message.template?.text ?? m.message.type);
}

test('B-01 … B-04: FAQ from xlsx, a 5-node scenario branching on the ward, tested, published, two friends take different branches, an FAQ answer, an unanswered question', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const admin = await signIn(browser, 'admin', { width: 1440, height: 900 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as { id: string; lineChannelId: string }[];
  const channelId = channels.find((c) => c.lineChannelId === '2000000001')!.id;

  // Prepared first (not the subject here): two friends register different wards on the LIFF page; the
  // 中央区 friend is a test friend, so the test panel can branch on their attributes.
  const chuoName = `ボット中央 ${tag}`;
  const chuo = await registerOnPhone(browser, chuoName, {
    year: '1982',
    gender: '女性',
    ward: '中央区',
    topics: ['防災'],
  });
  const mihama = await registerOnPhone(browser, `ボット美浜 ${tag}`, {
    year: '1975',
    gender: '男性',
    ward: '美浜区',
    topics: ['防災'],
  });
  const found = (await api.get(`/api/friends?channelId=${channelId}&q=${encodeURIComponent(chuoName)}`)) as {
    items: { id: string; lineUserId: string }[];
  };
  const chuoFriend = found.items.find((f) => f.lineUserId === chuo.userId)!;
  await api.patch(`/api/friends/${chuoFriend.id}`, { isTest: true });

  // B-04: the FAQ page — choose the xlsx, check (dry run: 50 rows, no errors), import, see the list.
  await admin.goto(`${BASE}/console/#/chatbot/faq`);
  await expect(admin.getByRole('heading', { level: 1, name: 'FAQ' })).toBeVisible();
  await admin.getByLabel('FAQ のファイル（xlsx または CSV）').setInputFiles({
    name: 'デモ市FAQ.xlsx',
    mimeType: XLSX,
    buffer: await faqWorkbook(),
  });
  await admin.getByRole('button', { name: '確認', exact: true }).click();
  await expect(admin.getByText('確認の結果（まだ取り込んでいません）')).toBeVisible();
  await expect(admin.getByText(/^50 行: 追加 50 件・更新 0 件・削除 \d+ 件$/)).toBeVisible();
  await expect(admin.getByText('使わない列: 担当課')).toBeVisible();
  await expect(admin.getByText('直す必要がある行', { exact: false })).toHaveCount(0);
  await shot(admin, 'console-chatbot-faq-import.png');
  await admin.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(admin.getByText(/^取り込みました（追加 50 件・更新 0 件・削除 \d+ 件）。$/)).toBeVisible();
  const faqTable = admin.getByRole('table', { name: 'FAQ の一覧' });
  await expect(faqTable).toContainText('粗大ごみの出し方');
  await expect(faqTable.getByRole('row')).toHaveCount(51);
  await expectNoAxeViolations(admin, 'FAQ page');
  await shot(admin, 'console-chatbot-faq.png');
  const sodai = (
    (await api.get(
      `/api/chatbot/faq?channelId=${channelId}&q=${encodeURIComponent('粗大ごみの出し方')}`,
    )) as { items: FaqEntryView[] }
  ).items.find((e) => e.question === '粗大ごみの出し方')!;

  // B-01: a new scenario from the list, with the blank template.
  await admin.getByRole('navigation').getByRole('link', { name: 'シナリオ', exact: true }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'シナリオ' })).toBeVisible();
  await expect(admin.getByRole('table', { name: 'シナリオの一覧' })).toContainText('ごみの日');
  await expectNoAxeViolations(admin, 'scenario list');
  await shot(admin, 'console-chatbot-scenarios.png');
  const name = `ごみの出し方 ${tag}`;
  await admin.getByRole('button', { name: 'シナリオを作成' }).click();
  const create = admin.getByRole('dialog', { name: 'シナリオを作成' });
  await create.getByRole('textbox', { name: '名前' }).fill(name);
  await create.getByRole('textbox', { name: 'キー' }).fill(`gomi-${tag}`);
  await create.getByRole('radio', { name: '空のシナリオ' }).check();
  await shot(admin, 'console-chatbot-create.png');
  await create.getByRole('button', { name: '作成して編集する' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: `シナリオ「${name}」` })).toBeVisible();

  // The blank template's start node becomes the greeting; the toolbar adds the other four nodes.
  const panel = admin.getByRole('tabpanel');
  const title = panel.getByLabel('ノードの名前');
  await title.fill('はじめのメッセージ');
  await panel.getByLabel('本文').fill(INTRO);

  await admin
    .getByRole('toolbar', { name: 'ノードを追加' })
    .getByRole('button', { name: '分岐ノードを追加' })
    .click();
  await title.fill('登録した区で分ける');
  await panel.getByRole('button', { name: '条件を追加' }).click();
  await expect(panel.getByLabel('条件 1-1 の種類')).toHaveValue('attribute');
  await panel.getByLabel('条件の種類', { exact: true }).selectOption({ label: '区・町丁（選択肢）' });
  await panel.getByLabel('中央区', { exact: true }).check();

  const addMessage = async (nodeTitle: string, text: string) => {
    await admin.getByRole('button', { name: 'メッセージノードを追加' }).click();
    await title.fill(nodeTitle);
    await panel.getByLabel('本文').fill(text);
  };
  await addMessage('中央区の方へ', CHUO_TEXT);
  await addMessage('ほかの区の方へ', OTHER_TEXT);
  await admin.getByRole('button', { name: '終了ノードを追加' }).click();
  await title.fill('終わり');
  await panel.getByLabel('最後に送る文（任意）').fill(END_TEXT);

  // Connected with the 「次へ」 selects of each node's form.
  const pick = (label: string) => panel.getByLabel('編集するノード').selectOption({ label });
  await pick('はじめのメッセージ（メッセージ）');
  await panel.getByLabel('次へ', { exact: true }).selectOption({ label: '登録した区で分ける（分岐）' });
  await pick('登録した区で分ける（分岐）');
  await panel
    .getByLabel('条件 1 に当てはまるときの次へ')
    .selectOption({ label: '中央区の方へ（メッセージ）' });
  await panel
    .getByLabel('どれにも当てはまらないときの次へ')
    .selectOption({ label: 'ほかの区の方へ（メッセージ）' });
  await shot(admin, 'console-chatbot-branch.png', true);
  for (const from of ['中央区の方へ（メッセージ）', 'ほかの区の方へ（メッセージ）']) {
    await pick(from);
    await panel.getByLabel('次へ', { exact: true }).selectOption({ label: '終わり（終了）' });
  }

  // B-02: a keyword trigger (typed differently on the phones below).
  await admin.getByRole('tab', { name: 'トリガーと設定' }).click();
  await panel.getByRole('button', { name: 'キーワードを追加' }).click();
  await panel.getByRole('radio', { name: '完全に一致' }).check();
  await panel.getByLabel('キーワード', { exact: true }).fill('ゴミ案内');
  await panel.getByLabel('キーワード', { exact: true }).blur();
  await shot(admin, 'console-chatbot-triggers.png');
  await admin.getByRole('button', { name: '下書きを保存' }).click();
  await expect(admin.getByText('下書きを保存しました。')).toBeVisible();
  await expect(admin.getByRole('region', { name: '確認結果' })).toHaveCount(0);
  await expect(admin.locator('.react-flow__node')).toHaveCount(5);
  await expect(admin.locator('.react-flow__edge')).toHaveCount(5);
  await expectNoAxeViolations(admin, 'scenario editor');
  await shot(admin, 'console-chatbot-editor.png');

  // B-01: the test panel runs the draft — with the 中央区 test friend, then with no attributes.
  await admin.getByRole('tab', { name: 'テスト' }).click();
  const chat = panel.getByRole('log');
  await panel.getByLabel('テスト友だち').selectOption({ label: chuoName });
  await panel.getByRole('button', { name: '最初から' }).click();
  await expect(chat).toContainText(CHUO_TEXT);
  await expect(chat).toContainText(INTRO);
  await expect(chat).toContainText('シナリオが終わりました');
  await expect(chat).not.toContainText(OTHER_TEXT);
  await shot(admin, 'console-chatbot-test.png');
  await panel.getByLabel('テスト友だち').selectOption({ label: '（選ばない: 登録情報なし）' });
  await panel.getByRole('button', { name: '最初から' }).click();
  await expect(chat).toContainText(OTHER_TEXT);
  await expect(chat).not.toContainText(CHUO_TEXT);

  // Publish: version 1.
  await admin.getByRole('button', { name: '公開', exact: true }).click();
  await expect(admin.getByText('公開しました。利用者への応答はこの版になります。')).toBeVisible();
  await admin.getByRole('tab', { name: '版の履歴' }).click();
  await expect(panel.getByRole('table', { name: '版の履歴' })).toContainText('第 1 版');
  await shot(admin, 'console-chatbot-versions.png');

  // B-02, B-03: on the virtual phones the keyword starts it; each friend takes their ward's branch.
  await say(chuo.phone, 'ごみ案内');
  await expect(chuo.phone.getByText(CHUO_TEXT)).toBeVisible();
  await say(mihama.phone, 'ｺﾞﾐ案内');
  await expect(mihama.phone.getByText(OTHER_TEXT)).toBeVisible();
  await expect
    .poll(async () => (await texts(admin, chuo.userId)).slice(-3))
    .toEqual([INTRO, CHUO_TEXT, END_TEXT]);
  await expect
    .poll(async () => (await texts(admin, mihama.userId)).slice(-3))
    .toEqual([INTRO, OTHER_TEXT, END_TEXT]);
  expect(await texts(admin, chuo.userId)).not.toContain(OTHER_TEXT);
  expect(await texts(admin, mihama.userId)).not.toContain(CHUO_TEXT);
  await shot(chuo.phone, 'console-chatbot-phone.png');

  // Statistics: each node reached as often as the friends passed it (the test panel counts nothing).
  await admin.getByRole('tab', { name: '統計' }).click();
  const nodeStats = panel.getByRole('table', { name: 'ノードごとの到達と離脱' });
  const reached = (node: string) =>
    nodeStats.getByRole('row').filter({ hasText: node }).getByRole('cell').nth(1);
  await expect(reached('登録した区で分ける')).toHaveText('2');
  await expect(reached('中央区の方へ')).toHaveText('1');
  await expect(reached('ほかの区の方へ')).toHaveText('1');
  await shot(admin, 'console-chatbot-stats.png');

  // B-04: a paraphrased question gets the FAQ answer naming its FAQ No.
  await say(mihama.phone, '粗大ゴミはどうやって出すの');
  const answer = `${sodai.answer}\n\n詳しくはこちら: ${sodai.link}\n\n（FAQ No.${sodai.rowNo}）`;
  await expect.poll(async () => (await texts(admin, mihama.userId)).at(-1)).toBe(answer);
  await expect(mihama.phone.getByText(`（FAQ No.${sodai.rowNo}）`, { exact: false })).toBeVisible();
  await shot(mihama.phone, 'console-chatbot-phone-faq.png');

  // B-04: an unknown question (asked twice, spelled differently) gets the fallback and is listed.
  // (Letters only: the list masks runs of digits, which may be phone numbers.)
  const word = tag.replace(/\d/g, (d) => 'abcdefghij'[Number(d)] as string);
  const unknown = `ラーメンのおいしい店 ${word}`;
  await say(chuo.phone, unknown);
  await say(mihama.phone, `ﾗｰﾒﾝの おいしい店？ ${word.toUpperCase()}`);
  for (const p of [chuo, mihama])
    await expect
      .poll(async () => (await texts(admin, p.userId)).at(-1))
      .toMatch(/^すみません、お答えできませんでした。/);
  await admin.getByRole('navigation').getByRole('link', { name: '未回答の質問' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: '未回答の質問' })).toBeVisible();
  const row = admin
    .getByRole('table', { name: '未回答の質問の一覧' })
    .getByRole('row')
    .filter({ hasText: normalizeForMatch(unknown) });
  await expect(row.getByRole('cell').nth(1)).toHaveText('2');
  await expectNoAxeViolations(admin, 'unanswered questions');
  await shot(admin, 'console-chatbot-unanswered.png');

  for (const p of [chuo, mihama]) await p.phone.context().close();
  await admin.context().close();
});
