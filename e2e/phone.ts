import { type Browser, expect, type Page } from '@playwright/test';
import { expectNoAxeViolations, SIM, shot } from './console.ts';

// The virtual phone (the simulator's /phone/ page) as the journeys use it: a new friend on the demo
// channel, the friend's registration on the LIFF page, and what the simulator received for a friend.

/** The demo channel the virtual phones talk to. */
export const DEMO_LINE_CHANNEL = '2000000001';
const PHONE = { width: 390, height: 844 };

/** A new user on a phone-sized virtual phone who follows the demo channel. */
export async function newPhone(browser: Browser, name: string) {
  const phone = await (
    await browser.newContext({ locale: 'ja-JP', viewport: PHONE, hasTouch: true })
  ).newPage();
  await phone.goto(`${SIM}/phone/?channel=${DEMO_LINE_CHANNEL}`);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByLabel('表示名').fill(name);
  await phone.getByRole('dialog', { name: '新しいユーザー' }).getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');
  return { phone, userId: new URL(phone.url()).searchParams.get('user')! };
}

export type Received = {
  via: string;
  message: { type: string; text?: string; altText?: string; template?: { text?: string } };
};

/** The messages the simulator received for this user on the demo channel, oldest first. */
export async function inbox(page: Page, userId: string) {
  const r = await page.request.get(`${SIM}/_sim/users/${userId}/inbox?channelId=${DEMO_LINE_CHANNEL}`);
  return ((await r.json()) as { messages: Received[] }).messages;
}

export interface Answers {
  year: string;
  gender: string;
  ward: string;
  topics: string[];
}

/**
 * A new user follows on the virtual phone, taps the greeting's button and registers (G-01, G-02).
 * `axe`: the filled-in page is checked; `shot`: and photographed phone-sized for the staff manual.
 */
export async function registerOnPhone(
  browser: Browser,
  name: string,
  answers: Answers,
  options: { axe?: boolean; shot?: string } = {},
) {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const phone = await context.newPage();
  await phone.goto(`${SIM}/phone/?channel=${DEMO_LINE_CHANNEL}`);
  await phone.getByRole('button', { name: '新しいユーザー' }).click();
  const dialog = phone.getByRole('dialog', { name: '新しいユーザー' });
  await dialog.getByLabel('表示名').fill(name);
  await dialog.getByRole('button', { name: '作成' }).click();
  await phone.getByRole('button', { name: '友だち追加' }).click();
  await expect(phone.getByLabel('Webhook応答')).toContainText('200');
  const userId = new URL(phone.url()).searchParams.get('user')!;
  expect(userId).toMatch(/^U[0-9a-f]{32}$/);

  const [form] = await Promise.all([
    phone.waitForEvent('popup'),
    phone.getByRole('button', { name: '受信設定を登録する' }).last().click(),
  ]);
  await expect(form.getByRole('heading', { level: 1 })).toContainText('受信設定');
  await form.getByLabel('生年').fill(answers.year);
  await form.getByRole('group', { name: '性別' }).getByLabel(answers.gender).check();
  await form.getByLabel('区', { exact: true }).selectOption({ label: answers.ward });
  await form.getByLabel('町丁', { exact: true }).selectOption({ index: 1 });
  for (const topic of answers.topics)
    await form.getByRole('group', { name: '受け取りたい情報' }).getByLabel(topic).check();
  if (options.axe) {
    await expectNoAxeViolations(form);
  }
  if (options.shot) {
    await form.setViewportSize(PHONE);
    await form.evaluate(() => window.scrollTo(0, 0));
    await shot(form, options.shot);
  }
  await form.getByRole('button', { name: '登録する' }).click();
  await expect(form.getByRole('heading', { name: '受信設定を保存しました' })).toBeVisible();
  return { phone, userId };
}
