import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Locator, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, SERVER_PORT, SIMULATOR_PORT } from './playwright.config.ts';

// What the journeys share: where the product runs, a staff sign-in to the console in a browser
// context of its own, and the axe check (WCAG 2.1 A/AA, JIS X 8341-3).

export const BASE = `http://localhost:${SERVER_PORT}`;
export const SIM = `http://localhost:${SIMULATOR_PORT}`;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Today in Tokyo as YYYY-MM-DD. */
export const today = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

/** Signs in to the console as a demo account (they share the demo's first password). */
export async function signIn(
  browser: Browser,
  loginId = 'admin',
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport });
  const page = await context.newPage();
  await page.goto(`${BASE}/console/`);
  await page.getByLabel('ログインID').fill(loginId);
  await page.getByLabel('パスワード', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByTestId('account-name')).toBeVisible();
  return page;
}

/** No axe violation on the page as it is now; `screen` names it in the failure. */
export async function expectNoAxeViolations(page: Page, screen = page.url()) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const violations = result.violations.map(
    (v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes[0]?.target.join(' ')}`,
  );
  expect(violations).toEqual([]);
}

/** Closes a demo desk for today (an ad-hoc closure), so its chat is out of hours whatever the time. */
export async function closeDeskToday(staff: Page, slug: string) {
  const desks = (await (await staff.request.get(`${BASE}/api/desks`)).json()) as {
    id: string;
    slug: string;
  }[];
  const desk = desks.find((d) => d.slug === slug)!;
  const { csrfToken } = (await (await staff.request.get(`${BASE}/api/session`)).json()) as {
    csrfToken: string;
  };
  const closed = await staff.request.patch(`${BASE}/api/desks/${desk.id}`, {
    data: { closedDates: [today()] },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(closed.status()).toBe(200);
}

export type Api = {
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  patch(path: string, body: unknown): Promise<unknown>;
};

/** The JSON API as the signed-in staff page (its cookie and CSRF token); a non-2xx answer fails the test. */
export async function apiOf(page: Page): Promise<Api> {
  const { csrfToken } = (await (await page.request.get(`${BASE}/api/session`)).json()) as {
    csrfToken: string;
  };
  const check = async (r: Awaited<ReturnType<Page['request']['get']>>) => {
    expect(r.ok(), `${r.url()}: ${r.status()} ${await r.text()}`).toBe(true);
    return r.json();
  };
  const headers = { 'x-csrf-token': csrfToken };
  return {
    get: async (path) => check(await page.request.get(`${BASE}${path}`)),
    post: async (path, body) => check(await page.request.post(`${BASE}${path}`, { data: body, headers })),
    patch: async (path, body) => check(await page.request.patch(`${BASE}${path}`, { data: body, headers })),
  };
}

/**
 * Whether this run writes the staff manual's screenshots: every e2e run does (`npm run test:e2e`),
 * unless MANUAL_SCREENSHOTS=0. Steps that only set a screen up for a screenshot check it too.
 */
export const MANUAL_SHOTS = process.env.MANUAL_SCREENSHOTS !== '0';

/**
 * A screenshot for the staff manual (O-01): docs/images/<name>, which the manual shows (the console
 * serves it at /api/manual/images/<name>), taken where the journey shows what the picture shows, so
 * it never goes stale (manual-images.unit.test.ts: every image docs/manual names is taken here).
 * The page as the journey has it — its viewport (console 1280×800 … 1440×900, phones 390×844) and
 * Japanese locale — once its fonts (Noto Sans JP) and images have loaded, with the caret hidden and
 * animations stopped; `mask` covers what changes on every run when it would distract.
 */
export async function shot(
  page: Page,
  name: string,
  options: boolean | { fullPage?: boolean; mask?: Locator[] } = {},
) {
  if (!MANUAL_SHOTS) return;
  if (!/^[a-z0-9][a-z0-9-]*\.png$/.test(name))
    throw new Error(`manual screenshot name ${name}: a-z, 0-9, - and .png`);
  const { fullPage = false, mask = [] } = typeof options === 'boolean' ? { fullPage: options } : options;
  await page.evaluate(async () => {
    await document.fonts.ready;
    // Lazy images out of view would never load: the picture shows them all.
    const pending = [...document.images].filter((img) => !img.complete || img.loading === 'lazy');
    for (const img of pending) img.loading = 'eager';
    await Promise.all(pending.map((img) => img.decode().catch(() => undefined)));
  });
  await page.screenshot({
    path: new URL(`../docs/images/${name}`, import.meta.url).pathname,
    fullPage,
    mask,
    animations: 'disabled',
    caret: 'hide',
  });
}
