import { createHmac, randomBytes } from 'node:crypto';
import type { SimulatorLogger } from '../options.ts';

// The Stripe stand-in's state (test mode only): Checkout Sessions, PaymentIntents, charges,
// refunds, events and their webhook deliveries, idempotency keys, injected faults, and a log of
// the API requests received. Webhooks are signed exactly as Stripe signs them
// (`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) and retried with
// exponential backoff while the endpoint answers non-2xx or cannot be reached.

export const rid = (prefix: string, n = 24) =>
  `${prefix}${randomBytes(n)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n)}`;

export interface StripeLineItem {
  id: string;
  object: 'item';
  description: string;
  quantity: number;
  currency: string;
  amount_subtotal: number;
  amount_total: number;
  price: { object: 'price'; currency: string; unit_amount: number; product_data_name: string };
}

export interface StripeSession {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  success_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer_details: { email: string | null; name: string | null } | null;
  expires_at: number;
  livemode: false;
  locale: string | null;
  metadata: Record<string, string>;
  mode: 'payment';
  payment_intent: string | null;
  payment_method_types: string[];
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  url: string | null;
  /** Not part of Stripe's object (line_items is expandable): kept aside and removed when answered. */
  _lines: StripeLineItem[];
  _paymentIntentData: { description: string | null; metadata: Record<string, string> };
  /** The last card error shown on the hosted page. */
  _error: string | null;
}

export interface StripePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  created: number;
  description: string | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  status: 'requires_payment_method' | 'requires_action' | 'succeeded' | 'canceled';
  last_payment_error: { code: string; message: string; type: 'card_error' } | null;
}

export interface StripeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  created: number;
  currency: string;
  livemode: false;
  metadata: Record<string, string>;
  paid: boolean;
  payment_intent: string;
  refunded: boolean;
  status: 'succeeded' | 'failed';
}

export interface StripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'pending' | 'succeeded' | 'failed';
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface Delivery {
  eventId: string;
  type: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
}

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
  fault: string | null;
}

export type FaultMode = 'none' | 'down' | 'timeout' | 'lose-response';

export interface StripeSimConfig {
  /** Required Bearer key; unset: any sk_test_… key. */
  secretKey: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** 'off': events are recorded but not sent (a lost webhook). */
  webhooks: 'on' | 'off';
  retryBaseMs: number;
  maxAttempts: number;
  /** 'pending': refunds are answered pending and settle on /_sim/payments/refunds/:id/settle. */
  refunds: 'succeeded' | 'pending';
}

interface IdempotentEntry {
  method: string;
  path: string;
  params: string;
  status: number;
  body: unknown;
  inFlight: boolean;
}

export class StripeSim {
  config: StripeSimConfig = {
    secretKey: null,
    webhookUrl: null,
    webhookSecret: null,
    webhooks: 'on',
    retryBaseMs: 1000,
    maxAttempts: 8,
    refunds: 'succeeded',
  };
  fault: { mode: FaultMode; remaining: number | null } = { mode: 'none', remaining: null };
  readonly sessions = new Map<string, StripeSession>();
  readonly intents = new Map<string, StripePaymentIntent>();
  readonly charges = new Map<string, StripeCharge>();
  readonly refunds = new Map<string, StripeRefund>();
  readonly events = new Map<string, StripeEvent>();
  readonly deliveries: Delivery[] = [];
  readonly requests: LoggedRequest[] = [];
  readonly idempotency = new Map<string, IdempotentEntry>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  apiVersion = '2026-02-25.clover';

  private readonly logger: SimulatorLogger;
  constructor(logger: SimulatorLogger) {
    this.logger = logger;
  }

