import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { BASE, expectNoAxeViolations, SIM, shot } from './console.ts';

// The JPKI stand-in as `npm start` wires it (issue 15, A-01): the server's client is registered at
// the simulator's デジタル認証アプリ stand-in, whose card page is Japanese and accessible (axe,
// labelled controls, the PIN error tied to its field). The whole journey from an application is in
// applications.e2e.ts; here the authorization request is built by hand, so the server does not know
// its state and answers state_invalid — which shows the redirect URI reaches our callback.

const ISSUER = `${SIM}/jpki/api/realms/main`;

function authorizeUrl() {
  const verifier = randomBytes(32).toString('base64url');
  const u = new URL(`${ISSUER}/protocol/openid-connect/auth`);
  u.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'madoguchidev',
    redirect_uri: `${BASE}/api/citizen/identity/callback`,
    scope: 'openid name address birthdate gender',
    state: randomBytes(32).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return u.href;
}

test('A-01: the card page of the JPKI stand-in is accessible; a wrong PIN is explained; the answer reaches our callback', async ({
  browser,
}) => {
  const context = await browser.newContext({
    locale: 'ja-JP',
    viewport: { width: 390, height: 844 },
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(authorizeUrl());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('マイナンバーカードで本人確認');
  await expectNoAxeViolations(page, 'jpki-authorize');
  await shot(page, 'identity-standin-card.png', true);
  await page.getByRole('radio', { name: /平川 太郎/ }).check();
  await page.getByLabel(/利用者証明用暗証番号/).fill('0000');
  await page.getByRole('button', { name: '確認する' }).click();
  await expect(page.getByRole('alert')).toContainText('暗証番号が違います。あと2回');
  const pin = page.getByLabel(/利用者証明用暗証番号/);
  await expect(pin).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'jpki-authorize-wrong-pin');
  await shot(page, 'identity-standin-wrong-pin.png', true);
  await page.getByRole('radio', { name: /平川 花子/ }).check();
  await pin.fill('1234');
  await page.getByRole('button', { name: '確認する' }).click();
  await page.waitForURL(/identityStatus=failed/);
  expect(new URL(page.url()).pathname).toBe('/citizen/');
  expect(new URL(page.url()).searchParams.get('identityError')).toBe('state_invalid');
  await context.close();
});
