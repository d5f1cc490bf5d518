import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.ts';
import { createPayjpProvider, PAYJP_CARD_PAGE_PATH } from './payjp-provider.ts';
import {
  CardDeclinedError,
  type CardTokenPayments,
  type CheckoutStatus,
  type PaymentProvider,
  type ProviderEvent,
  ProviderRequestError,
  ProviderUnavailableError,
  WebhookSignatureError,
} from './payment-provider.ts';
import {
  findOpenPayment,
  findPayment,
  findPaymentByPaymentRef,
  findPaymentByProviderRef,
  findRefundOfPayment,
  findWebhookEvent,
  insertPayment,
  insertRefund,
  insertWebhookEvent,
  lockPayment,
  lockRefundOfPayment,
  lockWebhookEvent,
  openRefunds,
  type PaymentRow,
  type RefundRow,
  stalePendingPayments,
  unfinishedWebhookEvents,
  updatePayment,
  updateRefund,
  updateWebhookEvent,
} from './payments.repository.ts';
import { createStripeProvider } from './stripe-provider.ts';

// Online payment (A-02, issue 15): the service other modules call (applications: fees of a
// procedure). The rules:
// - The amount is the sum of the lines the caller computed on the server; nothing from the browser.
// - A payment's idempotency key is stored (committed) before the provider is called; the checkout is
//   created under the payment's row lock, so a double tap gives one payment and one provider checkout,
//   and a retry after the provider was down or its answer was lost gets the same checkout.
// - A payment becomes paid only from the provider's signed webhook or a server-side check
//   (refreshPayment, the reconciler) — never from the browser's redirect — and only when the
//   provider's amount and currency are ours (otherwise it stays pending, flagged for staff).
// - Every transition happens under the row lock; `onPaymentChange` listeners run inside that
//   transaction, once per transition (a replayed webhook or a second check changes nothing).
// - Webhook events are recorded (sealed raw body, unique per provider event ID) before they are
//   processed; one that failed is processed again from its stored body by the reconciler.
//
// For another module (e.g. applications):
//   register(app, deps) {
//     const payments = paymentsDepsFrom(deps);            // one per app (the SDK client built once)
//     onPaymentChange('application', async (trx, p) => { /* p.status: paid|failed|canceled|refunded */ });
//     …routes call startPayment(deps.db, payments, {purpose: 'application', ref: id, lines, …})
//   }
// startPayment and refundPayment take the Db, not a transaction (the provider is called between
// commits). The browser comes back to `returnPath?payment=<id>` (plus `&paymentCanceled=1` from the
// provider's cancel link); call refreshPayment then — it never trusts the redirect. Tests: pay at
// the stand-in with `payAtStandIn` (testing/payment-world.ts) or its hosted page (4242 4242 4242 4242).

export interface PaymentLine {
  label: string;
  unitAmount: number;
  quantity: number;
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'canceled' | 'refunded';

export interface PaymentsDeps {
  /** null when PAYMENT_PROVIDER=none: starting a payment is refused. */
  provider: PaymentProvider | null;
  cipher: Cipher;
  publicUrl: string;
  reconcileAfterMinutes: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } | undefined;
}

export type Trx = Transaction<Database>;
export type PaymentListener = (
  trx: Trx,
  p: { id: string; ref: string; status: string; amount: number },
) => Promise<void>;

// One listener per purpose: registering the purpose again replaces it (an app built twice in one
// process must not call it twice per transition).
const listeners = new Map<string, PaymentListener>();

/**
 * Calls `listener` inside the transaction that moves a payment of `purpose` to paid, failed,
 * canceled or refunded — once per transition. A listener that throws rolls the transition back
 * (the webhook is answered 503 and retried; the reconciler retries the stored event).
 */
export function onPaymentChange(purpose: string, listener: PaymentListener): void {
  listeners.set(purpose, listener);
}

