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
