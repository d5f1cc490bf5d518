// The payment stand-in (packages/line-simulator/src/payments) wired to the server, for `npm start`,
// the e2e run and the integration tests: Stripe test keys, the real Stripe SDK pointed at the
// stand-in, and our webhook endpoint and its signing secret registered there.

export const STAND_IN_STRIPE = {
  secretKey: 'sk_test_madoguchi_standin_0001',
  webhookSecret: 'whsec_madoguchi_standin_0001',
} as const;

/** The server's environment for Stripe at the stand-in (a simulator at `simulatorUrl`). */
export function stripeStandInEnv(simulatorUrl: string): Record<string, string> {
  return {
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: STAND_IN_STRIPE.secretKey,
    STRIPE_WEBHOOK_SECRET: STAND_IN_STRIPE.webhookSecret,
    STRIPE_API_BASE: simulatorUrl,
  };
}

/** Tells the stand-in our webhook URL and secret (and the only API key it accepts). */
export async function registerAtStripeStandIn(
  simulatorUrl: string,
  serverUrl: string,
  extra: { retryBaseMs?: number; maxAttempts?: number } = {},
): Promise<void> {
  const r = await fetch(`${simulatorUrl}/_sim/payments/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      secretKey: STAND_IN_STRIPE.secretKey,
      webhookUrl: `${serverUrl.replace(/\/+$/, '')}/webhooks/payments/stripe`,
      webhookSecret: STAND_IN_STRIPE.webhookSecret,
      ...extra,
    }),
  });
  if (!r.ok) throw new Error(`payment stand-in config: ${r.status} ${await r.text()}`);
}

// PAY.JP at the stand-in (the simulator's /payjp): test keys, the real `payjp` SDK pointed at it,
// its payjp.js stand-in for the card page, and our webhook URL and token registered there.

export const STAND_IN_PAYJP = {
  secretKey: 'sk_test_madoguchi_payjp_0001',
  publicKey: 'pk_test_madoguchi_payjp_0001',
  webhookToken: 'whook_madoguchi_payjp_standin_0001',
} as const;

/** The server's environment for PAY.JP at the stand-in (a simulator at `simulatorUrl`). */
export function payjpStandInEnv(simulatorUrl: string): Record<string, string> {
  const sim = simulatorUrl.replace(/\/+$/, '');
  return {
    PAYMENT_PROVIDER: 'payjp',
    PAYJP_SECRET_KEY: STAND_IN_PAYJP.secretKey,
    PAYJP_PUBLIC_KEY: STAND_IN_PAYJP.publicKey,
    PAYJP_WEBHOOK_TOKEN: STAND_IN_PAYJP.webhookToken,
    PAYJP_API_BASE: `${sim}/payjp/v1`,
    PAYJP_JS_URL: `${sim}/payjp/pay.js`,
  };
}

/** Tells the PAY.JP stand-in our keys, webhook URL and token. */
export async function registerAtPayjpStandIn(
  simulatorUrl: string,
  serverUrl: string,
  extra: { retryBaseMs?: number; maxAttempts?: number } = {},
): Promise<void> {
  const r = await fetch(`${simulatorUrl}/_sim/payjp/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      secretKey: STAND_IN_PAYJP.secretKey,
      publicKey: STAND_IN_PAYJP.publicKey,
      webhookUrl: `${serverUrl.replace(/\/+$/, '')}/webhooks/payments/payjp`,
      webhookToken: STAND_IN_PAYJP.webhookToken,
      ...extra,
    }),
  });
  if (!r.ok) throw new Error(`PAY.JP stand-in config: ${r.status} ${await r.text()}`);
}