/** The provider adapter the configuration names (null for PAYMENT_PROVIDER=none). */
export function providerFromConfig(config: Config): PaymentProvider | null {
  if (config.PAYMENT_PROVIDER === 'stripe') {
    if (!config.STRIPE_SECRET_KEY || !config.STRIPE_WEBHOOK_SECRET) {
      throw new Error('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET');
    }
    return createStripeProvider({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET,
      apiBase: config.STRIPE_API_BASE,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
    });
  }
  if (config.PAYMENT_PROVIDER === 'payjp') {
    if (!config.PAYJP_SECRET_KEY || !config.PAYJP_WEBHOOK_TOKEN) {
      throw new Error('PAYMENT_PROVIDER=payjp needs PAYJP_SECRET_KEY and PAYJP_WEBHOOK_TOKEN');
    }
    return createPayjpProvider({
      secretKey: config.PAYJP_SECRET_KEY,
      webhookToken: config.PAYJP_WEBHOOK_TOKEN,
      apiBase: config.PAYJP_API_BASE,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      publicKey: config.PAYJP_PUBLIC_KEY,
      jsUrl: config.PAYJP_JS_URL,
      cardPageBase: `${config.PUBLIC_URL.replace(/\/+$/, '')}${PAYJP_CARD_PAGE_PATH}`,
    });
  }
  return null;
}

const depsCache = new WeakMap<Config, PaymentsDeps>();

/**
 * The PaymentsDeps of an app (one per configuration: the provider's SDK client is built once).
 * Another module gets it with `paymentsDepsFrom(moduleDeps)` in its `register`.
 */
export function paymentsDepsFrom(deps: { config: Config; cipher: Cipher }): PaymentsDeps {
  let d = depsCache.get(deps.config);
  if (!d) {
    d = {
      provider: providerFromConfig(deps.config),
      cipher: deps.cipher,
      publicUrl: deps.config.PUBLIC_URL.replace(/\/+$/, ''),
      reconcileAfterMinutes: deps.config.PAYMENT_RECONCILE_AFTER_MINUTES,
    };
    depsCache.set(deps.config, d);
  }
  return d;
}

/** Whether any payment of `purpose` exists (read API). */
export { hasPaymentsOf } from './payments.repository.ts';

// ---- start

const MAX_AMOUNT = 9_999_999;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkInput(input: {
  purpose: string;
  ref: string;
  lines: PaymentLine[];
  description: string;
  returnPath: string;
}): number {
  const problems: { path: string; message: string }[] = [];
  if (!/^[a-z][a-z0-9_.-]{0,49}$/.test(input.purpose))
    problems.push({ path: 'purpose', message: '用途の形式が正しくありません' });
  if (input.ref.length < 1 || input.ref.length > 200)
    problems.push({ path: 'ref', message: '参照の長さが正しくありません' });
  if (input.description.trim().length < 1 || input.description.length > 200) {
    problems.push({ path: 'description', message: '内容は 1〜200 文字です' });
  }
  // A same-origin path: "/x…", never "//host" or "/\\host" (an open redirect).
  if (!/^\/(?![/\\])[^\s\\]*$/.test(input.returnPath) || input.returnPath.length > 500) {
    problems.push({ path: 'returnPath', message: '戻り先はこのサイトのパスで指定してください' });
  }
  if (input.lines.length < 1 || input.lines.length > 20)
    problems.push({ path: 'lines', message: '明細は 1〜20 行です' });
  let amount = 0;
  input.lines.forEach((l, i) => {
    if (l.label.trim().length < 1 || l.label.length > 100)
      problems.push({ path: `lines.${i}.label`, message: '明細名は 1〜100 文字です' });
    if (!Number.isSafeInteger(l.unitAmount) || l.unitAmount < 0 || l.unitAmount > MAX_AMOUNT) {
      problems.push({ path: `lines.${i}.unitAmount`, message: '単価は 0 以上の整数（円）です' });
    }
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > 100) {
      problems.push({ path: `lines.${i}.quantity`, message: '数量は 1〜100 です' });
    }
    amount += l.unitAmount * l.quantity;
  });
  if (problems.length === 0 && (amount < 1 || amount > MAX_AMOUNT)) {
    problems.push({ path: 'lines', message: '合計金額は 1〜9,999,999 円です' });
  }
  if (problems.length) throw badRequest('PAYMENT_INVALID', '支払いの内容が正しくありません', problems);
  return amount;
}

const sameLines = (a: PaymentLine[], b: PaymentLine[]) =>
  a.length === b.length &&
  a.every(
    (l, i) => l.label === b[i]!.label && l.unitAmount === b[i]!.unitAmount && l.quantity === b[i]!.quantity,
  );

