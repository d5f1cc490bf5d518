import { defineModule } from '../define-module.ts';
import { registerPaymentRoutes } from './payments.routes.ts';
import { paymentsDepsFrom, reconcilePayments } from './payments.service.ts';

// Online payment (A-02, issue 15): a payment-provider interface (payment-provider.ts) with Stripe
// (Checkout, official SDK) and PAY.JP adapters, the provider webhook, the staff list, refunds and
// the reconciliation export, and a reconciler that asks the provider about payments pending too
// long. Other modules use the service API of payments.service.ts — startPayment, refreshPayment,
// refundPayment, onPaymentChange — with `paymentsDepsFrom(moduleDeps)` as their PaymentsDeps.

export const PAYMENTS_RECONCILE_JOB = 'payments.reconcile';

export const paymentsModule = defineModule({
  name: 'payments',
  lineEvents: [],
  register(app, deps) {
    const paymentDeps = paymentsDepsFrom(deps);
    paymentDeps.log ??= app.log;
    registerPaymentRoutes(app, deps.db, paymentDeps, deps.config);
    deps.jobs.define({
      name: PAYMENTS_RECONCILE_JOB,
      cron: '*/5 * * * *',
      retryLimit: 0,
      handler: async () => {
        await reconcilePayments(deps.db, paymentDeps);
      },
    });
  },
});
