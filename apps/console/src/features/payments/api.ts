import type {
  PaymentDetailView,
  PaymentPage,
  PaymentStatus,
  PaymentView,
  WebhookEventView,
} from '@madoguchi/contracts/payments.ts';
import { api, query } from '../../api/client.ts';

// The console's calls of /api/payments/* (A-02, issue 15), as packages/contracts/src/payments.ts lists them.

export type { PaymentDetailView, PaymentPage, PaymentStatus, PaymentView, WebhookEventView };

/** The list's filters; `from`/`to` are Tokyo days (YYYY-MM-DD, both included). */
export type PaymentFilter = {
  status?: PaymentStatus | undefined;
  flagged?: 'true' | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

const payment = (id: string) => `/api/payments/${encodeURIComponent(id)}`;

export const paymentPath = payment;
export const webhookEventsPath = (state: WebhookEventView['state']) =>
  `/api/payments/webhook-events${query({ state, limit: 50 })}`;
export const paymentPagePath = (id: string) => `/payments/${encodeURIComponent(id)}`;
export const reconciliationHref = (from: string, to: string, format: 'csv' | 'xlsx') =>
  `/api/payments/reconciliation.${format}${query({ from, to })}`;

export const paymentsApi = {
  list: (filter: PaymentFilter, before?: string | null, signal?: AbortSignal) =>
    api.get<PaymentPage>(
      `/api/payments${query({ ...filter, before, limit: 50 })}`,
      signal ? { signal } : undefined,
    ),
  refresh: (id: string) => api.post<PaymentDetailView>(`${payment(id)}/refresh`),
  refund: (id: string, reason: string) =>
    api.post<{ status: 'refunded' | 'refund_pending'; payment: PaymentDetailView }>(`${payment(id)}/refund`, {
      reason,
    }),
};
