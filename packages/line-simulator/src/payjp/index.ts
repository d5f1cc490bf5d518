import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';
import { badInput, notFound } from '../sim-errors.ts';
import { objectBody } from '../sim-input.ts';
import { registerPayjpApi } from './payjp-api.ts';
import { chargeJson, type PayjpFaultMode, PayjpSim } from './payjp-state.ts';

// The PAY.JP stand-in (A-02, issue 15): the API subset the official `payjp` SDK and payjp.js use
// (payjp-api.ts, under /payjp/v1), a payjp.js v2 stand-in at /payjp/pay.js, the 3-D Secure start
// page with test cards (4242… frictionless, 4000000000000002 declined, 4000000000003220 a challenge
// with 認証する / キャンセル), and webhooks with X-Payjp-Webhook-Token retried with backoff.
//
// /_sim/payjp (the tests' and the developer's handle):
//   POST /_sim/payjp/config  {secretKey?, publicKey?, webhookUrl?, webhookToken?, webhooks?: 'on'|'off',
//                             retryBaseMs?, maxAttempts?}
//   POST /_sim/payjp/faults  {mode: 'none'|'down'|'timeout'|'lose-response', count?}  (server POSTs)
//   GET  /_sim/payjp/log     requests, charges, events, webhook deliveries
//   POST /_sim/payjp/events/:id/resend
//   POST /_sim/payjp/reset

export { PAYJP_TEST_CARDS, PayjpSim } from './payjp-state.ts';

const FAULTS: PayjpFaultMode[] = ['none', 'down', 'timeout', 'lose-response'];

function optString(v: unknown, name: string, re?: RegExp): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string' || v.length > 2000) throw badInput(`${name} must be a string`);
  if (re && !re.test(v)) throw badInput(`${name} has the wrong form`);
  return v;
}

function optInt(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badInput(`${name} must be an integer ${min}–${max}`);
  }
  return v;
}

export function registerPayjpStandIn(app: FastifyInstance, ctx: SimContext): PayjpSim {
  const sim = new PayjpSim(ctx.options.logger);
  registerPayjpApi(app, sim);
  app.addHook('onClose', async () => sim.close());

  app.post('/_sim/payjp/config', async (req) => {
    const b = objectBody(req.body);
    const webhookUrl = optString(b.webhookUrl, 'webhookUrl');
    if (webhookUrl) {
      try {
        new URL(webhookUrl);
      } catch {
        throw badInput('webhookUrl must be a URL');
      }
    }
    const webhookToken = optString(b.webhookToken, 'webhookToken', /^\S{16,}$/);
    const secretKey = optString(b.secretKey, 'secretKey (sk_test_… only)', /^sk_test_\w+$/);
    const publicKey = optString(b.publicKey, 'publicKey (pk_test_… only)', /^pk_test_\w+$/);
    if (b.webhooks !== undefined && b.webhooks !== 'on' && b.webhooks !== 'off')
      throw badInput("webhooks must be 'on' or 'off'");
    const retryBaseMs = optInt(b.retryBaseMs, 'retryBaseMs', 1, 3_600_000);
    const maxAttempts = optInt(b.maxAttempts, 'maxAttempts', 1, 50);
    const c = sim.config;
    if (webhookUrl !== undefined) c.webhookUrl = webhookUrl;
    if (webhookToken !== undefined) c.webhookToken = webhookToken;
    if (secretKey) c.secretKey = secretKey;
    if (publicKey) c.publicKey = publicKey;
    if (b.webhooks !== undefined) c.webhooks = b.webhooks as 'on' | 'off';
    c.retryBaseMs = retryBaseMs ?? c.retryBaseMs;
    c.maxAttempts = maxAttempts ?? c.maxAttempts;
    return { ...c, secretKey: 'sk_test_…', webhookToken: c.webhookToken ? '…' : null };
  });

  app.post('/_sim/payjp/faults', async (req) => {
    const b = objectBody(req.body);
    if (!FAULTS.includes(b.mode as PayjpFaultMode))
      throw badInput(`mode must be one of ${FAULTS.join(', ')}`);
    const count = optInt(b.count, 'count', 1, 1000);
    sim.fault = { mode: b.mode as PayjpFaultMode, remaining: b.mode === 'none' ? null : (count ?? null) };
    return sim.fault;
  });

  app.get('/_sim/payjp/log', async () => ({
    requests: sim.requests,
    charges: [...sim.charges.values()].map(chargeJson),
    events: [...sim.events.values()].map((e) => ({ id: e.id, type: e.type, chargeId: e.data.id })),
    deliveries: sim.deliveries,
  }));

  app.post<{ Params: { id: string } }>('/_sim/payjp/events/:id/resend', async (req) => {
    const e = sim.events.get(req.params.id);
    if (!e) throw notFound(`no event ${req.params.id}`);
    sim.deliver(e, 1);
    return { id: e.id, type: e.type };
  });

  app.post('/_sim/payjp/reset', async () => {
    sim.reset();
    return {};
  });
  return sim;
}
