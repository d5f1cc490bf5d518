import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalParams, decodeStripeForm, type FormValue } from './stripe-form.ts';
import {
  rid,
  type StripeLineItem,
  type StripeRefund,
  type StripeSession,
  type StripeSim,
  sessionJson,
} from './stripe-state.ts';

// The subset of Stripe's API (v1, test mode) the real `stripe` SDK calls for Checkout payments:
//   POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id, POST /v1/checkout/sessions/:id/expire,
//   POST /v1/refunds, GET /v1/refunds/:id, GET /v1/payment_intents/:id
// Form-encoded bodies with bracketed keys, `Authorization: Bearer sk_test_…`, Stripe's error shape
// `{error: {type, code?, message, param?}}`, and Idempotency-Key semantics: the same key with the
// same parameters replays the first answer (`Idempotent-Replayed: true`), with other parameters is
// 400 idempotency_error. Faults (POST /_sim/payments/faults): down (500 api_error), timeout (no
// answer), lose-response (done, then 500: a retry with the key gets the stored answer).

class StripeHttpError extends Error {
  readonly status: number;
  readonly error: { type: string; code?: string; message: string; param?: string };
  constructor(status: number, error: { type: string; code?: string; message: string; param?: string }) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

const invalid = (message: string, param?: string, code?: string) =>
  new StripeHttpError(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });

