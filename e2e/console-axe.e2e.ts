import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { AXE_TAGS, BASE, shot, signIn } from './console.ts';
import { expectNoCspViolations } from './csp.ts';

test.afterAll(expectNoCspViolations);

// Accessibility of every console screen (issue 9): axe (WCAG 2.1 A and AA) reports no violation on
// any of them. The screens are the console's own route table (`ROUTES` in apps/console/src/App.tsx),
// so a screen added later is walked too. Screens with an id in their path (…/:id/edit, a delivery's
// report, a consultation) are reached by following the links the console itself shows, starting
// from its navigation; the test fails when a route of the table was not reached. An admin walks
// every screen; a counselor walks the screens a counselor has.

/** The `pattern: '…'` entries of the console's route table. */
function routePatterns(): string[] {
  const source = readFileSync(path.resolve(import.meta.dirname, '../apps/console/src/App.tsx'), 'utf8');
  const table = source.slice(
    source.indexOf('const ROUTES'),
    source.indexOf('];', source.indexOf('const ROUTES')),
  );
  const patterns = [...table.matchAll(/pattern:\s*'([^']+)'/g)].map((m) => m[1]!);
  expect(patterns.length).toBeGreaterThan(20);
  return patterns;
}

function matches(pattern: string, p: string): boolean {
  const a = pattern.split('/').filter(Boolean);
  const b = p.split('/').filter(Boolean);
  return a.length === b.length && a.every((part, i) => part.startsWith(':') || part === b[i]);
}

/** Requests in flight (not WebSockets), so a screen is checked once its data has arrived. */
function trackRequests(page: Page) {
  const inflight = new Set<unknown>();
  page.on('request', (r) => {
    if (r.resourceType() !== 'websocket' && r.resourceType() !== 'eventsource') inflight.add(r);
  });
  page.on('requestfinished', (r) => inflight.delete(r));
  page.on('requestfailed', (r) => inflight.delete(r));
  return () => inflight.size;
}

async function settled(page: Page, inflight: () => number) {
  await expect(page.locator('main h1, main h2').first()).toBeVisible();
  await expect.poll(inflight).toBe(0);
  await expect(page.getByRole('status').filter({ hasText: '読み込み中' })).toHaveCount(0);
}

