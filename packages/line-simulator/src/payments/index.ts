import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { badInput, notFound } from '../sim-errors.ts';
import { objectBody } from '../sim-input.ts';
import { registerCheckoutPages } from './checkout-page.ts';
import { registerStripeApi } from './stripe-api.ts';
import { type FaultMode, type StripeSim as Sim, StripeSim, sessionJson } from './stripe-state.ts';

// The payment stand-in (A-02, issue 15): a Stripe-API-compatible subset the real `stripe` SDK
// talks to (stripe-api.ts), its hosted payment page with test cards and a 3-D Secure challenge
// (checkout-page.ts), and webhooks signed as Stripe signs them, retried with backoff.
//
// /_sim/payments (the tests' and the developer's handle):
//   POST   /_sim/payments/config   {webhookUrl?, webhookSecret?, secretKey?, webhooks?: 'on'|'off',
//                                   retryBaseMs?, maxAttempts?, refunds?: 'succeeded'|'pending'}
//   POST   /_sim/payments/faults   {mode: 'none'|'down'|'timeout'|'lose-response', count?}
//   GET    /_sim/payments/log      requests received, sessions, refunds, events, webhook deliveries
//   POST   /_sim/payments/sessions/:id/pay     {amount?}  pay as with 4242… (amount: a provider-side
//                                               different amount, to test the mismatch check)
//   POST   /_sim/payments/sessions/:id/expire  expire (checkout.session.expired)
//   POST   /_sim/payments/refunds/:id/settle   {status?: 'succeeded'|'failed'}
//   POST   /_sim/payments/events/:id/resend    send an event again (signed anew, as Stripe's resend)
//   POST   /_sim/payments/reset

export { TEST_CARDS } from './checkout-page.ts';
export { StripeSim } from './stripe-state.ts';

const FAULTS: FaultMode[] = ['none', 'down', 'timeout', 'lose-response'];

function optString(v: unknown, name: string): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string' || v.length > 2000) throw badInput(`${name} must be a string`);
  return v;
}

function optInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badInput(`${name} must be an integer ${min}–${max}`);
  }
  return v;
}

export function registerPaymentStandIn(app: FastifyInstance, ctx: SimContext): Sim {
  const sim = new StripeSim(ctx.options.logger);
  const baseUrl = () => ctx.options.publicUrl ?? ctx.baseUrl ?? 'http://127.0.0.1';
  registerStripeApi(app, sim, baseUrl);
  registerCheckoutPages(app, sim);
  app.addHook('onClose', async () => sim.close());

  app.post('/_sim/payments/config', async (req) => {
    const b = objectBody(req.body);
    const webhookUrl = optString(b.webhookUrl, 'webhookUrl');
    if (webhookUrl) {
      try {
        new URL(webhookUrl);
      } catch {
        throw badInput('webhookUrl must be a URL');
      }
    }
    const webhookSecret = optString(b.webhookSecret, 'webhookSecret');
    if (webhookSecret && !/^whsec_\w+$/.test(webhookSecret)) throw badInput('webhookSecret must be whsec_…');
    const secretKey = optString(b.secretKey, 'secretKey');
    if (secretKey && !/^sk_test_\w+$/.test(secretKey))
      throw badInput('secretKey must be sk_test_… (test mode only)');
    if (b.webhooks !== undefined && b.webhooks !== 'on' && b.webhooks !== 'off')
      throw badInput("webhooks must be 'on' or 'off'");
    if (b.refunds !== undefined && b.refunds !== 'succeeded' && b.refunds !== 'pending') {
      throw badInput("refunds must be 'succeeded' or 'pending'");
    }
    const c = sim.config;
    if (webhookUrl !== undefined) c.webhookUrl = webhookUrl;
    if (webhookSecret !== undefined) c.webhookSecret = webhookSecret;
    if (secretKey !== undefined) c.secretKey = secretKey;
    if (b.webhooks !== undefined) c.webhooks = b.webhooks as 'on' | 'off';
    if (b.refunds !== undefined) c.refunds = b.refunds as 'succeeded' | 'pending';
    c.retryBaseMs = optInt(b.retryBaseMs, 'retryBaseMs', 1, 3_600_000) ?? c.retryBaseMs;
    c.maxAttempts = optInt(b.maxAttempts, 'maxAttempts', 1, 50) ?? c.maxAttempts;
    return { ...c, webhookSecret: c.webhookSecret ? 'whsec_…' : null };
  });

  app.post('/_sim/payments/faults', async (req) => {
    const b = objectBody(req.body);
    if (!FAULTS.includes(b.mode as FaultMode)) throw badInput(`mode must be one of ${FAULTS.join(', ')}`);
    const count = optInt(b.count, 'count', 1, 1000);
    sim.fault = { mode: b.mode as FaultMode, remaining: b.mode === 'none' ? null : (count ?? null) };
    return sim.fault;
  });

  app.get('/_sim/payments/log', async () => ({
    requests: sim.requests,
    sessions: [...sim.sessions.values()].map((s) => ({ ...sessionJson(s), line_items: s._lines })),
    paymentIntents: [...sim.intents.values()],
    refunds: [...sim.refunds.values()],
    events: [...sim.events.values()].map((e) => ({ id: e.id, type: e.type, created: e.created })),
    deliveries: sim.deliveries,
  }));

  const session = (id: string) => {
    const s = sim.sessions.get(id);
    if (!s) throw notFound(`no session ${id}`);
    return s;
  };

  app.post<{ Params: { id: string } }>('/_sim/payments/sessions/:id/pay', async (req) => {
    const s = session(req.params.id);
    if (s.status !== 'open') throw badInput(`session is ${s.status}`);
    const b = req.body === undefined ? {} : objectBody(req.body);
    sim.completeSession(s, { amount: optInt(b.amount, 'amount', 0, 99_999_999) });
    return sessionJson(s);
  });

  app.post<{ Params: { id: string } }>('/_sim/payments/sessions/:id/expire', async (req) => {
    const s = session(req.params.id);
    if (s.status !== 'open') throw badInput(`session is ${s.status}`);
    sim.expireSession(s);
    return sessionJson(s);
  });

  app.post<{ Params: { id: string } }>('/_sim/payments/refunds/:id/settle', async (req) => {
    const r = sim.refunds.get(req.params.id);
    if (!r) throw notFound(`no refund ${req.params.id}`);
    if (r.status !== 'pending') throw badInput(`refund is ${r.status}`);
    const b = req.body === undefined ? {} : objectBody(req.body);
    const status = b.status === undefined ? 'succeeded' : b.status;
    if (status !== 'succeeded' && status !== 'failed')
      throw badInput("status must be 'succeeded' or 'failed'");
    sim.settleRefund(r, status);
    return r;
  });

  app.post<{ Params: { id: string } }>('/_sim/payments/events/:id/resend', async (req) => {
    const e = sim.events.get(req.params.id);
    if (!e) throw notFound(`no event ${req.params.id}`);
    sim.deliver(e, 1);
    return { id: e.id, type: e.type };
  });

  app.post('/_sim/payments/reset', async () => {
    sim.reset();
    return {};
  });
  return sim;
}
