import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { loadCityBoundary } from './city-boundary.ts';
import { registerReportCitizenRoutes } from './report-citizen.routes.ts';
import {
  createMailer,
  REPORT_MAIL_JOB,
  REPORT_MAIL_SWEEP_JOB,
  sendDueMails,
  wakeUpTimer,
} from './report-mail.ts';
import { registerReportRoutes } from './reports.routes.ts';
import { prunePhotos } from './reports.service.ts';

// Fault reports (issue 13, R-01 … R-03): friends report with photos, the place, date and time and a
// text from LINE; places outside the city boundary are refused; each category's addresses are
// notified by e-mail (an outbox sent by a job, retried, never lost); staff triage in the console and
// the reporter hears in LINE when it is fixed.

export const REPORT_PHOTOS_PRUNE_JOB = 'reports.prune-photos';

export const reportsModule = defineModule({
  name: 'reports',
  lineEvents: [],
  register(app, deps) {
    const boundary = loadCityBoundary(deps.config.CITY_BOUNDARY_FILE);
    const mailer = createMailer(deps.config);
    if (!mailer.configured)
      app.log.warn('SMTP_URL is not set: fault report notification mails are kept pending and not sent');
    const onMail = deps.trigger(REPORT_MAIL_JOB, 20);
    const reportDeps = {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      boundary,
      publicUrl: deps.config.PUBLIC_URL,
      onMail,
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
    };
    registerReportRoutes(app, reportDeps);
    registerReportCitizenRoutes(app, reportDeps);

    const wakeAt = wakeUpTimer(() => {
      deps.jobs.send(REPORT_MAIL_JOB, {}).catch((err) => app.log.error({ err }, 'report mail wake-up'));
    });
    const sender = { db: deps.db, wakeAt, mailer, config: deps.config, log: app.log };
    const send = async () => {
      await sendDueMails(sender);
    };
    deps.jobs.define({ name: REPORT_MAIL_JOB, handler: send, retryLimit: 3 });
    // Safety net: mails committed while no job could be queued, and retries that are due.
    deps.jobs.define({ name: REPORT_MAIL_SWEEP_JOB, handler: send, cron: '* * * * *', retryLimit: 0 });
    deps.jobs.define({
      name: REPORT_PHOTOS_PRUNE_JOB,
      cron: '17 * * * *',
      retryLimit: 0,
      handler: async () => {
        await prunePhotos(deps);
      },
    });
  },
});