const missing = (what: string, id: string) =>
  new StripeHttpError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${what}: '${id}'`,
    param: 'id',
  });

type Params = Record<string, FormValue>;

const str = (v: FormValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: FormValue | undefined): Record<string, FormValue> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

function int(v: FormValue | undefined, param: string, min = 0): number {
  const s = str(v);
  if (s === undefined || !/^-?\d+$/.test(s)) throw invalid(`Invalid integer: ${s ?? ''}`, param);
  const n = Number(s);
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, param);
  return n;
}

function metadata(v: FormValue | undefined, param: string): Record<string, string> {
  if (v === undefined || v === '') return {};
  const o = obj(v);
  if (!o) throw invalid('Invalid object', param);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (typeof val !== 'string') throw invalid('Invalid metadata value', `${param}[${k}]`);
    if (k.length > 40 || val.length > 500) throw invalid('Metadata too long', `${param}[${k}]`);
    out[k] = val;
  }
  return out;
}

function validUrl(v: string | undefined, param: string): string {
  if (!v) throw invalid(`Missing required param: ${param}.`, param, 'parameter_missing');
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw invalid('Not a valid URL', param, 'url_invalid');
  }
  return v;
}

function createSession(sim: StripeSim, p: Params, baseUrl: string): StripeSession {
  const known = new Set([
    'mode',
    'currency',
    'line_items',
    'success_url',
    'cancel_url',
    'client_reference_id',
    'metadata',
    'payment_intent_data',
    'payment_method_types',
    'allowed_payment_method_types',
    'locale',
    'expires_at',
    'customer_email',
    'expand',
  ]);
  for (const k of Object.keys(p)) {
    if (!known.has(k)) throw invalid(`Received unknown parameter: ${k}`, k, 'parameter_unknown');
  }
  if (str(p.mode) !== 'payment') throw invalid('The stand-in supports mode=payment only.', 'mode');
  const items = p.line_items;
  if (!Array.isArray(items) || items.length === 0) {
    throw invalid('Missing required param: line_items.', 'line_items', 'parameter_missing');
  }
  const lines: StripeLineItem[] = items.map((raw, i) => {
    const item = obj(raw);
    const pd = obj(item?.price_data);
    if (!item || !pd) throw invalid('Each line item needs price_data.', `line_items[${i}][price_data]`);
    const currency = str(pd.currency);
    if (currency !== 'jpy')
      throw invalid('The stand-in supports currency=jpy only.', `line_items[${i}][price_data][currency]`);
    const unit = int(pd.unit_amount, `line_items[${i}][price_data][unit_amount]`);
    const quantity = int(item.quantity, `line_items[${i}][quantity]`, 1);
    const name = str(obj(pd.product_data)?.name);
    if (!name)
      throw invalid(
        'Missing required param: product_data[name].',
        `line_items[${i}][price_data][product_data][name]`,
      );
    return {
      id: rid('li_'),
      object: 'item',
      description: name,
      quantity,
      currency,
      amount_subtotal: unit * quantity,
      amount_total: unit * quantity,
      price: { object: 'price', currency, unit_amount: unit, product_data_name: name },
    };
  });
  const currency = str(p.currency) ?? 'jpy';
  if (currency !== 'jpy') throw invalid('The stand-in supports currency=jpy only.', 'currency');
  const total = lines.reduce((s, l) => s + l.amount_total, 0);
  if (total > 99_999_999)
    throw invalid('Amount must be no more than ¥99,999,999', 'line_items', 'amount_too_large');
  const methods = p.allowed_payment_method_types ?? p.payment_method_types;
  if (methods !== undefined && (!Array.isArray(methods) || methods.some((m) => m !== 'card'))) {
    throw invalid('The stand-in supports card payments only.', 'payment_method_types');
  }
  const pid = obj(p.payment_intent_data);
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = p.expires_at === undefined ? now + 24 * 3600 : int(p.expires_at, 'expires_at');
  if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
    throw invalid(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      'expires_at',
    );
  }
  const id = rid('cs_test_', 58);
  const session: StripeSession = {
    id,
    object: 'checkout.session',
    amount_subtotal: total,
    amount_total: total,
    cancel_url: p.cancel_url === undefined ? null : validUrl(str(p.cancel_url), 'cancel_url'),
    success_url: validUrl(str(p.success_url), 'success_url'),
    client_reference_id: str(p.client_reference_id) ?? null,
    created: now,
    currency,
    customer_details: null,
    expires_at: expiresAt,
    livemode: false,
    locale: str(p.locale) ?? null,
    metadata: metadata(p.metadata, 'metadata'),
    mode: 'payment',
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    status: 'open',
    url: `${baseUrl}/pay/checkout/${id}`,
    _lines: lines,
    _paymentIntentData: {
      description: str(pid?.description) ?? null,
      metadata: metadata(pid?.metadata, 'payment_intent_data[metadata]'),
    },
    _error: null,
  };
  sim.sessions.set(id, session);
  return session;
}

function createRefund(sim: StripeSim, p: Params): StripeRefund {
  const known = new Set(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
  for (const k of Object.keys(p)) {
    if (!known.has(k)) throw invalid(`Received unknown parameter: ${k}`, k, 'parameter_unknown');
  }
  const piId = str(p.payment_intent);
  const chId = str(p.charge);
  let chargeId: string | null = null;
  if (piId) {
    const pi = sim.intents.get(piId);
    if (!pi) throw missing('payment_intent', piId);
    chargeId = pi.latest_charge;
    if (pi.status !== 'succeeded' || !chargeId) {
      throw invalid(
        `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
        'payment_intent',
      );
    }
  } else if (chId) {
    chargeId = chId;
  } else {
    throw invalid(
      'One of the following params should be provided for this request: payment_intent or charge.',
      undefined,
      'parameter_missing',
    );
  }
  const charge = sim.charges.get(chargeId);
  if (!charge) throw missing('charge', chargeId);
  const pendingTotal = [...sim.refunds.values()]
    .filter((r) => r.charge === charge.id && r.status === 'pending')
    .reduce((s, r) => s + r.amount, 0);
  const remaining = charge.amount - charge.amount_refunded - pendingTotal;
  if (remaining <= 0) {
    throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  }
  const amount = p.amount === undefined ? remaining : int(p.amount, 'amount', 1);
  if (amount > remaining) {
    throw invalid(
      `Refund amount (¥${amount}) is greater than unrefunded amount on charge (¥${remaining})`,
      'amount',
      'amount_too_large',
    );
  }
  const reason = str(p.reason) ?? null;
  if (reason !== null && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) {
    throw invalid('Invalid reason', 'reason');
  }
  const refund: StripeRefund = {
    id: rid('re_'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: Math.floor(Date.now() / 1000),
    currency: charge.currency,
    metadata: metadata(p.metadata, 'metadata'),
    payment_intent: charge.payment_intent,
    reason,
    status: 'pending',
  };
  sim.refunds.set(refund.id, refund);
  sim.emit('refund.created', refund);
  if (sim.config.refunds === 'succeeded') sim.settleRefund(refund, 'succeeded');
  return refund;
}

function checkKey(sim: StripeSim, req: FastifyRequest): void {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer (\S+)$/.exec(auth);
  const key = m?.[1];
  const ok =
    key !== undefined && (sim.config.secretKey ? key === sim.config.secretKey : /^sk_test_\w+$/.test(key));
  if (!ok) {
    const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
    throw new StripeHttpError(401, {
      type: 'invalid_request_error',
      message: key ? `Invalid API Key provided: ${shown}` : 'You did not provide an API key.',
    });
  }
}

