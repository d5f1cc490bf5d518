import { expect, test } from '@playwright/test';
import { signIn } from './console.ts';

// S-12: the console keeps no personal data in the browser. After a journey through the screens that
// show it (the friends list with names and LINE IDs, consultations, fault reports, applications, the audit
// log), localStorage and sessionStorage hold only the allow-listed keys (the chosen channel's ID and
// the language) and there is no IndexedDB database. The API's answers are not cached (no-store).

const ALLOWED = ['madoguchi.console.channelId', 'madoguchi.console.locale'];

test('S-12: after a console journey the browser keeps only the allow-listed keys, API answers are no-store', async ({
  browser,
}) => {
  const admin = await signIn(browser);
  const apiCaching = new Map<string, string | null>();
  admin.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/'))
      apiCaching.set(url.pathname, res.headers()['cache-control'] ?? null);
  });
  const nav = admin.getByRole('navigation', { name: 'メインメニュー' });
  for (const screen of ['友だち', '相談対応', '通報', '申請', '操作ログ']) {
    const answered = admin.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/'));
    await nav.getByRole('link', { name: screen, exact: true }).click();
    await expect(admin.getByRole('main').getByRole('heading', { level: 1 })).toBeVisible();
    await answered;
  }
  const stored = await admin.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
  }));
  expect(stored.local.filter((k) => !ALLOWED.includes(k))).toEqual([]);
  expect(stored.session).toEqual([]);
  expect(stored.indexedDb).toEqual([]);
  // What is kept is no personal data: a channel ID (a UUID) and a language.
  const values = await admin.evaluate(() => Object.values(localStorage));
  for (const v of values) expect(v).toMatch(/^([0-9a-f-]{36}|ja|en)$/);

  expect(apiCaching.size).toBeGreaterThan(5);
  expect([...apiCaching].filter(([, c]) => c !== 'no-store')).toEqual([]);
  await admin.context().close();
});
