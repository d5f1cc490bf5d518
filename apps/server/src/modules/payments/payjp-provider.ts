import { createHmac, timingSafeEqual } from 'node:crypto';
import Payjp from 'payjp';
import {
  type CardChargeResult,
  CardDeclinedError,
  type CardTokenPayments,
  type CheckoutStatus,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestError,
  ProviderUnavailableError,
  type RefundStatus,
  WebhookSignatureError,
} from './payment-provider.ts';

// PAY.JP through its official SDK (`payjp`): reading a charge server-side, refunds, webhooks
// (PAY.JP does not sign its webhooks: it sends the endpoint's token in X-Payjp-Webhook-Token,
// compared in constant time) and the card payment. PAY.JP v1 has no hosted payment page, so the
// checkout is our own card page (payjp-card.routes.ts): createCheckout only names it. The card is
// tokenised in the browser by payjp.js; the server charges OUR amount with `three_d_secure: true`
// and the payment's ID in metadata (PAY.JP's charge API has no idempotency key: before charging,
// the charges since the payment was created are read and one carrying our payment ID is the answer);
// the browser goes to PAY.JP's 3-D Secure start (`/v1/tds/{charge}/start?publickey=…&back_url=…`,
// back_url a JWS HS256 signed with the secret key whose payload is {"url": …}) and comes back to us;
// the server then finishes it (`POST /v1/charges/{id}/tds_finish`) and reads the charge.

export interface PayjpProviderOptions {
  secretKey: string;
  webhookToken: string;
  /** e.g. http://127.0.0.1:4010/payjp/v1 (a stand-in); unset: https://api.pay.jp/v1. */
  apiBase?: string | undefined;
  timeoutMs: number;
  /** The card page (payjp.js) — both needed to take a payment. */
  publicKey?: string | undefined;
  jsUrl?: string | undefined;
  /** Our card page for a payment: `${cardPageBase}/${paymentId}`. */
  cardPageBase?: string | undefined;
}

/** Our card page of a PAY.JP payment: `${PUBLIC_URL}${PAYJP_CARD_PAGE_PATH}/:paymentId`. */
export const PAYJP_CARD_PAGE_PATH = '/pay/payjp';

/** Card errors PAY.JP answers (402 card_error) that another card may fix. */
const CARD_CODES = new Set([
  'card_declined',
  'invalid_number',
  'invalid_cvc',
  'invalid_expiry_month',
  'invalid_expiry_year',
  'expired_card',
  'incorrect_card_data',
  'processing_error',
  'missing_card',
  'unacceptable_brand',
  'token_already_used',
  'already_used_token',
  'three_d_secure_incompleted',
  'three_d_secure_failed',
]);

/** A compact JWS (HS256) of {url}, PAY.JP's back_url format. */
export function payjpBackUrlJws(url: string, secretKey: string): string {
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const p = Buffer.from(JSON.stringify({ url })).toString('base64url');
  const s = createHmac('sha256', secretKey).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${s}`;
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
  if (status === 402 || (body?.code && CARD_CODES.has(body.code))) {
    return new CardDeclinedError(`PAY.JP declined the card: ${body?.message ?? status}`, body?.code);
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

  const apiBase = (opts.apiBase ?? 'https://api.pay.jp/v1').replace(/\/+$/, '');

  /**
   * A charge made for our payment since `since` (its metadata names it): the charges since then are
   * read page by page (100 each, at most 20 pages; a minute earlier for clock skew).
   */
  async function chargeOfPayment(paymentId: string, since: Date): Promise<PayjpCharge | null> {
    const from = Math.floor(since.getTime() / 1000) - 60;
    for (let page = 0; page < 20; page++) {
      const list = (await call(() =>
        payjp.charges.list({ since: from, limit: 100, offset: page * 100 }),
      )) as {
        data?: PayjpCharge[];
        has_more?: boolean;
      };
      const found = (list.data ?? []).find((c) => c.metadata?.payment_id === paymentId);
      if (found) return found;
      if (!list.has_more) return null;
    }
    return null;
  }

  const card: CardTokenPayments | undefined =
    opts.publicKey && opts.jsUrl
      ? {
          jsUrl: opts.jsUrl,
          publicKey: opts.publicKey,
          async chargeCard(input): Promise<CardChargeResult> {
            let c = input.chargeRef
              ? ((await call(() => payjp.charges.retrieve(input.chargeRef!))) as PayjpCharge)
              : await chargeOfPayment(input.paymentId, input.since);
            if (!c) {
              c = (await call(() =>
                payjp.charges.create({
                  card: input.token,
                  amount: input.amount,
                  currency: 'jpy',
                  three_d_secure: true,
                  capture: true,
                  description: input.description.slice(0, 255),
                  metadata: { payment_id: input.paymentId },
                }),
              )) as PayjpCharge;
            }
            const observed = chargeStatus(c);
            const threeDSecureUrl =
              c.three_d_secure_status === 'unverified'
                ? `${apiBase}/tds/${encodeURIComponent(c.id)}/start?${new URLSearchParams({
                    publickey: opts.publicKey!,
                    back_url: payjpBackUrlJws(input.backUrl, opts.secretKey),
                  })}`
                : null;
            return { chargeRef: c.id, observed, threeDSecureUrl };
          },
          async finishThreeDSecure(chargeRef): Promise<CheckoutStatus> {
            const before = (await call(() => payjp.charges.retrieve(chargeRef))) as PayjpCharge;
            // Already finished (a reload of the back URL, the webhook first): the charge is the answer.
            const tds = before.three_d_secure_status ?? null;
            if (tds === null || tds === 'unverified' || before.captured || before.failure_code) {
              return chargeStatus(before);
            }
            try {
              return chargeStatus((await call(() => payjp.charges.tds_finish(chargeRef))) as PayjpCharge);
            } catch (err) {
              if (err instanceof ProviderRequestError) {
                return chargeStatus((await call(() => payjp.charges.retrieve(chargeRef))) as PayjpCharge);
              }
              throw err;
            }
          },
        }
      : undefined;

  return {
    name: 'payjp',
    ...(card ? { card } : {}),

    async createCheckout(input) {
      if (!card || !opts.cardPageBase) {
        throw new ProviderRequestError(
          'PAY.JP needs PAYJP_PUBLIC_KEY for its card page',
          'card_page_unconfigured',
        );
      }
      // Nothing exists at PAY.JP until the card page sends its token: no provider reference yet.
      return {
        providerRef: null,
        redirectUrl: `${opts.cardPageBase.replace(/\/+$/, '')}/${encodeURIComponent(input.paymentId)}`,
      };
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