export function registerStripeApi(app: FastifyInstance, sim: StripeSim, baseUrl: () => string): void {
  app.register(async (scope) => {
    // Stripe's bodies: bracketed form keys (the simulator's formbody parser would flatten them).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.setErrorHandler((err, _req, reply) => {
      if (err instanceof StripeHttpError) return reply.code(err.status).send({ error: err.error });
      const status = (err as { statusCode?: number }).statusCode ?? 500;
      return reply.code(status).send({
        error: {
          type: status >= 500 ? 'api_error' : 'invalid_request_error',
          message: String((err as Error)?.message ?? err),
        },
      });
    });

    /** Runs one API call: key check, fault, idempotency, request log. */
    async function handle(
      req: FastifyRequest,
      reply: FastifyReply,
      run: (params: Params) => unknown,
    ): Promise<unknown> {
      const path = req.url.split('?')[0]!;
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const log = (status: number, replayed = false, fault: string | null = null) =>
        sim.requests.push({
          at: new Date().toISOString(),
          method: req.method,
          path,
          idempotencyKey: key,
          status,
          replayed,
          fault,
        });
      reply.header('request-id', rid('req_', 14));
      try {
        checkKey(sim, req);
      } catch (err) {
        log(401);
        throw err;
      }
      const fault = sim.takeFault();
      if (fault === 'down') {
        log(500, false, fault);
        throw new StripeHttpError(500, {
          type: 'api_error',
          message: 'The stand-in is down (injected fault).',
        });
      }
      if (fault === 'timeout') {
        log(0, false, fault);
        // No answer: the client's timeout decides (the connection is closed when the app closes).
        await new Promise((resolve) => sim.later(120_000, () => resolve(undefined)));
        throw new StripeHttpError(500, { type: 'api_error', message: 'timeout' });
      }
      const raw = typeof req.body === 'string' ? req.body : '';
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const params = decodeStripeForm(req.method === 'GET' ? query : raw);
      if (!params) {
        log(400);
        throw invalid('Invalid request body');
      }
      if (key && req.method === 'POST') {
        if (key.length > 255) throw invalid('Idempotency-Key must be at most 255 characters.');
        const started = sim.idempotencyStart(key, req.method, path, canonicalParams(params));
        if ('conflict' in started) {
          log(started.conflict === 'params' ? 400 : 409);
          if (started.conflict === 'params') {
            throw new StripeHttpError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            });
          }
          throw new StripeHttpError(409, {
            type: 'idempotency_error',
            code: 'idempotency_key_in_use',
            message:
              'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through).',
          });
        }
        if ('replay' in started) {
          log(started.replay.status, true);
          reply.header('idempotent-replayed', 'true').header('idempotency-key', key);
          return reply.code(started.replay.status).send(started.replay.body);
        }
      }
      let status = 200;
      let body: unknown;
      try {
        body = run(params);
      } catch (err) {
        if (!(err instanceof StripeHttpError)) {
          if (key) sim.idempotencyFinish(key, 500, null);
          log(500);
          throw err;
        }
        status = err.status;
        body = { error: err.error };
      }
      if (key && req.method === 'POST') {
        sim.idempotencyFinish(key, status, body);
        reply.header('idempotency-key', key);
      }
      if (fault === 'lose-response') {
        log(500, false, fault);
        throw new StripeHttpError(500, {
          type: 'api_error',
          message: 'The answer was lost (injected fault).',
        });
      }
      log(status);
      return reply.code(status).send(body);
    }

    const session = (id: string) => {
      const s = sim.sessions.get(id);
      if (!s) throw missing('checkout.session', id);
      return s;
    };

    scope.post('/v1/checkout/sessions', (req, reply) =>
      handle(req, reply, (p) => sessionJson(createSession(sim, p, baseUrl()))),
    );
    scope.get<{ Params: { id: string } }>('/v1/checkout/sessions/:id', (req, reply) =>
      handle(req, reply, () => sessionJson(session(req.params.id))),
    );
    scope.post<{ Params: { id: string } }>('/v1/checkout/sessions/:id/expire', (req, reply) =>
      handle(req, reply, () => {
        const s = session(req.params.id);
        if (s.status !== 'open') {
          throw invalid(
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`,
          );
        }
        sim.expireSession(s);
        return sessionJson(s);
      }),
    );
    scope.get<{ Params: { id: string } }>('/v1/payment_intents/:id', (req, reply) =>
      handle(req, reply, () => {
        const pi = sim.intents.get(req.params.id);
        if (!pi) throw missing('payment_intent', req.params.id);
        return pi;
      }),
    );
    scope.post('/v1/refunds', (req, reply) => handle(req, reply, (p) => createRefund(sim, p)));
    scope.get<{ Params: { id: string } }>('/v1/refunds/:id', (req, reply) =>
      handle(req, reply, () => {
        const r = sim.refunds.get(req.params.id);
        if (!r) throw missing('refund', req.params.id);
        return r;
      }),
    );
  });
}
