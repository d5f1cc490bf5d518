import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimulatorLogger } from '../options.ts';

// The PAY.JP stand-in's state (A-02, issue 15): tokens, charges (with 3-D Secure), events and their
// webhook deliveries (X-Payjp-Webhook-Token, retried with backoff), injected faults and a request log.

export const PAYJP_TEST_CARDS = {
  /** 3-D Secure without a challenge (frictionless): the start page sends the browser straight back. */
  ok: '4242424242424242',
  /** Declined when charged (card_error / card_declined). */
  declined: '4000000000000002',
  /** 3-D Secure with a challenge page (認証する / キャンセル). */
  challenge: '4000000000003220',
} as const;

export type PayjpFaultMode = 'none' | 'down' | 'timeout' | 'lose-response';

export interface PayjpToken {
  id: string;
  object: 'token';
  used: boolean;
  created: number;
  livemode: false;
  card: { object: 'card'; id: string; last4: string; brand: string; exp_month: number; exp_year: number };
  _number: string;
}

export interface PayjpCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: 'jpy';
  paid: boolean;
  captured: boolean;
  captured_at: number | null;
  refunded: boolean;
  refund_reason: string | null;
  failure_code: string | null;
  failure_message: string | null;
  three_d_secure_status: 'unverified' | 'verified' | 'attempted' | 'failed' | 'error' | null;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
  card: PayjpToken['card'];
  _number: string;
}

export interface PayjpEvent {
  id: string;
  object: 'event';
  livemode: false;
  type: string;
  created: number;
  data: Omit<PayjpCharge, '_number'>;
}

export interface PayjpDelivery {
  eventId: string;
  type: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
}

export interface PayjpRequestRecord {
  method: string;
  path: string;
  key: 'secret' | 'public' | 'none' | 'wrong';
  status: number;
  fault: string | null;
  at: string;
}

export interface PayjpConfig {
  secretKey: string;
  publicKey: string;
  webhookUrl: string | null;
  webhookToken: string | null;
  webhooks: 'on' | 'off';
  retryBaseMs: number;
  maxAttempts: number;
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export const chargeJson = (c: PayjpCharge): Omit<PayjpCharge, '_number'> => {
  const { _number, ...rest } = c;
  return rest;
};

export class PayjpSim {
  config: PayjpConfig = PayjpSim.defaults();
  fault: { mode: PayjpFaultMode; remaining: number | null } = { mode: 'none', remaining: null };
  readonly tokens = new Map<string, PayjpToken>();
  readonly charges = new Map<string, PayjpCharge>();
  readonly events = new Map<string, PayjpEvent>();
  readonly deliveries: PayjpDelivery[] = [];
  readonly requests: PayjpRequestRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  private readonly logger: SimulatorLogger;
  constructor(logger: SimulatorLogger) {
    this.logger = logger;
  }

  static defaults(): PayjpConfig {
    return {
      secretKey: 'sk_test_madoguchi_payjp_standin',
      publicKey: 'pk_test_madoguchi_payjp_standin',
      webhookUrl: null,
      webhookToken: null,
      webhooks: 'on',
      retryBaseMs: 1000,
      maxAttempts: 5,
    };
  }

