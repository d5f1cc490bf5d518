// The one shape every payment provider adapter has. Nothing provider-specific leaves an
// adapter: the service speaks only these types. Amounts are integers in yen (JPY has no minor unit).

export interface CheckoutLine {
  label: string;
  unitAmount: number;
  quantity: number;
}

export interface CreateCheckoutInput {
  /** Our payment's ID (sent as metadata / client reference, to find it again from a webhook). */
  paymentId: string;
  amount: number;
  currency: 'jpy';
  lines: CheckoutLine[];
  description: string;
  /** Where the provider sends the browser after paying / canceling (absolute URLs). */
  successUrl: string;
  cancelUrl: string;
  /** The same key for every attempt of one payment: the provider answers a retry with the same checkout. */
  idempotencyKey: string;
}

export interface Checkout {
  /**
   * The provider's ID of the checkout (Stripe: Checkout Session ID); null when nothing exists at the
   * provider yet (PAY.JP: the charge is made when the card page sends its token).
   */
  providerRef: string | null;
  /** Where to send the browser to pay. */
  redirectUrl: string;
}

/** What the provider says about a checkout, asked server-side (never the browser's word). */
export interface CheckoutStatus {
  status: 'pending' | 'paid' | 'failed' | 'canceled';
  /** The amount the provider charged (or will charge) and its currency. */
  amount: number | null;
  currency: string | null;
  /** What a refund names (Stripe: the PaymentIntent). */
  providerPaymentRef: string | null;
}

export interface RefundInput {
  providerPaymentRef: string;
  amount: number;
  /** Our refund's ID (metadata). */
  refundId: string;
  paymentId: string;
  idempotencyKey: string;
}

export interface RefundStatus {
  providerRef: string;
  status: 'pending' | 'succeeded' | 'failed';
}

/** A webhook event, verified and reduced to what the service acts on. */
export type ProviderEvent =
  | {
      kind: 'checkout';
      eventId: string;
      type: string;
      providerRef: string;
      /** Our payment ID as the provider echoes it (metadata), when present. */
      paymentId: string | null;
      observed: CheckoutStatus;
    }
  | {
      kind: 'refund';
      eventId: string;
      type: string;
      /** The refund's ID at the provider, when the event names one. */
      providerRef: string | null;
      providerPaymentRef: string | null;
      paymentId: string | null;
      refundId: string | null;
      status: 'pending' | 'succeeded' | 'failed';
    }
  | { kind: 'other'; eventId: string; type: string };

/** The provider could not be reached or answered with a server error: try again later. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/** The provider refused the request (bad parameters, idempotency conflict, …): retrying will not help. */
export class ProviderRequestError extends Error {
  override name = 'ProviderRequestError';
  readonly providerCode: string | undefined;
  constructor(message: string, providerCode?: string) {
    super(message);
    this.providerCode = providerCode;
  }
}

/** The card was refused (declined, wrong number, 3-D Secure failed): the citizen may try another card. */
export class CardDeclinedError extends ProviderRequestError {
  override name = 'CardDeclinedError';
}

/** The webhook's signature (or token) is missing or wrong: refuse it, change nothing. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/** A card charged from a token made in the browser (PAY.JP: payjp.js), with 3-D Secure. */
export interface CardChargeResult {
  /** The charge (what retrieveCheckout, refunds and webhooks name). */
  chargeRef: string;
  observed: CheckoutStatus;
  /** Where the browser goes for 3-D Secure (null: nothing more to do in the browser). */
  threeDSecureUrl: string | null;
}

/** The card-page part of a provider without a hosted payment page (PAY.JP). */
export interface CardTokenPayments {
  /** The browser SDK (payjp.js) and the public key the card page gives it. */
  readonly jsUrl: string;
  readonly publicKey: string;
  /**
   * Charges our amount with the token, once per payment: a charge already made for `paymentId`
   * (found by its metadata, since `since`) is the answer instead of a second charge.
   */
  chargeCard(input: {
    paymentId: string;
    amount: number;
    token: string;
    description: string;
    since: Date;
    /** Where the browser comes back after 3-D Secure (absolute URL). */
    backUrl: string;
    /** The charge already made for this payment, when we know it: read, never charged again. */
    chargeRef: string | null;
  }): Promise<CardChargeResult>;
  /** Finishes 3-D Secure server-side after the browser came back (PAY.JP: tds_finish). */
  finishThreeDSecure(chargeRef: string): Promise<CheckoutStatus>;
}

export interface PaymentProvider {
  /** 'stripe' | 'payjp' (the webhook path's last segment). */
  readonly name: string;
  createCheckout(input: CreateCheckoutInput): Promise<Checkout>;
  retrieveCheckout(providerRef: string): Promise<CheckoutStatus>;
  /** Cancels an open checkout (best effort: it may already be complete). */
  expireCheckout(providerRef: string): Promise<void>;
  refund(input: RefundInput): Promise<RefundStatus>;
  retrieveRefund(providerRef: string): Promise<RefundStatus>;
  /**
   * Verifies the webhook (signature over the raw body, or the shared token) and parses it; throws
   * WebhookSignatureError when it is not from the provider.
   */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): ProviderEvent;
  /** Parses a body accepted (verified) before, from its stored copy: processing it again. */
  parseStoredEvent(rawBody: Buffer): ProviderEvent;
  /** Present when the checkout is our own card page (PAY.JP): createCheckout's URL is that page. */
  readonly card?: CardTokenPayments;
}