function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

const providerDown = () =>
  new AppError(
    503,
    'PAYMENT_PROVIDER_UNAVAILABLE',
    '決済サービスに接続できません。しばらくしてからもう一度お試しください（二重に請求されることはありません）',
  );

function requireProvider(deps: PaymentsDeps): PaymentProvider {
  if (!deps.provider) throw new AppError(503, 'PAYMENTS_DISABLED', 'オンライン決済は利用できません');
  return deps.provider;
}

/**
 * Creates (or, for the same purpose+ref+lines, returns the open) payment and its provider checkout;
 * a double tap gives the same payment and URL. A changed fee cancels the open payment and starts a
 * new one. Takes a Db, not a transaction: the provider is called between commits.
 */
export async function startPayment(
  db: Db,
  deps: PaymentsDeps,
  input: { purpose: string; ref: string; lines: PaymentLine[]; description: string; returnPath: string },
): Promise<{ paymentId: string; url: string; amount: number }> {
  const amount = checkInput(input);
  const provider = requireProvider(deps);
  const lines = input.lines.map((l) => ({ label: l.label, unitAmount: l.unitAmount, quantity: l.quantity }));
  let payment = await findOpenPayment(db, input.purpose, input.ref);
  if (
    payment &&
    (payment.provider !== provider.name || payment.amount !== amount || !sameLines(payment.lines, lines))
  ) {
    await cancelPayment(db, deps, payment);
    payment = null;
  }
  if (!payment) {
    const id = randomUUID();
    payment =
      (await insertPayment(db, {
        id,
        purpose: input.purpose,
        ref: input.ref,
        description: input.description,
        lines: JSON.stringify(lines),
        amount,
        provider: provider.name,
        idempotency_key: `madoguchi-payment-${id}`,
        return_path: input.returnPath,
      })) ?? (await findOpenPayment(db, input.purpose, input.ref));
    if (!payment) throw conflict('PAYMENT_BUSY', '支払いの準備中です。もう一度お試しください');
    if (payment.amount !== amount || !sameLines(payment.lines, lines)) {
      throw conflict('PAYMENT_BUSY', '支払いの準備中です。もう一度お試しください');
    }
  }
  const url = await ensureCheckout(db, deps, provider, payment.id);
  return { paymentId: payment.id, url, amount: payment.amount };
}

/** The payment's checkout URL, creating the provider checkout (once, under the row lock) if needed. */
async function ensureCheckout(db: Db, deps: PaymentsDeps, provider: PaymentProvider, paymentId: string) {
  let failure: Error | null = null;
  const url = await db.transaction().execute(async (trx) => {
    const p = await lockPayment(trx, paymentId);
    if (!p) throw notFound('支払い');
    if (p.status !== 'pending') throw conflict('PAYMENT_CLOSED', 'この支払いは終了しています');
    if (p.checkout_url) return p.checkout_url;
    const back = `${deps.publicUrl}${p.return_path}`;
    try {
      const checkout = await provider.createCheckout({
        paymentId: p.id,
        amount: p.amount,
        currency: 'jpy',
        lines: p.lines,
        description: p.description,
        successUrl: withQuery(back, { payment: p.id }),
        cancelUrl: withQuery(back, { payment: p.id, paymentCanceled: '1' }),
        idempotencyKey: p.idempotency_key,
      });
      await updatePayment(trx, p.id, {
        provider_ref: checkout.providerRef,
        checkout_url: checkout.redirectUrl,
        last_error: null,
      });
      return checkout.redirectUrl;
    } catch (err) {
      failure = err as Error;
      return null;
    }
  });
  if (url) return url;
  const err = failure as Error | null;
  await updatePayment(db, paymentId, { last_error: String(err?.message ?? err).slice(0, 500) });
  if (err instanceof ProviderUnavailableError) throw providerDown();
  if (err instanceof ProviderRequestError) {
    deps.log?.error({ err: err.message, paymentId }, 'payment provider refused a checkout');
    throw new AppError(502, 'PAYMENT_PROVIDER_REFUSED', '決済サービスが支払いを受け付けませんでした');
  }
  throw err ?? new Error('checkout failed');
}

