import { expect, type Page, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, SIM, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// Tabbed rich menus in the console (issue 11, M-01 … M-05, O-08): staff build a 3-tab group from a
// template (labels typed, tab areas switching to the other tabs, one URL area), save it, preview it
// on the console's phone, publish it as the default with the two-step confirmation; the simulator
// then holds the 3 menus with their aliases and the default; on the virtual phone a new friend taps
// the tab area and gets the next tab; the tap is counted; ending the publication restores the demo menu;
// 「テスト友だちに表示」 shows it to test friends only, until that publication is ended too.

const CHANNEL = '2000000001';

type Logged = { method: string; path: string; status?: number; body: Record<string, unknown> };

async function simRequests(page: Page, path: string): Promise<Logged[]> {
  const r = await page.request.get(
    `${SIM}/_sim/requests?channelId=${CHANNEL}&path=${encodeURIComponent(path)}`,
  );
  expect(r.ok()).toBe(true);
  return (await r.json()) as Logged[];
}

async function currentMenu(page: Page, userId: string) {
  const r = await page.request.get(`${SIM}/_sim/users/${userId}/richmenu?channelId=${CHANNEL}`);
  expect(r.ok()).toBe(true);
  return (await r.json()) as {
    richMenu: {
      richMenuId: string;
      name: string;
      chatBarText: string;
      areas: { action: Record<string, string> }[];
    };
    source: 'user' | 'default';
  };
}

test('M-01 … M-05, O-08: a 3-tab menu from a template, published as the default, switches tabs on the virtual phone', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const tag = Date.now().toString(36);
  const name = `E2E 市のメニュー ${tag}`;
  const tabs = [
    { label: 'くらし', chatBar: 'くらしメニュー', cell: 'ごみ' },
    { label: '子育て', chatBar: '子育てメニュー', cell: '保育園' },
    { label: '防災', chatBar: '防災メニュー', cell: '避難所' },
  ];
  const link = `https://www.city.chiba.jp/e2e/${tag}`;
  const admin = await signIn(browser, 'admin', { width: 1280, height: 900 });

  // The list (配信 → リッチメニュー).
  await admin.getByRole('navigation').getByRole('link', { name: 'リッチメニュー' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'リッチメニュー' })).toBeVisible();
  await expect(admin.getByRole('status').filter({ hasText: '読み込み中' })).toHaveCount(0);
  await expectNoAxeViolations(admin, 'richmenus list');

  // The editor: 3 tabs from the 2x2 template, labels typed, one URL area.
  await admin.getByRole('link', { name: 'リッチメニューを作成' }).click();
  await admin.getByLabel('名前', { exact: true }).fill(name);
  await admin.getByRole('button', { name: 'タブを追加' }).click();
  await admin.getByRole('button', { name: 'タブを追加' }).click();
  await expect(admin.getByRole('list', { name: 'タブの一覧' }).getByRole('listitem')).toHaveCount(3);
  await expect(admin.getByRole('button', { name: 'タブを追加' })).toHaveCount(0);
  for (const [i, tab] of tabs.entries()) {
    await admin.getByRole('button', { name: new RegExp(`^タブ ${i + 1}「.*」を編集$`) }).click();
    await admin.getByLabel('タブの名前').fill(tab.label);
    await admin.getByLabel('メニューバーのテキスト').fill(tab.chatBar);
    await expect(admin.getByTestId('chat-bar-count')).toHaveText(`${[...tab.chatBar].length} / 14 文字`);
    await admin.getByLabel('項目 1 の文字').fill(tab.cell);
    // The tab bar's areas come first: each tab switches to the two others.
    const areas = admin.getByRole('list', { name: `タブ ${i + 1} のタップ領域` }).getByRole('button');
    await expect(areas).toHaveCount(6);
    const others = [0, 1, 2].filter((n) => n !== i).map((n) => n + 1);
    await expect(areas.nth(0)).toContainText(`タブ ${others[0]} に切り替え`);
    await expect(areas.nth(1)).toContainText(`タブ ${others[1]} に切り替え`);
  }
  // Too long a chat bar text is refused as staff type, in Japanese, next to the field.
  await admin.getByLabel('メニューバーのテキスト').fill('あいうえおかきくけこさしすせそ');
  await expect(admin.getByLabel('メニューバーのテキスト')).toHaveAttribute('aria-invalid', 'true');
  await expect(
    admin.getByText('メニューバーのテキストは 14 文字以内にしてください（15 文字）').first(),
  ).toBeVisible();
  await admin.getByLabel('メニューバーのテキスト').fill(tabs[2]!.chatBar);
  await expect(admin.getByText('LINE のルールを満たしています。')).toBeVisible();

  // Tab 1, cell 2: a link (typed area position stays inside the image).
  await admin.getByRole('button', { name: /^タブ 1「くらし」を編集$/ }).click();
  await admin.getByRole('list', { name: 'タブ 1 のタップ領域' }).getByRole('button').nth(3).click();
  const area = admin.getByRole('group', { name: '領域 4 の設定' });
  await area.getByLabel('領域の名前（タップ数の表に表示）').fill('市のサイト');
  await area.getByLabel('タップしたときの動作').selectOption({ label: 'URL を開く' });
  await area.getByLabel('リンク先').fill(link);
  await expect(admin.getByRole('list', { name: 'タブ 1 のタップ領域' })).toContainText(`URL: ${link}`);

  // Areas on the image (mouse): remove cell 4's area, draw one in its place, resize it by its corner,
  // move it; the numbers of the form follow (they are the keyboard's way to do the same).
  await admin.getByRole('list', { name: 'タブ 1 のタップ領域' }).getByRole('button').nth(5).click();
  await admin.getByRole('button', { name: '領域 6 を削除' }).click();
  await expect(admin.getByRole('list', { name: 'タブ 1 のタップ領域' }).getByRole('button')).toHaveCount(5);
  const canvas = admin.getByTestId('area-canvas');
  // Image pixels → the page's, measured again before each drag (the form below the image changes the layout).
  const drag = async (from: [number, number], to: [number, number]) => {
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    const at = ([x, y]: [number, number]) =>
      [box.x + (x * box.width) / 2500, box.y + (y * box.height) / 1686] as const;
    await admin.mouse.move(...at(from));
    await admin.mouse.down();
    await admin.mouse.move(...at(to), { steps: 8 });
    await admin.mouse.up();
  };
  await drag([1400, 1050], [2300, 1600]);
  const drawn = admin.getByRole('group', { name: '領域 6 の設定' });
  const near = async (label: string, value: number) =>
    expect(
      Math.abs(Number(await drawn.getByLabel(label, { exact: true }).inputValue()) - value),
    ).toBeLessThanOrEqual(3);
  await near('X（左端）', 1400);
  await near('Y（上端）', 1050);
  await near('幅', 900);
  await near('高さ', 550);
  await drag([2300, 1600], [2100, 1500]); // the bottom-right corner handle
  await near('幅', 700);
  await near('高さ', 450);
  await drag([1700, 1300], [1600, 1300]); // the area itself
  await near('X（左端）', 1300);
  await near('幅', 700);
  await drawn.getByLabel('タップしたときの動作').selectOption({ label: 'メッセージを送る' });
  await drawn.getByLabel('送るテキスト').fill('ごみの分別');
  await expect(admin.getByText('LINE のルールを満たしています。')).toBeVisible();
  await expectNoAxeViolations(admin, 'richmenu editor');

  await admin.getByRole('button', { name: '保存', exact: true }).click();
  await expect(admin.getByText('リッチメニューを保存し、LINE に登録しました。')).toBeVisible({
    timeout: 30_000,
  });
  const row = admin.getByTestId('richmenu-row').filter({ hasText: name });
  await expect(row).toContainText('通常');
  await expect(row).toContainText('3 タブ');
  await expect(row.getByTestId('richmenu-state')).toHaveText('未公開');

  // The detail page: the phone preview switches tabs in the console.
  await expectNoAxeViolations(admin, 'richmenus list (one menu)');
  await row.getByRole('link', { name: `${name}の詳細` }).click();
  await expect(admin.getByRole('heading', { level: 1, name })).toBeVisible();
  const preview = admin.getByTestId('phone-preview');
  await expect(preview).toHaveAttribute('data-tab', '0');
  await preview.getByRole('button', { name: /タブ 2 に切り替え/ }).click();
  await expect(preview).toHaveAttribute('data-tab', '1');
  await expect(preview).toContainText('子育てメニュー');
  await expect(admin.getByText('LINE への登録: 登録済み')).toBeVisible();
  await expectNoAxeViolations(admin, 'richmenu detail');

  // Publish as the default: the form, then the confirmation naming the channel and 本番.
  await admin.getByRole('button', { name: '公開する', exact: true }).click();
  const dialog = admin.getByRole('dialog', { name: 'リッチメニューを公開' });
  await expect(dialog.getByLabel('既定のメニュー（友だち全員）')).toBeChecked();
  await expectNoAxeViolations(admin, 'publish dialog');
  await dialog.getByRole('button', { name: '確認へ進む' }).click();
  await expect(dialog.getByTestId('publish-confirm')).toContainText(
    'チャネル: デモ市 公式アカウント（本番）',
  );
  await expect(dialog.getByTestId('publish-confirm')).toContainText('公開先: 既定のメニュー（友だち全員）');
  await expect(dialog).toContainText('本番のチャネルです。');
  await expectNoAxeViolations(admin, 'publish dialog (confirmation)');
  await dialog.getByRole('button', { name: '公開する', exact: true }).click();
  await expect(admin.getByText('公開しました。')).toBeVisible({ timeout: 30_000 });
  await expect(admin.getByTestId('publication-row')).toContainText('既定');
  await expect(admin.getByTestId('publication-row')).toContainText('公開中');

  // The simulator: 3 menus of the group, an alias for each, and the first one as the default.
  const created = (await simRequests(admin, '/v2/bot/richmenu')).filter(
    (r) => r.method === 'POST' && r.status === 200 && String(r.body.name).startsWith(`${name} / `),
  );
  // LINE's menu names: "<group> / <tab> #<tab id>".
  expect(created).toHaveLength(3);
  for (const [i, r] of created.entries())
    expect(String(r.body.name)).toMatch(new RegExp(`^${name} / ${tabs[i]!.label}( |$)`));
  const aliases = (await simRequests(admin, '/v2/bot/richmenu/alias')).filter(
    (r) => r.method === 'POST' && r.status === 200,
  );
  const defaults = (await simRequests(admin, '/v2/bot/user/all/richmenu/*')).filter(
    (r) => r.method === 'POST' && r.status === 200,
  );
  const defaultMenuId = defaults.at(-1)!.path.split('/').at(-1)!;
  const ourAliases = aliases.filter((a) => String(a.body.richMenuAliasId).startsWith('mdg-')).slice(-3);
  expect(ourAliases).toHaveLength(3);
  expect(new Set(ourAliases.map((a) => a.body.richMenuId)).size).toBe(3);
  expect(ourAliases.map((a) => a.body.richMenuId)).toContain(defaultMenuId);

  // A new friend on the virtual phone sees the default: tab 1, its tab areas switch.
  const phone = await (
    await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 }, hasTouch: true })
  ).newPage();
  await phone.goto(`${SIM}/phone/?channel=${CHANNEL}`);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByLabel('表示名').fill(`メニュー ${tag}`);
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');
  const userId = new URL(phone.url()).searchParams.get('user')!;
  const first = await currentMenu(phone, userId);
  expect(first.source).toBe('default');
  expect(first.richMenu.richMenuId).toBe(defaultMenuId);
  expect(first.richMenu.name).toMatch(new RegExp(`^${name} / くらし( |$)`));
  const switchAlias = first.richMenu.areas[0]!.action;
  expect(switchAlias.type).toBe('richmenuswitch');
  expect(ourAliases.map((a) => a.body.richMenuAliasId)).toContain(switchAlias.richMenuAliasId);
  await expect(phone.getByRole('button', { name: /くらしメニュー/ })).toBeVisible();

  const menu = phone.getByRole('group', { name: 'リッチメニュー' });
  if (!(await menu.isVisible())) await phone.getByRole('button', { name: /くらしメニュー/ }).click();
  // The tab bar's areas carry the tabs' names (LINE's action label, read out by screen readers).
  await menu.getByRole('button', { name: '子育て', exact: true }).click();
  await expect(phone.getByRole('button', { name: /子育てメニュー/ })).toBeVisible();
  const second = await currentMenu(phone, userId);
  expect(second.source).toBe('user');
  expect(second.richMenu.name).toMatch(new RegExp(`^${name} / 子育て( |$)`));

  // O-08: the tab switch was counted for tab 1's first area.
  await expect(async () => {
    await admin.reload();
    await expect(admin.getByTestId('taps-0-0')).toHaveText('1', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // Ending the publication gives the channel its previous default again.
  await admin.getByRole('button', { name: '既定 の公開を終了' }).click();
  await admin.getByRole('dialog', { name: '公開の終了' }).getByRole('button', { name: '公開を終了' }).click();
  await expect(admin.getByText('公開を終了しました。')).toBeVisible({ timeout: 30_000 });
  await expect(admin.getByTestId('publication-row')).toContainText('終了');
  const after = await currentMenu(phone, userId);
  expect(after.richMenu.name.startsWith(`${name} / `)).toBe(false);

  // 「テスト友だちに表示」: the phone's friend is made a test friend; the menu reaches only test friends.
  const friends = (await (
    await admin.request.get(`${BASE}/api/friends?q=${encodeURIComponent(`メニュー ${tag}`)}`)
  ).json()) as {
    items: { id: string; lineUserId: string }[];
  };
  const friend = friends.items.find((f) => f.lineUserId === userId)!;
  const { csrfToken } = (await (await admin.request.get(`${BASE}/api/session`)).json()) as {
    csrfToken: string;
  };
  const marked = await admin.request.patch(`${BASE}/api/friends/${friend.id}`, {
    data: { isTest: true },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(marked.status()).toBe(200);
  await admin.getByRole('button', { name: 'テスト友だちに表示' }).click();
  const testRow = admin.getByTestId('publication-row').filter({ hasText: 'テスト友だち' });
  await expect(testRow).toContainText('公開中', { timeout: 30_000 });
  await expect
    .poll(async () => (await currentMenu(phone, userId)).richMenu.name, { timeout: 20_000 })
    .toMatch(new RegExp(`^${name} / くらし( |$)`));
  await testRow.getByRole('button', { name: /の公開を終了$/ }).click();
  await admin.getByRole('dialog', { name: '公開の終了' }).getByRole('button', { name: '公開を終了' }).click();
  await expect(testRow).toContainText('終了', { timeout: 30_000 });
  await expect
    .poll(async () => (await currentMenu(phone, userId)).richMenu.name, { timeout: 20_000 })
    .not.toMatch(new RegExp(`^${name} / `));

  // An uploaded image for tab 3 (here the server's own drawing of it, a 2500 × 1686 PNG): the tab
  // takes the image's size; the server checks LINE's image rules on save.
  const groupId = decodeURIComponent(new URL(admin.url()).hash.split('/').at(-1)!);
  const group = (await (await admin.request.get(`${BASE}/api/richmenus/${groupId}`)).json()) as {
    tabs: { id: string; image: { kind: string } }[];
  };
  const png = await admin.request.get(`${BASE}/api/richmenus/${groupId}/tabs/${group.tabs[2]!.id}/image`);
  expect(png.headers()['content-type']).toContain('image/png');
  await admin.getByRole('link', { name: `${name}を編集` }).click();
  await admin.getByRole('button', { name: /^タブ 3「防災」を編集$/ }).click();
  await admin.getByRole('group', { name: '画像' }).getByLabel('画像をアップロード').check();
  await admin
    .getByLabel('メニューの画像')
    .setInputFiles({ name: 'bousai.png', mimeType: 'image/png', buffer: await png.body() });
  await expect(admin.getByText(/bousai\.png/)).toBeVisible({ timeout: 20_000 });
  // The media module keeps originals at most 2,048 px wide: the tab follows the stored image, and its
  // areas are scaled with it (still inside the image).
  await expect(admin.getByText('画像の大きさ: 2048 × 1381 px')).toBeVisible();
  await expect(admin.getByText('LINE のルールを満たしています。')).toBeVisible();
  await expectNoAxeViolations(admin, 'richmenu editor (uploaded image)');
  await admin.getByRole('button', { name: '保存', exact: true }).click();
  await expect(admin.getByText('リッチメニューを変更し、LINE に登録し直しました。')).toBeVisible({
    timeout: 30_000,
  });
  const saved = (await (await admin.request.get(`${BASE}/api/richmenus/${groupId}`)).json()) as typeof group;
  expect(saved.tabs.map((t) => t.image.kind)).toEqual(['template', 'template', 'media']);

  await phone.context().close();
  await admin.context().close();
});
