// The payments requests are the HTTP contract: packages/contracts/src/payments.ts and
// payments.schema.ts.

export {
  type PaymentListQuery,
  paymentListQuery,
  paymentParams,
  type ReconciliationQuery,
  reconciliationQuery,
  refundSchema,
  webhookEventQuery,
} from '@madoguchi/contracts/payments.schema.ts';