/** Closes an open payment here and at the provider (best effort). */
async function cancelPayment(db: Db, deps: PaymentsDeps, p: PaymentRow): Promise<void> {
  if (p.provider_ref && deps.provider?.name === p.provider) {
    try {
      await deps.provider.expireCheckout(p.provider_ref);
    } catch (err) {
      // The reconciler's later check still sees a payment made on it (flagged paid_after_close).
      deps.log?.warn({ err: String(err), paymentId: p.id }, 'could not expire a replaced checkout');
    }
  }
  await db.transaction().execute((trx) => applyObservation(trx, p.id, { status: 'canceled' }));
}

// ---- transitions

type Observation =
  | ({ status: CheckoutStatus['status'] } & Partial<Omit<CheckoutStatus, 'status'>>)
  | { status: 'refunded' };

/**
 * Applies what the provider said about a payment, under its row lock; calls the listener when the
 * status changed. Returns whether it changed.
 */
async function applyObservation(trx: Trx, paymentId: string, o: Observation): Promise<boolean> {
  const p = await lockPayment(trx, paymentId);
  if (!p) return false;
  const now = new Date();
  let next: PaymentStatus | null = null;
  if (o.status === 'paid' && 'amount' in o) {
    const payRef = o.providerPaymentRef ?? p.provider_payment_ref;
    if (o.amount !== p.amount || (o.currency ?? '').toLowerCase() !== p.currency) {
      if (p.flag !== 'amount_mismatch') {
        await updatePayment(trx, p.id, {
          flag: 'amount_mismatch',
          flagged_at: now,
          provider_amount: o.amount ?? null,
          provider_payment_ref: payRef,
          checked_at: now,
        });
      }
      return false;
    }
    if (p.status === 'pending') {
      await updatePayment(trx, p.id, {
        status: 'paid',
        paid_at: now,
        provider_amount: o.amount,
        provider_payment_ref: payRef,
        checked_at: now,
      });
      next = 'paid';
    } else if (p.status === 'failed' || p.status === 'canceled') {
      // Paid at the provider after we closed it (e.g. a replaced checkout): the money is in; staff decide.
      await updatePayment(trx, p.id, {
        status: 'paid',
        paid_at: now,
        provider_amount: o.amount,
        provider_payment_ref: payRef,
        flag: 'paid_after_close',
        flagged_at: now,
        checked_at: now,
      });
      next = 'paid';
    }
  } else if ((o.status === 'failed' || o.status === 'canceled') && p.status === 'pending') {
    await updatePayment(trx, p.id, { status: o.status, closed_at: now, checked_at: now });
    next = o.status;
  } else if (o.status === 'refunded' && p.status === 'paid') {
    await updatePayment(trx, p.id, { status: 'refunded', closed_at: now });
    next = 'refunded';
  } else if (o.status === 'pending' && p.status === 'pending') {
    await updatePayment(trx, p.id, { checked_at: now });
  }
  if (next === null) return false;
  const listener = listeners.get(p.purpose);
  if (listener) await listener(trx, { id: p.id, ref: p.ref, status: next, amount: p.amount });
  return true;
}

// ---- refresh

export interface PaymentState {
  id: string;
  status: PaymentStatus;
  amount: number;
  purpose: string;
  ref: string;
}

const stateOf = (p: PaymentRow): PaymentState => ({
  id: p.id,
  status: p.status,
  amount: p.amount,
  purpose: p.purpose,
  ref: p.ref,
});

/**
 * The payment's state; a pending one is first checked with the provider server-side (the browser's
 * redirect proves nothing). The provider being down leaves it pending.
 */
export async function refreshPayment(db: Db, deps: PaymentsDeps, paymentId: string): Promise<PaymentState> {
  const p = await findPayment(db, paymentId);
  if (!p) throw notFound('支払い');
  const provider = deps.provider;
  if (p.status === 'pending' && p.provider_ref && provider?.name === p.provider) {
    try {
      // A card-page provider (PAY.JP): a charge whose 3-D Secure passed but whose browser never came
      // back is finished here (tds_finish only when verified and not yet captured; else a read).
      const observed = provider.card
        ? await provider.card.finishThreeDSecure(p.provider_ref)
        : await provider.retrieveCheckout(p.provider_ref);
      await db.transaction().execute((trx) => applyObservation(trx, p.id, observed));
    } catch (err) {
      if (!(err instanceof ProviderUnavailableError || err instanceof ProviderRequestError)) throw err;
      deps.log?.warn({ err: err.message, paymentId }, 'payment check with the provider failed');
    }
  }
  const refund = p.status === 'paid' ? await findRefundOfPayment(db, p.id) : null;
  if (refund && refund.status !== 'succeeded' && refund.status !== 'failed') {
    await settleRefund(db, deps, refund);
  }
  return stateOf((await findPayment(db, paymentId))!);
}

