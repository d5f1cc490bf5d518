import { startSimulator } from '@madoguchi/line-simulator';
import { createCipher } from '../../../platform/crypto.ts';
import { startTestServer, type TestServer } from '../../../testing/test-server.ts';
import { type PaymentsDeps, paymentsDepsFrom } from '../payments.service.ts';
import {
  payjpStandInEnv,
  registerAtPayjpStandIn,
  registerAtStripeStandIn,
  STAND_IN_PAYJP,
  STAND_IN_STRIPE,
  stripeStandInEnv,
} from '../stand-in-wiring.ts';

// The product wired to the payment stand-in (in the simulator package): PAYMENT_PROVIDER=stripe with
// test keys, the real Stripe SDK pointed at the stand-in, and our webhook URL registered there.
// `{provider: 'payjp'}`: PAYMENT_PROVIDER=payjp against the PAY.JP stand-in (/payjp, /_sim/payjp)
// instead — the real `payjp` SDK, payjp.js stand-in, X-Payjp-Webhook-Token.

export const TEST_STRIPE = STAND_IN_STRIPE;
export const TEST_PAYJP = STAND_IN_PAYJP;

export interface PaymentWorld {
  server: TestServer;
  simUrl: string;
  deps: PaymentsDeps;
  /** Calls the simulator's /_sim/payments API; throws on an error answer. */
  sim$<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  log(): Promise<SimLog>;
  close(): Promise<void>;
}

export interface SimLog {
  requests: {
    method: string;
    path: string;
    idempotencyKey: string | null;
    status: number;
    replayed: boolean;
    fault: string | null;
  }[];
  sessions: {
    id: string;
    status: string;
    amount_total: number;
    url: string | null;
    metadata: Record<string, string>;
  }[];
  refunds: { id: string; status: string; amount: number }[];
  events: { id: string; type: string }[];
  deliveries: { eventId: string; type: string; attempt: number; status: number | null }[];
}

export async function startPaymentWorld(
  env: Record<string, string> = {},
  opts: { provider?: 'stripe' | 'payjp' } = {},
): Promise<PaymentWorld> {
  const sim = await startSimulator({ port: 0 });
  const payjp = opts.provider === 'payjp';
  const server = await startTestServer({
    ...(payjp ? payjpStandInEnv(sim.url) : stripeStandInEnv(sim.url)),
    PAYMENT_TIMEOUT_MS: '3000',
    ...env,
  });
  const sim$ = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${sim.url}${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : null,
    });
    if (r.status >= 300) throw new Error(`simulator ${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  if (payjp) await registerAtPayjpStandIn(sim.url, server.url, { retryBaseMs: 20, maxAttempts: 5 });
  else await registerAtStripeStandIn(sim.url, server.url, { retryBaseMs: 20, maxAttempts: 5 });
  return {
    server,
    simUrl: sim.url,
    deps: paymentsDepsFrom({ config: server.config, cipher: createCipherFor(server) }),
    sim$,
    log: () => sim$<SimLog>('GET', '/_sim/payments/log'),
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

const createCipherFor = (server: TestServer) => createCipher(server.config.ENCRYPTION_KEY);

/**
 * Pays a payment at the stand-in as a citizen paying with 4242… would (no browser): finds the
 * stand-in session of our payment and completes it; the stand-in then sends its signed webhooks.
 * `amount` makes the provider charge another amount (the mismatch check).
 */
export async function payAtStandIn(
  simUrl: string,
  paymentId: string,
  opts: { amount?: number } = {},
): Promise<string> {
  const log = (await (await fetch(`${simUrl}/_sim/payments/log`)).json()) as SimLog;
  const session = log.sessions.find((s) => s.metadata.payment_id === paymentId && s.status === 'open');
  if (!session) throw new Error(`no open stand-in session for payment ${paymentId}`);
  const r = await fetch(`${simUrl}/_sim/payments/sessions/${session.id}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(opts),
  });
  if (!r.ok) throw new Error(`stand-in pay: ${r.status} ${await r.text()}`);
  return session.id;
}
