import { timingSafeEqual } from 'node:crypto';
import Payjp from 'payjp';
import {
  type CheckoutStatus,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestError,
  ProviderUnavailableError,
  type RefundStatus,
  WebhookSignatureError,
} from './payment-provider.ts';

// PAY.JP through its official SDK (`payjp`). What is here: reading a charge server-side,
// refunds, and webhooks (PAY.JP does not sign its webhooks: it sends the endpoint's token in
// X-Payjp-Webhook-Token, compared in constant time). What is NOT here yet: the checkout — PAY.JP v1
// has no hosted payment page; the card is tokenised in the browser by payjp.js and the charge made
// with three_d_secure=true, then the browser goes through PAY.JP's 3-D Secure page and the server
// finishes it (tds_finish). createCheckout refuses until that card page exists.

export interface PayjpProviderOptions {
  secretKey: string;
  webhookToken: string;
  /** e.g. http://127.0.0.1:4010/payjp/v1 (a stand-in); unset: https://api.pay.jp/v1. */
  apiBase?: string | undefined;
  timeoutMs: number;
}

interface PayjpErrorLike {
  status?: number;
  response?: { body?: { error?: { code?: string; message?: string } } };
  message?: string;
}

function mapError(err: unknown): Error {
  const e = err as PayjpErrorLike;
  const status = e?.status;
  const body = e?.response?.body?.error;
  if (status === undefined || status >= 500 || status === 429) {
    return new ProviderUnavailableError(`PAY.JP unreachable: ${body?.message ?? e?.message ?? String(err)}`);
  }
  return new ProviderRequestError(`PAY.JP refused: ${body?.message ?? e?.message ?? status}`, body?.code);
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw mapError(err);
  }
}

interface PayjpCharge {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  failure_code: string | null;
  three_d_secure_status?: string | null;
  metadata?: Record<string, string | number | boolean> | null;
}

function chargeStatus(c: PayjpCharge): CheckoutStatus {
  const tds = c.three_d_secure_status ?? null;
  const status: CheckoutStatus['status'] =
    c.paid && c.captured && (tds === null || tds === 'verified' || tds === 'attempted')
      ? 'paid'
      : c.failure_code || tds === 'failed' || tds === 'error'
        ? 'failed'
        : 'pending';
  return { status, amount: c.amount, currency: c.currency, providerPaymentRef: c.id };
}

const tokenMatches = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function createPayjpProvider(opts: PayjpProviderOptions): PaymentProvider {
  const payjp = Payjp(opts.secretKey, {
    timeout: opts.timeoutMs,
    maxRetry: 0,
    ...(opts.apiBase ? { apibase: opts.apiBase.replace(/\/+$/, '') } : {}),
  });

  function eventOf(body: unknown): ProviderEvent {
    const e = body as { id?: unknown; type?: unknown; data?: PayjpCharge };
    if (typeof e?.id !== 'string' || typeof e.type !== 'string') throw new Error('not a PAY.JP event');
    const c = e.data;
    if (
      c &&
      typeof c.id === 'string' &&
      (e.type === 'charge.succeeded' || e.type === 'charge.failed' || e.type === 'charge.captured')
    ) {
      return {
        kind: 'checkout',
        eventId: e.id,
        type: e.type,
        providerRef: c.id,
        paymentId: typeof c.metadata?.payment_id === 'string' ? c.metadata.payment_id : null,
        observed: chargeStatus(c),
      };
    }
    if (c && typeof c.id === 'string' && e.type === 'charge.refunded') {
      return {
        kind: 'refund',
        eventId: e.id,
        type: e.type,
        providerRef: c.id,
        providerPaymentRef: c.id,
        paymentId: typeof c.metadata?.payment_id === 'string' ? c.metadata.payment_id : null,
        refundId: null,
        status: c.refunded ? 'succeeded' : 'pending',
      };
    }
    return { kind: 'other', eventId: e.id, type: e.type };
  }

  return {
    name: 'payjp',

    async createCheckout() {
      throw new ProviderRequestError(
        'PAY.JP checkout (payjp.js card page) is not available yet',
        'not_implemented',
      );
    },

    async retrieveCheckout(providerRef): Promise<CheckoutStatus> {
      return chargeStatus((await call(() => payjp.charges.retrieve(providerRef))) as PayjpCharge);
    },

    async expireCheckout() {
      // An unpaid PAY.JP charge is not captured; nothing to cancel.
    },

    async refund(input): Promise<RefundStatus> {
      // The SDK has no idempotency key option: the charge is read first, and a charge already
      // refunded in full is the answer (a retry after a lost answer refunds nothing twice).
      const before = (await call(() => payjp.charges.retrieve(input.providerPaymentRef))) as PayjpCharge;
      if (before.refunded || before.amount_refunded >= input.amount)
        return { providerRef: before.id, status: 'succeeded' };
      const c = (await call(() =>
        payjp.charges.refund(input.providerPaymentRef, {
          amount: input.amount,
          refund_reason: `madoguchi:${input.refundId}`,
        }),
      )) as PayjpCharge;
      return {
        providerRef: c.id,
        status: c.refunded || c.amount_refunded >= input.amount ? 'succeeded' : 'pending',
      };
    },

    async retrieveRefund(providerRef): Promise<RefundStatus> {
      const c = (await call(() => payjp.charges.retrieve(providerRef))) as PayjpCharge;
      return { providerRef: c.id, status: c.refunded ? 'succeeded' : 'pending' };
    },

    parseWebhook(rawBody, headers): ProviderEvent {
      const token = headers['x-payjp-webhook-token'];
      if (typeof token !== 'string' || !tokenMatches(token, opts.webhookToken)) {
        throw new WebhookSignatureError('X-Payjp-Webhook-Token missing or wrong');
      }
      return eventOf(JSON.parse(rawBody.toString('utf8')));
    },

    parseStoredEvent(rawBody): ProviderEvent {
      return eventOf(JSON.parse(rawBody.toString('utf8')));
    },
  };
}