// ---- our card page (a provider without a hosted payment page: PAY.JP)

/** A payment taken on our card page, and the provider's card part; 404 for any other payment. */
export async function cardPayment(
  db: Db,
  deps: PaymentsDeps,
  paymentId: string,
): Promise<{ payment: PaymentRow; card: CardTokenPayments; returnUrl: string }> {
  const p = UUID.test(paymentId) ? await findPayment(db, paymentId) : null;
  const provider = deps.provider;
  if (!p || !provider?.card || p.provider !== provider.name) throw notFound('支払い');
  return {
    payment: p,
    card: provider.card,
    returnUrl: withQuery(`${deps.publicUrl}${p.return_path}`, { payment: p.id }),
  };
}

/** Where the browser comes back from 3-D Secure for a payment (our card page's back route). */
export const cardBackPath = (paymentId: string) => `/pay/payjp/${paymentId}/back`;

const cardDeclined = (code: string | undefined) =>
  new AppError(
    402,
    code === 'three_d_secure_failed' ? 'PAYMENT_3DS_FAILED' : 'PAYMENT_CARD_DECLINED',
    code === 'three_d_secure_failed'
      ? '本人認証（3D セキュア）ができませんでした。もう一度お試しいただくか、別のカードをお使いください'
      : 'カードが承認されませんでした。カードの内容を確かめるか、別のカードをお使いください',
  );

/**
 * The card page sent a token (payjp.js): charges the amount of OUR payment row (never one from the
 * browser), once — under the row lock, the charge already made for this payment (its reference, or
 * one found at the provider by its metadata after a lost answer) is the answer to a second submit.
 * Answers where the browser goes next: the provider's 3-D Secure page, or back to the caller's page.
 */
export async function payWithCardToken(
  db: Db,
  deps: PaymentsDeps,
  input: { paymentId: string; token: string },
): Promise<{ next: 'three_d_secure' | 'return'; url: string }> {
  const { card, returnUrl } = await cardPayment(db, deps, input.paymentId);
  let failure: Error | null = null;
  const next = await db.transaction().execute(async (trx) => {
    const p = await lockPayment(trx, input.paymentId);
    if (!p) throw notFound('支払い');
    if (p.status !== 'pending') return { next: 'return' as const, url: returnUrl };
    try {
      const r = await card.chargeCard({
        paymentId: p.id,
        amount: p.amount,
        token: input.token,
        description: p.description,
        since: p.created_at,
        backUrl: `${deps.publicUrl}${cardBackPath(p.id)}`,
        chargeRef: p.provider_ref,
      });
      await updatePayment(trx, p.id, {
        provider_ref: r.chargeRef,
        provider_payment_ref: r.chargeRef,
        last_error: null,
      });
      if (r.threeDSecureUrl && r.observed.status === 'pending') {
        return { next: 'three_d_secure' as const, url: r.threeDSecureUrl };
      }
      await applyObservation(trx, p.id, r.observed);
      return { next: 'return' as const, url: returnUrl };
    } catch (err) {
      failure = err as Error;
      return null;
    }
  });
  if (next) return next;
  const err = failure as Error | null;
  await updatePayment(db, input.paymentId, { last_error: String(err?.message ?? err).slice(0, 500) });
  if (err instanceof CardDeclinedError) throw cardDeclined(err.providerCode);
  if (err instanceof ProviderUnavailableError) throw providerDown();
  if (err instanceof ProviderRequestError) {
    deps.log?.error(
      { err: err.message, paymentId: input.paymentId },
      'payment provider refused a card charge',
    );
    throw new AppError(502, 'PAYMENT_PROVIDER_REFUSED', '決済サービスが支払いを受け付けませんでした');
  }
  throw err ?? new Error('card charge failed');
}

/**
 * The browser is back from 3-D Secure: the server finishes it at the provider and reads the charge
 * (the redirect itself proves nothing). The provider down leaves the payment pending.
 */
