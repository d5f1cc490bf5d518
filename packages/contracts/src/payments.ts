// Online payment (A-02, issue 15): the views the staff console reads (/api/payments). The zod
// schemas are in payments.schema.ts (this file has no zod, so web bundles have none).

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'canceled', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ['requested', 'pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const PAYMENT_FLAGS = ['amount_mismatch', 'paid_after_close'] as const;
export type PaymentFlag = (typeof PAYMENT_FLAGS)[number];

export const WEBHOOK_EVENT_STATES = [
  'received',
  'processed',
  'unknown_payment',
  'ignored',
  'failed',
] as const;
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

export const PAYMENT_LIMITS = { page: 100, exportDays: 92 } as const;

export interface PaymentLineView {
  label: string;
  unitAmount: number;
  quantity: number;
}

export interface PaymentView<Time = string> {
  id: string;
  purpose: string;
  ref: string;
  description: string;
  lines: PaymentLineView[];
  amount: number;
  currency: 'jpy';
  provider: string;
  providerRef: string | null;
  status: PaymentStatus;
  /** Needs staff: the provider charged another amount, or a payment closed here was paid. */
  flag: PaymentFlag | null;
  providerAmount: number | null;
  lastError: string | null;
  createdAt: Time;
  paidAt: Time | null;
  closedAt: Time | null;
  refund: RefundView<Time> | null;
}

export interface RefundView<Time = string> {
  status: RefundStatus;
  amount: number;
  reason: string;
  lastError: string | null;
  createdAt: Time;
  succeededAt: Time | null;
}

export interface WebhookEventView<Time = string> {
  id: string;
  provider: string;
  eventId: string;
  type: string;
  paymentId: string | null;
  state: WebhookEventState;
  attempts: number;
  lastError: string | null;
  receivedAt: Time;
  processedAt: Time | null;
}

export interface PaymentDetailView<Time = string> extends PaymentView<Time> {
  events: WebhookEventView<Time>[];
}

export interface PaymentPage<Time = string> {
  items: PaymentView<Time>[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next: string | null;
}
