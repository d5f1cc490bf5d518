import {
  CITY_COLORS,
  type TabGroupInput,
  type TabGroupView,
  templateAreas,
} from '@madoguchi/contracts/richmenus.ts';
import { expect, type Page, test } from '@playwright/test';
import { apiOf, BASE, expectNoAxeViolations, MANUAL_SHOTS, SIM, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';
import { inbox, newPhone } from './phone.ts';

test.afterAll(expectNoCspViolations);

// Disaster mode (issue 11, X-01 … X-05): a normal 2-tab group is the default and a friend has a
// personal menu (a tab switch links the second tab to them, which outranks any default); staff switch
// disaster mode on in the console with the two-step confirmation and a prepared draft message; the
// simulator and the virtual phones show the disaster menu to both friends; one friend taps the
// guidance, answers, sends a location and gets the nearest open shelter; staff mark it 満員 and the
// next search skips it; switching off gives both friends their previous menus back. The dashboard
// banner shows for an admin and a supervisor. axe on the page, the dialog and the dashboard.

const CHANNEL = '2000000001';
const SIZE = { width: 2500, height: 843 };

async function currentMenu(page: Page, userId: string) {
  const r = await page.request.get(`${SIM}/_sim/users/${userId}/richmenu?channelId=${CHANNEL}`);
  expect(r.ok()).toBe(true);
  return (await r.json()) as { richMenu: { richMenuId: string; name: string }; source: 'user' | 'default' };
}

/** Opens the phone's rich menu (if folded) and taps the area with this name. */
async function tapMenu(phone: Page, chatBar: RegExp, area: string) {
  const menu = phone.getByRole('group', { name: 'リッチメニュー' });
  if (!(await menu.isVisible())) await phone.getByRole('button', { name: chatBar }).click();
  await menu.getByRole('button', { name: area, exact: true }).click();
}

test('X-01 … X-05: disaster mode reaches a friend with a personal menu and one without; the guidance ends at the nearest open shelter; 満員 is skipped; off restores both menus', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const tag = Date.now().toString(36);
  const normalName = `E2E 平常 ${tag}`;
  const disasterName = `E2E 災害時 ${tag}`;
  const draftTitle = `【災害】避難の呼びかけ ${tag}`;
  const admin = await signIn(browser, 'admin', { width: 1280, height: 900 });
  const api = await apiOf(admin);
  const channels = (await api.get('/api/channels')) as { id: string; lineChannelId: string }[];
  const channelId = channels.find((c) => c.lineChannelId === CHANNEL)!.id;

  // Prepared through the API: a normal 2-tab group published as the default, a disaster group, a draft.
  const tab = (
    label: string,
    chatBarText: string,
    i: number,
    count: number,
    cells: [string, string],
    actions: TabGroupInput['tabs'][number]['areas'][number]['action'][],
  ) => ({
    label,
    chatBarText,
    size: SIZE,
    image: {
      kind: 'template' as const,
      layout: '1x2' as const,
      colors: { ...CITY_COLORS },
      cells: [
        { label: cells[0], icon: 'info' as const },
        { label: cells[1], icon: 'shelter' as const },
      ],
    },
    areas: templateAreas('1x2', SIZE, count, i, actions, { tabs: ['ふだん', 'てつづき'], cells }),
  });
  const normal = (await api.post('/api/richmenus', {
    channelId,
    name: normalName,
    kind: 'normal',
    tabs: [
      tab(
        'ふだん',
        'ふだんのメニュー',
        0,
        2,
        ['お知らせ', '避難所'],
        [
          { type: 'message', text: 'お知らせ' },
          { type: 'postback', data: 'action=shelters' },
        ],
      ),
      tab(
        'てつづき',
        '手続きのメニュー',
        1,
        2,
        ['手続き', '避難所'],
        [
          { type: 'message', text: '手続き' },
          { type: 'postback', data: 'action=shelters' },
        ],
      ),
    ],
  })) as TabGroupView;
  expect(normal.status).toBe('ready');
  await api.post(`/api/richmenus/${normal.id}/publications`, { target: 'default' });
  const disaster = (await api.post('/api/richmenus', {
    channelId,
    name: disasterName,
    kind: 'disaster',
    tabs: [
      tab(
        '災害時',
        '災害時メニュー',
        0,
        1,
        ['避難のご案内', '避難所'],
        [
          { type: 'postback', data: 'guide=start' },
          { type: 'postback', data: 'action=shelters' },
        ],
      ),
    ],
  })) as TabGroupView;
  expect(disaster.status).toBe('ready');
  await api.post('/api/deliveries', {
    channelId,
    title: draftTitle,
    messages: [
      {
        type: 'text',
        text: `【${tag}】市内に避難指示が出ています。メニューの「避難のご案内」を押してください。`,
      },
    ],
    audience: { kind: 'all' },
    schedule: { mode: 'draft' },
  });

  // Friend A on a virtual phone sees the default; friend B switches tab (a per-user menu).
  const a = await newPhone(browser, `災害 A ${tag}`);
  const b = await newPhone(browser, `災害 B ${tag}`);
  await tapMenu(b.phone, /ふだんのメニュー/, 'てつづき');
  await expect(b.phone.getByRole('button', { name: /手続きのメニュー/ })).toBeVisible();
  const aBefore = await currentMenu(admin, a.userId);
  const bBefore = await currentMenu(admin, b.userId);
  expect(aBefore).toMatchObject({
    source: 'default',
    richMenu: { name: expect.stringMatching(new RegExp(`^${normalName} / ふだん`)) },
  });
  expect(bBefore).toMatchObject({
    source: 'user',
    richMenu: { name: expect.stringMatching(new RegExp(`^${normalName} / てつづき`)) },
  });

  // The rich menu screens for the manual (rich-menus.md): list, template editor, detail with preview.
  if (MANUAL_SHOTS) {
    await admin.goto(`${BASE}/console/#/richmenus`);
    await expect(admin.getByRole('heading', { level: 1, name: 'リッチメニュー' })).toBeVisible();
    await shot(admin, 'console-richmenus.png');
    await admin.goto(`${BASE}/console/#/richmenus/new`);
    await expect(admin.getByRole('heading', { level: 1, name: 'リッチメニューを作成' })).toBeVisible();
    await shot(admin, 'console-richmenu-editor.png', true);
    await admin.goto(`${BASE}/console/#/richmenus/${normal.id}`);
    await expect(admin.getByTestId('phone-preview')).toBeVisible();
    await shot(admin, 'console-richmenu-detail.png', true);
    // The publish form, opened on the (unpublished) disaster group and closed with Esc.
    await admin.goto(`${BASE}/console/#/richmenus/${disaster.id}`);
    await admin.getByRole('button', { name: '公開する', exact: true }).click();
    const publishForm = admin.getByRole('dialog', { name: 'リッチメニューを公開' });
    await publishForm.getByLabel('期間を指定する（予約）').check();
    await shot(admin, 'console-richmenu-publish.png');
    await admin.keyboard.press('Escape');
    await expect(publishForm).toHaveCount(0);
    await admin.goto(`${BASE}/console/#/dashboard`);
  }

  // The disaster page (防災 → 災害モード): 平常; the switch asks for a menu first.
  await admin.getByRole('navigation').getByRole('link', { name: '災害モード' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: '災害モード' })).toBeVisible();
  await expect(admin.getByTestId('disaster-state')).toContainText('平常');
  await admin.getByRole('button', { name: '災害モードにする' }).click();
  await expect(admin.getByLabel('切り替える災害用メニュー')).toHaveAttribute('aria-invalid', 'true');
  await admin.getByLabel('切り替える災害用メニュー').selectOption({ label: disasterName });
  await admin.getByRole('checkbox', { name: '切り替えた直後に、準備しておいたメッセージを送る' }).check();
  await admin
    .getByLabel('送るメッセージ（下書き）')
    .selectOption({ label: `${draftTitle}（送り先: 友だち全員）` });
  const big = (await admin.getByRole('button', { name: '災害モードにする' }).boundingBox())!;
  expect(big.height).toBeGreaterThanOrEqual(44);
  await expectNoAxeViolations(admin, 'disaster page (normal)');
  await shot(admin, 'console-disaster-off.png', true);

  // Step 1 shows what will happen; Esc cancels without switching.
  await admin.getByRole('button', { name: '災害モードにする' }).click();
  const dialog = admin.getByRole('dialog', { name: '災害モードに切り替えますか？' });
  await expect(dialog.getByTestId('disaster-confirm')).toContainText(
    'チャネル: デモ市 公式アカウント（本番）',
  );
  await expect(dialog.getByTestId('disaster-confirm')).toContainText(/対象の友だち: [\d,]+ 人/);
  await expect(dialog.getByTestId('disaster-confirm')).toContainText(`表示するメニュー: ${disasterName}`);
  await expect(dialog.getByTestId('disaster-confirm')).toContainText(
    `送るメッセージ: ${draftTitle}（友だち全員）`,
  );
  await expectNoAxeViolations(admin, 'disaster confirmation dialog');
  await shot(admin, 'console-disaster-confirm.png');
  await admin.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(admin.getByTestId('disaster-state')).toContainText('平常');
  expect((await currentMenu(admin, a.userId)).richMenu.richMenuId).toBe(aBefore.richMenu.richMenuId);

  // Step 2: switch. Both outcomes are shown: the switch and the message.
  await admin.getByRole('button', { name: '災害モードにする' }).click();
  await dialog.getByRole('button', { name: '切り替える' }).click();
  await expect(admin.getByTestId('disaster-outcome-success').first()).toHaveText('災害モードにしました。', {
    timeout: 30_000,
  });
  await expect(admin.getByText(`メッセージ「${draftTitle}」の配信を始めました。`)).toBeVisible();
  await expect(admin.getByTestId('disaster-state')).toContainText('災害モード');
  await expect(admin.getByTestId('disaster-state')).toContainText(`表示中のメニュー: ${disasterName}`);
  await expect(admin.getByTestId('disaster-state')).toContainText('切り替えた人: ');
  await expect(admin.getByTestId('disaster-state')).not.toContainText(
    '友だち一人ひとりのメニューを切り替えています',
    { timeout: 30_000 },
  );
  await expectNoAxeViolations(admin, 'disaster page (on)');
  await shot(admin, 'console-disaster-on.png');

  // The simulator: both friends' effective menu is the disaster menu (B's per-user link too).
  const disasterMenu = new RegExp(`^${disasterName} / 災害時`);
  await expect
    .poll(async () => (await currentMenu(admin, a.userId)).richMenu.name, { timeout: 30_000 })
    .toMatch(disasterMenu);
  await expect
    .poll(async () => (await currentMenu(admin, b.userId)).richMenu.name, { timeout: 30_000 })
    .toMatch(disasterMenu);
  // The virtual phones show it too, and the prepared message arrived.
  await expect(a.phone.getByRole('button', { name: /災害時メニュー/ })).toBeVisible({ timeout: 20_000 });
  await expect(b.phone.getByRole('button', { name: /災害時メニュー/ })).toBeVisible({ timeout: 20_000 });
  await shot(b.phone, 'phone-disaster-menu.png');
  await expect
    .poll(async () => (await inbox(admin, a.userId)).some((m) => m.message.text?.includes(`【${tag}】`)), {
      timeout: 30_000,
    })
    .toBe(true);

  // The dashboard banner, for an admin and for a supervisor (who may not switch: no link).
  await admin.getByRole('navigation').getByRole('link', { name: 'ダッシュボード' }).click();
  const banner = admin.getByTestId('disaster-banner');
  await expect(banner).toContainText(/災害モード中（\d{1,2}時\d{2}分から）/);
  await expect(banner.getByRole('link', { name: '災害モードの画面へ' })).toBeVisible();
  await expectNoAxeViolations(admin, 'dashboard with the disaster banner');
  await shot(admin, 'console-dashboard-disaster.png');
  const supervisor = await signIn(browser, 'supervisor1');
  await supervisor.goto(`${BASE}/console/#/dashboard`);
  await expect(supervisor.getByTestId('disaster-banner')).toContainText('災害モード中（');
  await expect(supervisor.getByTestId('disaster-banner').getByRole('link')).toHaveCount(0);
  await supervisor.context().close();

  // A follows the guidance on the phone: the menu area, three answers, then the location.
  await tapMenu(a.phone, /災害時メニュー/, '避難のご案内');
  const chips = a.phone.getByRole('group', { name: 'クイックリプライ' });
  await expect(a.phone.getByText('いまどこにいますか？', { exact: false }).last()).toBeVisible();
  await chips.getByRole('button', { name: '自宅' }).click();
  await expect(a.phone.getByText('周りは安全ですか？').last()).toBeVisible();
  await chips.getByRole('button', { name: '危険を感じる' }).click();
  await expect(a.phone.getByText('助けが必要ですか？').last()).toBeVisible();
  await chips.getByRole('button', { name: '必要' }).click();
  await expect(a.phone.getByText('・火事・救急：119').last()).toBeVisible();
  await chips.getByRole('button', { name: '位置情報を送る' }).click();
  await a.phone
    .getByRole('dialog', { name: '位置情報を送信' })
    .getByRole('button', { name: 'この位置を送信' })
    .click();
  const carousel = async () =>
    (await inbox(admin, a.userId)).filter(
      (m) => m.message.type === 'flex' && m.message.altText?.startsWith('近くの開設中の避難所'),
    );
  await expect.poll(async () => (await carousel()).length, { timeout: 30_000 }).toBe(1);
  const nearest = /^近くの開設中の避難所: 1\. (.+?)（約/.exec((await carousel())[0]!.message.altText!)![1]!;
  await expect(a.phone.getByText(nearest).first()).toBeVisible();
  await shot(a.phone, 'phone-disaster-guide.png');

  // Staff mark it 満員 on the shelters page; the next search skips it.
  await admin.goto(`${BASE}/console/#/shelters`);
  const card = admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: nearest }) });
  await card.getByRole('button', { name: `${nearest}を「満員」にする` }).click();
  await expect(card).toContainText('現在: 満員');
  await a.phone.getByLabel('メッセージを入力').fill('避難所');
  await a.phone.getByLabel('メッセージを入力').press('Enter');
  await chips.getByRole('button', { name: '位置情報を送る' }).click();
  await a.phone
    .getByRole('dialog', { name: '位置情報を送信' })
    .getByRole('button', { name: 'この位置を送信' })
    .click();
  await expect.poll(async () => (await carousel()).length, { timeout: 30_000 }).toBe(2);
  expect((await carousel())[1]!.message.altText).not.toContain(nearest);
  await card.getByRole('button', { name: `${nearest}を「開設」にする` }).click();
  await expect(card).toContainText('現在: 開設');

  // Off: the two steps again; each friend gets their previous menu back.
  await admin.goto(`${BASE}/console/#/disaster`);
  await admin.getByRole('button', { name: '平常に戻す' }).click();
  const off = admin.getByRole('dialog', { name: '平常に戻しますか？' });
  await expect(off.getByTestId('disaster-confirm')).toContainText('一人ひとりの元のメニュー');
  await off.getByRole('button', { name: '切り替える' }).click();
  await expect(admin.getByText('平常に戻しました。', { exact: false })).toBeVisible({ timeout: 30_000 });
  await expect(admin.getByTestId('disaster-state')).toContainText('平常', { timeout: 30_000 });
  await expect
    .poll(async () => (await currentMenu(admin, a.userId)).richMenu.richMenuId, { timeout: 30_000 })
    .toBe(aBefore.richMenu.richMenuId);
  await expect
    .poll(async () => (await currentMenu(admin, b.userId)).richMenu.richMenuId, { timeout: 30_000 })
    .toBe(bBefore.richMenu.richMenuId);
  expect((await currentMenu(admin, b.userId)).source).toBe('user');
  await expect(a.phone.getByRole('button', { name: /ふだんのメニュー/ })).toBeVisible({ timeout: 20_000 });
  await expect(b.phone.getByRole('button', { name: /手続きのメニュー/ })).toBeVisible({ timeout: 20_000 });
  await admin.goto(`${BASE}/console/#/dashboard`);
  await expect(admin.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();
  await expect(admin.getByTestId('disaster-banner')).toHaveCount(0);

  // The demo as it was: the normal group's publication ended.
  const view = (await api.get(`/api/richmenus/${normal.id}`)) as TabGroupView;
  const live = view.publications.find((p) => p.status === 'active')!;
  const ended = await admin.request.delete(`${BASE}/api/richmenus/${normal.id}/publications/${live.id}`, {
    headers: {
      'x-csrf-token': (
        (await (await admin.request.get(`${BASE}/api/session`)).json()) as { csrfToken: string }
      ).csrfToken,
    },
  });
  expect(ended.ok()).toBe(true);
  await a.phone.context().close();
  await b.phone.context().close();
  await admin.context().close();
});