async function axe(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return result.violations.map(
    (v) =>
      `${screen} — ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`)
        .join('\n    ')}`,
  );
}

type Extras = Record<string, (page: Page) => Promise<void>>;

/** Extra states of a screen worth checking: open forms that are closed at first. */
const EXTRA: Extras = {
  // The segment builder with a condition row.
  '/segments/new': async (page) => {
    await page.getByRole('button', { name: '条件全体 に条件を追加' }).click();
    await expect(page.getByRole('group', { name: '条件 1', exact: true })).toBeVisible();
  },
  // A dialog (the shared Dialog component): password reset, opened, not submitted.
  '/accounts': async (page) => {
    await page.getByRole('button', { name: 'パスワード再設定' }).first().click();
    await expect(page.getByRole('dialog')).toBeVisible();
  },
  // The composer with one message of every type (text is there at first).
  '/deliveries/new': async (page) => {
    const add = page.getByRole('group', { name: 'メッセージを追加' });
    for (const type of ['画像', 'リッチメッセージ', 'カード'])
      await add.getByRole('button', { name: `${type}を追加` }).click();
    await expect(page.getByRole('button', { name: /^メッセージ \d を削除$/ })).toHaveCount(4);
  },
  // The registration form designer with an item's editor open.
  '/registration-form': async (page) => {
    await page.getByRole('button', { name: '「受け取りたい情報」を編集' }).click();
    await expect(page.getByLabel('選択肢を追加')).toBeVisible();
  },
  // The fault reports' offline map (the boundary and a marker per report, over the list).
  '/reports': async (page) => {
    await page.getByRole('button', { name: '地図', exact: true }).click();
    await expect(page.getByRole('heading', { name: '通報の地図' })).toBeVisible();
    await expect(page.locator('main svg path').first()).toBeVisible();
  },
  '/settings': async (page) => {
    const start = page.getByRole('button', { name: '二段階認証を設定する' });
    if (await start.isVisible()) {
      await start.click();
      await expect(page.getByText('セットアップキー', { exact: false }).first()).toBeVisible();
    }
  },
  // A rich menu's page with the publish dialog open (not submitted).
  '/richmenus/:id': async (page) => {
    const publish = page.getByRole('button', { name: '公開する', exact: true });
    if (await publish.isVisible()) {
      await publish.click();
      await expect(page.getByRole('dialog', { name: 'リッチメニューを公開' })).toBeVisible();
    }
  },
};

/** A rich menu of the demo channel (made through the API when there is none), so its screens have one. */
async function ensureRichMenu(page: Page) {
  const channels = (await (await page.request.get(`${BASE}/api/channels`)).json()) as {
    id: string;
    lineChannelId: string;
  }[];
  const channelId = channels.find((c) => c.lineChannelId === '2000000001')!.id;
  const list = (await (
    await page.request.get(`${BASE}/api/richmenus?channelId=${channelId}`)
  ).json()) as unknown[];
  if (list.length > 0) return;
  const { csrfToken } = (await (await page.request.get(`${BASE}/api/session`)).json()) as {
    csrfToken: string;
  };
  const created = await page.request.post(`${BASE}/api/richmenus`, {
    headers: { 'x-csrf-token': csrfToken },
    data: {
      channelId,
      name: 'アクセシビリティ確認用メニュー',
      tabs: [
        {
          label: 'くらし',
          chatBarText: 'メニュー',
          size: { width: 2500, height: 843 },
          image: {
            kind: 'template',
            layout: '1x2',
            cells: [
              { label: 'ごみ', icon: 'trash' },
              { label: '避難所', icon: 'shelter' },
            ],
          },
          areas: [
            {
              x: 0,
              y: 0,
              width: 1250,
              height: 843,
              label: 'ごみ',
              action: { type: 'message', text: 'ごみ' },
            },
            {
              x: 1250,
              y: 0,
              width: 1250,
              height: 843,
              label: '避難所',
              action: { type: 'liff', page: 'shelters' },
            },
          ],
        },
      ],
    },
  });
  expect(created.status()).toBe(201);
}

/** The counselor takes the consultation and passes the history gate: the chat with its record panel. */
const COUNSELOR_EXTRA: Extras = {
  '/settings': EXTRA['/settings']!,
  '/consultations/:id': async (page) => {
    const assign = page.getByRole('button', { name: '対応する', exact: true });
    if (await assign.isVisible()) await assign.click();
    const check = page.getByLabel('過去の相談履歴を確認しました');
    const confirm = page.getByRole('button', { name: '確認して対応を始める' });
    await expect(confirm.or(page.getByText('過去の相談履歴は確認済みです。'))).toBeVisible();
    if (await check.isVisible()) await check.check();
    if (await confirm.isVisible()) await confirm.click();
    await expect(page.getByRole('button', { name: '相談を終了' })).toBeVisible();
  },
};

/** The staff manual's pictures of the screens the walk passes (docs/manual/README.md, consultation.md). */
const ADMIN_SHOTS: Extras = {
  '/accounts': (page) => shot(page, 'console-accounts.png'),
  '/ip-allowlists': (page) => shot(page, 'console-ip-allowlists.png'),
  '/audit': (page) => shot(page, 'console-audit.png'),
  '/desks': (page) => shot(page, 'console-desks.png'),
};

/**
 * Visits every screen reachable from the navigation, following the console's links, one path per
 * route pattern (plus the static ones of `required`). Returns the violations and the patterns seen.
 * A screen named in `shots` is photographed for the staff manual as it opens.
 */
async function walk(page: Page, patterns: string[], required: string[], extras: Extras, shots: Extras = {}) {
  const inflight = trackRequests(page);
  const seen = new Map<string, string>(); // pattern → path visited
  const queue: string[] = [];
  // A path's route is the first pattern of the table it matches (`/richmenus/new` before `/richmenus/:id`).
  const routeOf = (p: string) => patterns.find((pt) => matches(pt, p));
  const enqueue = (p: string) => {
    const pattern = routeOf(p);
    if (!pattern || seen.has(pattern) || queue.some((q) => routeOf(q) === pattern)) return;
    queue.push(p);
  };
  const links = async () =>
    (await page.locator('a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))).map(
      (h) => h.slice(1).split('?')[0]!,
    );
  await page.goto(`${BASE}/console/#/settings`);
  await settled(page, inflight);
  for (const p of await links()) enqueue(p);
  for (const p of required) enqueue(p);
  const violations: string[] = [];
  while (queue.length > 0) {
    const p = queue.shift()!;
    const pattern = routeOf(p)!;
    if (seen.has(pattern)) continue;
    seen.set(pattern, p);
    await page.goto(`${BASE}/console/#${p}`);
    await settled(page, inflight);
    await expect(page.getByText('この画面を表示する権限がありません')).toHaveCount(0);
    violations.push(...(await axe(page, p)));
    const picture = shots[pattern];
    if (picture) {
      // The walk keeps the scroll of the screen before: the picture shows the screen from its top.
      await page.evaluate(() => window.scrollTo(0, 0));
      await picture(page);
    }
    const extra = extras[pattern];
    if (extra) {
      await extra(page);
      await settled(page, inflight);
      violations.push(...(await axe(page, `${p} (opened)`)));
    }
    for (const link of await links()) enqueue(link);
  }
  return { violations, seen };
}