  /** Takes one fault for an API request (null: none). */
  takeFault(): FaultMode | null {
    if (this.fault.mode === 'none') return null;
    const mode = this.fault.mode;
    if (this.fault.remaining !== null) {
      this.fault.remaining--;
      if (this.fault.remaining <= 0) this.fault = { mode: 'none', remaining: null };
    }
    return mode;
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.sessions.clear();
    this.intents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.events.clear();
    this.deliveries.length = 0;
    this.requests.length = 0;
    this.idempotency.clear();
    this.fault = { mode: 'none', remaining: null };
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  later(ms: number, f: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  // ---- idempotency (Stripe's semantics: same key + same request → the first answer replayed;
  // same key + other parameters → 400 idempotency_error; while the first is in flight → 409)

  idempotencyStart(
    key: string,
    method: string,
    path: string,
    params: string,
  ): { replay: IdempotentEntry } | { conflict: 'params' | 'in_flight' } | { fresh: true } {
    const e = this.idempotency.get(key);
    if (!e) {
      this.idempotency.set(key, { method, path, params, status: 0, body: null, inFlight: true });
      return { fresh: true };
    }
    if (e.method !== method || e.path !== path || e.params !== params) return { conflict: 'params' };
    if (e.inFlight) return { conflict: 'in_flight' };
    return { replay: e };
  }

  idempotencyFinish(key: string, status: number, body: unknown): void {
    const e = this.idempotency.get(key);
    if (!e) return;
    // Stripe keeps the result of a request that ran (2xx and 4xx); a 5xx lets the key be tried again.
    if (status >= 500) this.idempotency.delete(key);
    else Object.assign(e, { status, body, inFlight: false });
  }

  // ---- events and webhooks

  emit(
    type: string,
    object: unknown,
    request: { id: string | null; idempotency_key: string | null } = { id: null, idempotency_key: null },
  ): StripeEvent {
    const event: StripeEvent = {
      id: rid('evt_'),
      object: 'event',
      api_version: this.apiVersion,
      created: Math.floor(Date.now() / 1000),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: this.config.webhookUrl ? 1 : 0,
      request,
      type,
    };
    this.events.set(event.id, event);
    if (this.config.webhooks === 'on') this.deliver(event, 1);
    return event;
  }

  /** The signature header Stripe sends: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>. */
  static signature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
    return `t=${t},v1=${v1}`;
  }

  deliver(event: StripeEvent, attempt: number): void {
    const { webhookUrl, webhookSecret } = this.config;
    if (!webhookUrl || !webhookSecret || this.closed) return;
    const body = JSON.stringify(event, null, 2);
    const record: Delivery = {
      eventId: event.id,
      type: event.type,
      attempt,
      at: new Date().toISOString(),
      status: null,
      error: null,
    };
    this.deliveries.push(record);
    const retry = () => {
      if (attempt >= this.config.maxAttempts) return;
      const wait = this.config.retryBaseMs * 2 ** (attempt - 1);
      this.later(wait, () => this.deliver(event, attempt + 1));
    };
    fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': StripeSim.signature(webhookSecret, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (r) => {
        record.status = r.status;
        await r.arrayBuffer().catch(() => undefined);
        if (r.status < 200 || r.status >= 300) retry();
      })
      .catch((err: unknown) => {
        record.error = String((err as Error)?.message ?? err);
        this.logger.warn(
          { eventId: event.id, err: record.error },
          'stripe stand-in: webhook delivery failed',
        );
        retry();
      });
  }

  // ---- the payment itself (the hosted page or /_sim)

  /** Completes a session as paid by card: PaymentIntent succeeded, a charge, checkout.session.completed. */
  completeSession(s: StripeSession, opts: { amount?: number } = {}): void {
    const now = Math.floor(Date.now() / 1000);
    const amount = opts.amount ?? s.amount_total;
    let pi = s.payment_intent ? this.intents.get(s.payment_intent) : undefined;
    if (!pi) {
      pi = this.newIntent(s);
    }
    const charge: StripeCharge = {
      id: rid('ch_'),
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      captured: true,
      created: now,
      currency: s.currency,
      livemode: false,
      metadata: { ...pi.metadata },
      paid: true,
      payment_intent: pi.id,
      refunded: false,
      status: 'succeeded',
    };
    this.charges.set(charge.id, charge);
    Object.assign(pi, {
      amount,
      amount_received: amount,
      latest_charge: charge.id,
      status: 'succeeded',
      last_payment_error: null,
    });
    Object.assign(s, {
      amount_total: amount,
      payment_intent: pi.id,
      payment_status: 'paid',
      status: 'complete',
      url: null,
      _error: null,
      customer_details: { email: 'test-payer@example.com', name: null },
    });
    this.emit('payment_intent.succeeded', pi);
    this.emit('charge.succeeded', charge);
    this.emit('checkout.session.completed', sessionJson(s));
  }

  newIntent(s: StripeSession): StripePaymentIntent {
    const pi: StripePaymentIntent = {
      id: rid('pi_'),
      object: 'payment_intent',
      amount: s.amount_total,
      amount_received: 0,
      currency: s.currency,
      created: Math.floor(Date.now() / 1000),
      description: s._paymentIntentData.description,
      latest_charge: null,
      livemode: false,
      metadata: { ...s._paymentIntentData.metadata },
      status: 'requires_payment_method',
      last_payment_error: null,
    };
    this.intents.set(pi.id, pi);
    s.payment_intent = pi.id;
    return pi;
  }

  declineSession(s: StripeSession, code: string, message: string): void {
    const pi = (s.payment_intent && this.intents.get(s.payment_intent)) || this.newIntent(s);
    pi.status = 'requires_payment_method';
    pi.last_payment_error = { code, message, type: 'card_error' };
    s._error = message;
    this.emit('payment_intent.payment_failed', pi);
  }

  expireSession(s: StripeSession): void {
    s.status = 'expired';
    s.url = null;
    const pi = s.payment_intent ? this.intents.get(s.payment_intent) : undefined;
    if (pi && pi.status !== 'succeeded') pi.status = 'canceled';
    this.emit('checkout.session.expired', sessionJson(s));
  }

  settleRefund(r: StripeRefund, status: 'succeeded' | 'failed'): void {
    r.status = status;
    const charge = this.charges.get(r.charge);
    if (status === 'succeeded' && charge) {
      charge.amount_refunded += r.amount;
      charge.refunded = charge.amount_refunded >= charge.amount;
      this.emit('refund.updated', r);
      this.emit('charge.refunded', charge);
    } else {
      this.emit('refund.failed', r);
    }
  }
}

/** A session as Stripe answers it (without the stand-in's own fields). */
export function sessionJson(
  s: StripeSession,
): Omit<StripeSession, '_lines' | '_paymentIntentData' | '_error'> {
  const { _lines, _paymentIntentData, _error, ...rest } = s;
  return rest;
}