export async function finishCardPayment(
  db: Db,
  deps: PaymentsDeps,
  paymentId: string,
): Promise<PaymentState> {
  const { payment: p, card } = await cardPayment(db, deps, paymentId);
  if (p.status === 'pending' && p.provider_ref) {
    try {
      const observed = await card.finishThreeDSecure(p.provider_ref);
      await db.transaction().execute((trx) => applyObservation(trx, p.id, observed));
    } catch (err) {
      if (!(err instanceof ProviderUnavailableError || err instanceof ProviderRequestError)) throw err;
      deps.log?.warn({ err: err.message, paymentId }, 'finishing 3-D Secure with the provider failed');
    }
  }
  return stateOf((await findPayment(db, paymentId))!);
}

// ---- refunds

/**
 * Refunds a paid payment in full (staff rejected the application); idempotent: a second call
 * changes nothing. 'refund_pending' when the provider has not settled it yet (or is down: the
 * reconciler retries with the same idempotency key).
 */
export async function refundPayment(
  db: Db,
  deps: PaymentsDeps,
  input: { paymentId: string; reason: string; actorId: string },
): Promise<{ status: 'refunded' | 'refund_pending' }> {
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) {
    throw badRequest('PAYMENT_INVALID', '返金の理由は 1〜500 文字です', [
      { path: 'reason', message: '返金の理由は 1〜500 文字です' },
    ]);
  }
  const p = await findPayment(db, input.paymentId);
  if (!p) throw notFound('支払い');
  if (p.status === 'refunded') return { status: 'refunded' };
  if (p.status !== 'paid') throw conflict('PAYMENT_NOT_PAID', '支払い済みではないため返金できません');
  let refund =
    (await insertRefund(db, {
      payment_id: p.id,
      amount: p.amount,
      reason,
      actor_id: UUID.test(input.actorId) ? input.actorId : null,
      idempotency_key: `madoguchi-refund-${p.id}-1`,
    })) ?? (await findRefundOfPayment(db, p.id));
  if (!refund) throw conflict('PAYMENT_BUSY', '返金の準備中です。もう一度お試しください');
  if (refund.status === 'failed') {
    // A refused refund may be asked again: a new key (the old one would replay the refusal).
    const key = `madoguchi-refund-${p.id}-${refund.attempts + 1}`;
    await updateRefund(db, refund.id, {
      status: 'requested',
      idempotency_key: key,
      reason,
      actor_id: input.actorId,
    });
    refund = { ...refund, status: 'requested', idempotency_key: key };
  }
  const staffId = UUID.test(input.actorId) ? input.actorId : null;
  await recordAudit(db, {
    accountId: staffId,
    loginId: null,
    ip: null,
    action: 'payment.refund.request',
    targetType: 'payment',
    targetId: p.id,
    result: 'success',
    detail: {
      amount: p.amount,
      purpose: p.purpose,
      ref: p.ref,
      ...(staffId ? {} : { actor: input.actorId.slice(0, 100) }),
    },
  });
  const status = await settleRefund(db, deps, refund);
  if (status === 'failed') {
    throw new AppError(502, 'PAYMENT_REFUND_REFUSED', '決済サービスが返金を受け付けませんでした');
  }
  return { status: status === 'succeeded' ? 'refunded' : 'refund_pending' };
}

