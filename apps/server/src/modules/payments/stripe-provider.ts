import Stripe from 'stripe';
import {
  type Checkout,
  type CheckoutStatus,
  type CreateCheckoutInput,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestError,
  ProviderUnavailableError,
  type RefundInput,
  type RefundStatus,
  WebhookSignatureError,
} from './payment-provider.ts';

// Stripe through its official SDK: a Checkout Session (mode payment, JPY, card) per payment,
// created with the payment's idempotency key (a retry after a lost answer gets the same session);
// the session read back server-side; refunds with their own idempotency key; webhooks verified with
// `stripe.webhooks.constructEvent` over the raw body and the Stripe-Signature header.
// `apiBase` points the SDK at the local stand-in (packages/line-simulator/src/payments/).

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** e.g. http://127.0.0.1:4010 (the stand-in); unset: api.stripe.com. */
  apiBase?: string | undefined;
  timeoutMs: number;
}

type StripeErrorLike = Error & { type?: string; statusCode?: number; code?: string };

function mapError(err: unknown): Error {
  const e = err as StripeErrorLike;
  if (e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeRateLimitError) {
    return new ProviderUnavailableError(`Stripe unreachable: ${e.message}`);
  }
  if (e instanceof Stripe.errors.StripeAPIError || (e?.statusCode !== undefined && e.statusCode >= 500)) {
    return new ProviderUnavailableError(`Stripe server error: ${e.message}`);
  }
  if (e instanceof Stripe.errors.StripeError) {
    return new ProviderRequestError(`Stripe refused: ${e.message}`, e.code ?? e.type);
  }
  return err instanceof Error ? err : new Error(String(err));
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw mapError(err);
  }
}

const idOf = (v: string | { id: string } | null | undefined): string | null =>
  v == null ? null : typeof v === 'string' ? v : v.id;

function sessionStatus(s: Stripe.Checkout.Session, failed = false): CheckoutStatus {
  const status: CheckoutStatus['status'] = failed
    ? 'failed'
    : s.status === 'expired'
      ? 'canceled'
      : s.status === 'complete' && s.payment_status === 'paid'
        ? 'paid'
        : 'pending';
  return {
    status,
    amount: s.amount_total ?? null,
    currency: s.currency ?? null,
    providerPaymentRef: idOf(s.payment_intent),
  };
}

function refundStatus(r: Stripe.Refund): RefundStatus['status'] {
  if (r.status === 'succeeded') return 'succeeded';
  if (r.status === 'failed' || r.status === 'canceled') return 'failed';
  return 'pending';
}

export function createStripeProvider(opts: StripeProviderOptions): PaymentProvider {
  const base = opts.apiBase ? new URL(opts.apiBase) : null;
  const stripe = new Stripe(opts.secretKey, {
    timeout: opts.timeoutMs,
    maxNetworkRetries: 1,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }
      : {}),
  });

  return {
    name: 'stripe',

    async createCheckout(input: CreateCheckoutInput): Promise<Checkout> {
      const session = await call(() =>
        stripe.checkout.sessions.create(
          {
            mode: 'payment',
            currency: input.currency,
            allowed_payment_method_types: ['card'],
            locale: 'ja',
            line_items: input.lines.map((l) => ({
              quantity: l.quantity,
              price_data: {
                currency: input.currency,
                unit_amount: l.unitAmount,
                product_data: { name: l.label },
              },
            })),
            client_reference_id: input.paymentId,
            metadata: { payment_id: input.paymentId },
            payment_intent_data: {
              description: input.description,
              metadata: { payment_id: input.paymentId },
            },
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url) throw new ProviderRequestError('Stripe answered a Checkout Session without a URL');
      if (session.amount_total !== input.amount) {
        throw new ProviderRequestError(
          `Stripe computed ${session.amount_total} for a payment of ${input.amount}`,
          'amount_mismatch',
        );
      }
      return { providerRef: session.id, redirectUrl: session.url };
    },

    async retrieveCheckout(providerRef: string): Promise<CheckoutStatus> {
      const session = await call(() => stripe.checkout.sessions.retrieve(providerRef));
      return sessionStatus(session);
    },

    async expireCheckout(providerRef: string): Promise<void> {
      try {
        await stripe.checkout.sessions.expire(providerRef);
      } catch (err) {
        const mapped = mapError(err);
        // Already complete or expired: nothing to cancel.
        if (mapped instanceof ProviderRequestError) return;
        throw mapped;
      }
    },

    async refund(input: RefundInput): Promise<RefundStatus> {
      const refund = await call(() =>
        stripe.refunds.create(
          {
            payment_intent: input.providerPaymentRef,
            amount: input.amount,
            reason: 'requested_by_customer',
            metadata: { payment_id: input.paymentId, refund_id: input.refundId },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return { providerRef: refund.id, status: refundStatus(refund) };
    },

    async retrieveRefund(providerRef: string): Promise<RefundStatus> {
      const refund = await call(() => stripe.refunds.retrieve(providerRef));
      return { providerRef: refund.id, status: refundStatus(refund) };
    },

    parseWebhook(rawBody, headers): ProviderEvent {
      const signature = headers['stripe-signature'];
      if (typeof signature !== 'string' || signature === '') {
        throw new WebhookSignatureError('Stripe-Signature header missing');
      }
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, opts.webhookSecret);
      } catch (err) {
        throw new WebhookSignatureError(`Stripe signature refused: ${(err as Error).message}`);
      }
      return eventOf(event);
    },

    parseStoredEvent(rawBody): ProviderEvent {
      return eventOf(JSON.parse(rawBody.toString('utf8')) as Stripe.Event);
    },
  };
}

function eventOf(event: Stripe.Event): ProviderEvent {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const s = event.data.object;
      return {
        kind: 'checkout',
        eventId: event.id,
        type: event.type,
        providerRef: s.id,
        paymentId: s.metadata?.payment_id ?? s.client_reference_id ?? null,
        observed: sessionStatus(s, event.type === 'checkout.session.async_payment_failed'),
      };
    }
    case 'charge.refunded': {
      const c = event.data.object;
      return {
        kind: 'refund',
        eventId: event.id,
        type: event.type,
        providerRef: null,
        providerPaymentRef: idOf(c.payment_intent),
        paymentId: c.metadata?.payment_id ?? null,
        refundId: null,
        status: c.refunded ? 'succeeded' : 'pending',
      };
    }
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed': {
      const r = event.data.object;
      return {
        kind: 'refund',
        eventId: event.id,
        type: event.type,
        providerRef: r.id,
        providerPaymentRef: idOf(r.payment_intent),
        paymentId: r.metadata?.payment_id ?? null,
        refundId: r.metadata?.refund_id ?? null,
        status: refundStatus(r),
      };
    }
    default:
      return { kind: 'other', eventId: event.id, type: event.type };
  }
}