/** A web consultation from the school tablet, so the consultation screens have one to show. */
async function startWebConsultation(browser: Browser) {
  const tablet = await (
    await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } })
  ).newPage();
  await tablet.goto(`${BASE}/citizen/consult/ijime`);
  await tablet.getByLabel('アクセスコード').fill('demo-school');
  await tablet.getByRole('button', { name: '相談をはじめる' }).click();
  await tablet.getByLabel('メッセージ').fill('アクセシビリティの確認です');
  await tablet.getByRole('button', { name: '送信', exact: true }).click();
  await expect(tablet.getByTestId('chat-messages')).toContainText('アクセシビリティの確認です');
  return tablet;
}

test('issue 9: axe finds no WCAG 2.1 A/AA violation on any console screen (admin and counselor)', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const patterns = routePatterns();
  const tablet = await startWebConsultation(browser);

  // The admin: every route of the table.
  const admin = await signIn(browser, 'admin', { width: 1280, height: 900 });
  await ensureRichMenu(admin);
  const statics = patterns.filter((p) => !p.includes(':'));
  const adminWalk = await walk(admin, patterns, statics, EXTRA, ADMIN_SHOTS);
  const missed = patterns.filter((p) => !adminWalk.seen.has(p));

  // The counselor: the screens a counselor has (the consultation queue and chat, settings).
  const counselor = await signIn(browser, 'counselor1', { width: 1280, height: 900 });
  const counselorWalk = await walk(counselor, patterns, [], COUNSELOR_EXTRA);
  expect([...counselorWalk.seen.keys()]).toEqual(
    expect.arrayContaining(['/consultations', '/consultations/:id']),
  );

  console.log(`admin walked ${adminWalk.seen.size} screens:`, [...adminWalk.seen.values()].join(' '));
  console.log(
    `counselor1 walked ${counselorWalk.seen.size} screens:`,
    [...counselorWalk.seen.values()].join(' '),
  );
  expect(missed, 'routes of the table that no link reached').toEqual([]);
  expect([...adminWalk.violations, ...counselorWalk.violations.map((v) => `counselor1 ${v}`)]).toEqual([]);
  await tablet.context().close();
});