/** Asks the provider for the refund (or its state), under the refund's row lock. */
async function settleRefund(
  db: Db,
  deps: PaymentsDeps,
  refund: RefundRow,
): Promise<'requested' | 'pending' | 'succeeded' | 'failed'> {
  const provider = deps.provider;
  let failure: Error | null = null;
  const status = await db.transaction().execute(async (trx) => {
    const r = await lockRefundOfPayment(trx, refund.payment_id);
    const p = await findPayment(trx, refund.payment_id);
    if (!r || !p) return 'failed' as const;
    if (r.status === 'succeeded' || r.status === 'failed') return r.status;
    if (!provider || provider.name !== p.provider || !p.provider_payment_ref) {
      failure = new ProviderUnavailableError('no provider for this payment');
      return r.status;
    }
    try {
      const answer = r.provider_ref
        ? await provider.retrieveRefund(r.provider_ref)
        : await provider.refund({
            providerPaymentRef: p.provider_payment_ref,
            amount: r.amount,
            refundId: r.id,
            paymentId: p.id,
            idempotencyKey: r.idempotency_key,
          });
      await updateRefund(trx, r.id, {
        provider_ref: answer.providerRef,
        status: answer.status,
        attempts: r.attempts + 1,
        last_error: null,
        ...(answer.status === 'succeeded' ? { succeeded_at: new Date() } : {}),
      });
      if (answer.status === 'succeeded') await applyObservation(trx, p.id, { status: 'refunded' });
      return answer.status;
    } catch (err) {
      failure = err as Error;
      return r.status;
    }
  });
  const err = failure as Error | null;
  if (err) {
    if (err instanceof ProviderRequestError) {
      await updateRefund(db, refund.id, {
        status: 'failed',
        attempts: refund.attempts + 1,
        last_error: err.message.slice(0, 500),
      });
      deps.log?.error(
        { err: err.message, paymentId: refund.payment_id },
        'payment provider refused a refund',
      );
      return 'failed';
    }
    if (!(err instanceof ProviderUnavailableError)) throw err;
    await updateRefund(db, refund.id, {
      attempts: refund.attempts + 1,
      last_error: err.message.slice(0, 500),
    });
  }
  return status;
}

// ---- webhooks

/**
 * A provider's webhook: verified over the raw body (bad → 400 PAYMENT_WEBHOOK_SIGNATURE, nothing
 * recorded or changed), recorded once per provider event ID, then processed. An event for no
 * payment of ours is recorded as 'unknown_payment' and answered 2xx (the provider would retry a 4xx
 * for days). A replay of a processed event changes nothing.
 */
export async function receiveWebhook(
  db: Db,
  deps: PaymentsDeps,
  providerName: string,
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<{ received: true; duplicate: boolean; state: string }> {
  const provider = deps.provider;
  if (!provider || provider.name !== providerName) {
    throw new AppError(404, 'PAYMENT_PROVIDER_UNKNOWN', 'この決済サービスの Webhook は受け付けていません');
  }
  let event: ProviderEvent;
  try {
    event = provider.parseWebhook(rawBody, headers);
  } catch (err) {
    if (err instanceof WebhookSignatureError) {
      deps.log?.warn({ provider: providerName, reason: err.message }, 'payment webhook refused (signature)');
      throw badRequest('PAYMENT_WEBHOOK_SIGNATURE', 'Webhook の署名を確認できません');
    }
    throw badRequest('PAYMENT_WEBHOOK_MALFORMED', 'Webhook の形式が正しくありません');
  }
  if (!event.eventId || event.eventId.length > 255) {
    throw badRequest('PAYMENT_WEBHOOK_MALFORMED', 'Webhook の形式が正しくありません');
  }
  const row =
    (await insertWebhookEvent(db, {
      provider: provider.name,
      event_id: event.eventId,
      type: event.type.slice(0, 100),
      payload_enc: deps.cipher.encryptBytes(rawBody),
    })) ?? (await findWebhookEvent(db, provider.name, event.eventId));
  if (!row) throw new AppError(503, 'PAYMENT_WEBHOOK_RETRY', 'もう一度送ってください');
  if (row.state !== 'received' && row.state !== 'failed') {
    return { received: true, duplicate: true, state: row.state };
  }
  const state = await processEvent(db, deps, row.id, event);
  if (state === 'failed')
    throw new AppError(503, 'PAYMENT_WEBHOOK_RETRY', 'Webhook を処理できませんでした。再送してください');
  return { received: true, duplicate: false, state };
}

async function resolvePayment(trx: Trx, provider: string, event: ProviderEvent): Promise<PaymentRow | null> {
  if (event.kind === 'other') return null;
  if (event.paymentId && UUID.test(event.paymentId)) {
    const p = await findPayment(trx, event.paymentId);
    if (p && p.provider === provider) {
      // The metadata must agree with the provider's own reference when we know it.
      if (event.kind === 'checkout' && p.provider_ref && p.provider_ref !== event.providerRef) return null;
      return p;
    }
  }
  if (event.kind === 'checkout') return findPaymentByProviderRef(trx, provider, event.providerRef);
  if (event.providerPaymentRef) return findPaymentByPaymentRef(trx, provider, event.providerPaymentRef);
  return null;
}

/** Processes a recorded event once (its row locked); its state after. */
async function processEvent(
  db: Db,
  deps: PaymentsDeps,
  rowId: string,
  event: ProviderEvent,
): Promise<'processed' | 'unknown_payment' | 'ignored' | 'failed' | 'received'> {
  const provider = deps.provider!;
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await lockWebhookEvent(trx, rowId);
      if (!row) return 'failed' as const;
      if (row.state !== 'received' && row.state !== 'failed') return row.state;
      const done = (state: 'processed' | 'unknown_payment' | 'ignored', paymentId: string | null) =>
        updateWebhookEvent(trx, rowId, {
          state,
          payment_id: paymentId,
          attempts: row.attempts + 1,
          processed_at: new Date(),
          last_error: null,
        }).then(() => state);
      if (event.kind === 'other') return done('ignored', null);
      const p = await resolvePayment(trx, provider.name, event);
      if (!p) {
        deps.log?.warn(
          { eventId: event.eventId, type: event.type },
          'payment webhook for no payment of ours',
        );
        return done('unknown_payment', null);
      }
      if (event.kind === 'checkout') {
        if (p.provider_ref === null) await updatePayment(trx, p.id, { provider_ref: event.providerRef });
        await applyObservation(trx, p.id, event.observed);
      } else {
        const r = await lockRefundOfPayment(trx, p.id);
        if (r && r.status !== 'succeeded') {
          await updateRefund(trx, r.id, {
            status: event.status,
            provider_ref: event.providerRef ?? r.provider_ref,
            ...(event.status === 'succeeded' ? { succeeded_at: new Date() } : {}),
          });
        }
        if (event.status === 'succeeded') await applyObservation(trx, p.id, { status: 'refunded' });
      }
      return done('processed', p.id);
    });
  } catch (err) {
    deps.log?.error({ err: String(err), eventId: event.eventId }, 'payment webhook processing failed');
    const row = await findWebhookEvent(db, provider.name, event.eventId);
    await updateWebhookEvent(db, rowId, {
      state: 'failed',
      attempts: (row?.attempts ?? 0) + 1,
      last_error: String((err as Error)?.message ?? err).slice(0, 500),
    });
    return 'failed';
  }
}

