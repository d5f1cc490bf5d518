import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { registerApplicationCitizenRoutes } from './application-citizen.routes.ts';
import { APPLICATION_PURPOSE, createApplicationSteps } from './application-steps.ts';
import { registerApplicationRoutes } from './applications.routes.ts';
import { applyPaymentChange, purgeExpired } from './applications.service.ts';

// スマホ市役所 (issue 15, A-03): procedures configured by staff (a form, an identity level, a fee
// rule), citizens' applications from LINE with the identity (modules/identity) and payments
// (modules/payments) steps, the staff queue, the applicant's status messages and the retention.

export const APPLICATION_PURGE_JOB = 'applications.purge';

export const applicationsModule = defineModule({
  name: 'applications',
  lineEvents: [],
  register(app, deps) {
    const applicationDeps = {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      steps: createApplicationSteps(deps, deps.db),
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
    };
    registerApplicationRoutes(app, applicationDeps);
    registerApplicationCitizenRoutes(app, applicationDeps);
    // A paid payment moves its application to 受付 in the payments module's transaction.
    applicationDeps.steps.onPaymentChange(async (trx, p) => {
      if (await applyPaymentChange(applicationDeps, trx, p)) applicationDeps.onOutbox();
    });
    void APPLICATION_PURPOSE;
    // Closed applications past their retention (and abandoned drafts) are deleted, once a day.
    deps.jobs.define({
      name: APPLICATION_PURGE_JOB,
      cron: '41 3 * * *',
      retryLimit: 0,
      handler: async () => {
        await purgeExpired(applicationDeps);
      },
    });
  },
});