  reset(): void {
    this.config = PayjpSim.defaults();
    this.fault = { mode: 'none', remaining: null };
    this.tokens.clear();
    this.charges.clear();
    this.events.clear();
    this.deliveries.length = 0;
    this.requests.length = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
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

  /** The next injected fault (counts down), or null. */
  takeFault(): PayjpFaultMode | null {
    const f = this.fault;
    if (f.mode === 'none') return null;
    if (f.remaining !== null) {
      f.remaining--;
      if (f.remaining <= 0) this.fault = { mode: 'none', remaining: null };
    }
    return f.mode;
  }

  /** Which key a request's Basic auth carries (PAY.JP: the key as the user name, no password). */
  keyOf(authorization: string | undefined): PayjpRequestRecord['key'] {
    const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (!m) return 'none';
    const user = Buffer.from(m[1]!, 'base64').toString('utf8').replace(/:.*$/, '');
    if (user === this.config.secretKey) return 'secret';
    if (user === this.config.publicKey) return 'public';
    return 'wrong';
  }

  createToken(card: { number: string; exp_month: number; exp_year: number }): PayjpToken {
    const t: PayjpToken = {
      id: newId('tok'),
      object: 'token',
      used: false,
      created: now(),
      livemode: false,
      card: {
        object: 'card',
        id: newId('car'),
        last4: card.number.slice(-4),
        brand: card.number.startsWith('4') ? 'Visa' : 'MasterCard',
        exp_month: card.exp_month,
        exp_year: card.exp_year,
      },
      _number: card.number,
    };
    this.tokens.set(t.id, t);
    return t;
  }

  createCharge(input: {
    token: PayjpToken;
    amount: number;
    description: string | null;
    metadata: Record<string, string>;
    threeDSecure: boolean;
  }): PayjpCharge {
    input.token.used = true;
    const c: PayjpCharge = {
      id: newId('ch'),
      object: 'charge',
      amount: input.amount,
      amount_refunded: 0,
      currency: 'jpy',
      paid: !input.threeDSecure,
      captured: !input.threeDSecure,
      captured_at: input.threeDSecure ? null : now(),
      refunded: false,
      refund_reason: null,
      failure_code: null,
      failure_message: null,
      three_d_secure_status: input.threeDSecure ? 'unverified' : null,
      description: input.description,
      metadata: input.metadata,
      created: now(),
      livemode: false,
      card: input.token.card,
      _number: input.token._number,
    };
    this.charges.set(c.id, c);
    if (!input.threeDSecure) this.emit('charge.succeeded', c);
    return c;
  }

  /** The 3-D Secure result (the start page or its challenge). */
  authenticate(c: PayjpCharge, ok: boolean): void {
    if (c.three_d_secure_status !== 'unverified') return;
    c.three_d_secure_status = ok ? 'verified' : 'failed';
  }

  /** tds_finish: a verified charge is authorised and captured; a failed one fails. */
  finish(c: PayjpCharge): void {
    if (c.three_d_secure_status === 'verified' || c.three_d_secure_status === 'attempted') {
      if (!c.captured) {
        c.paid = true;
        c.captured = true;
        c.captured_at = now();
        this.emit('charge.succeeded', c);
      }
    } else if (c.three_d_secure_status === 'failed' && !c.failure_code) {
      c.failure_code = 'three_d_secure_failed';
      c.failure_message = '3-D Secure authentication failed';
      this.emit('charge.failed', c);
    }
  }

  refund(c: PayjpCharge, amount: number, reason: string | null): void {
    c.amount_refunded = Math.min(c.amount, c.amount_refunded + amount);
    c.refunded = c.amount_refunded >= c.amount;
    c.refund_reason = reason;
    this.emit('charge.refunded', c);
  }

  emit(type: string, c: PayjpCharge): PayjpEvent {
    const e: PayjpEvent = {
      id: newId('evnt'),
      object: 'event',
      livemode: false,
      type,
      created: now(),
      data: structuredClone(chargeJson(c)),
    };
    this.events.set(e.id, e);
    if (this.config.webhooks === 'on') this.deliver(e, 1);
    return e;
  }

  deliver(event: PayjpEvent, attempt: number): void {
    const { webhookUrl, webhookToken } = this.config;
    if (!webhookUrl || !webhookToken || this.closed) return;
    const body = JSON.stringify(event);
    const record: PayjpDelivery = {
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
      this.later(this.config.retryBaseMs * 2 ** (attempt - 1), () => this.deliver(event, attempt + 1));
    };
    fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'PAY.JP Webhook (stand-in)',
        'x-payjp-webhook-token': webhookToken,
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
        this.logger.warn({ eventId: event.id, err: record.error }, 'payjp stand-in: webhook delivery failed');
        retry();
      });
  }

  /**
   * The back_url of the 3-D Secure start: a JWS (HS256, signed with the secret key) whose payload
   * is {"url": "…"}, as PAY.JP documents. The URL, or null when the signature is wrong.
   */
  backUrl(jws: string): string | null {
    const parts = jws.split('.');
    if (parts.length !== 3) return null;
    const [h, p, s] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
      if (header.alg !== 'HS256') return null;
      const expected = createHmac('sha256', this.config.secretKey).update(`${h}.${p}`).digest();
      const given = Buffer.from(s, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { url?: unknown };
      if (typeof payload.url !== 'string') return null;
      const u = new URL(payload.url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
    } catch {
      return null;
    }
  }
}