// ---- reconciler

/**
 * The reconciler (a cron): payments pending longer than PAYMENT_RECONCILE_AFTER_MINUTES are asked
 * about server-side (a lost webhook, the provider down when it was sent); unsettled refunds are
 * asked again (with their stored idempotency key); webhook
 * events that failed are processed again from their stored body.
 */
export async function reconcilePayments(
  db: Db,
  deps: PaymentsDeps,
  now = new Date(),
): Promise<{ checked: number; refunds: number; events: number }> {
  const provider = deps.provider;
  if (!provider) return { checked: 0, refunds: 0, events: 0 };
  const before = new Date(now.getTime() - deps.reconcileAfterMinutes * 60_000);
  let checked = 0;
  for (const p of await stalePendingPayments(db, before, 200)) {
    // Without a provider reference nobody was sent to pay it: nothing to ask (a retry of
    // startPayment creates the checkout with the stored key).
    if (p.provider !== provider.name || !p.provider_ref) continue;
    try {
      await refreshPayment(db, deps, p.id);
      checked++;
    } catch (err) {
      deps.log?.warn({ err: String(err), paymentId: p.id }, 'reconciler: payment check failed');
    }
  }
  let refunds = 0;
  for (const r of await openRefunds(db, new Date(now.getTime() - 60_000), 200)) {
    await settleRefund(db, deps, r);
    refunds++;
  }
  let events = 0;
  for (const e of await unfinishedWebhookEvents(db, new Date(now.getTime() - 60_000), 200)) {
    if (e.provider !== provider.name) continue;
    let event: ProviderEvent;
    try {
      event = provider.parseStoredEvent(deps.cipher.decryptBytes(e.payload_enc));
    } catch (err) {
      await updateWebhookEvent(db, e.id, {
        state: 'ignored',
        last_error: `unparsable: ${String(err)}`.slice(0, 500),
      });
      continue;
    }
    await processEvent(db, deps, e.id, event);
    events++;
  }
  return { checked, refunds, events };
}
