import './mail-metrics.ts'; // its gauges (scrape-time figures, O-03)
import { defineModule } from '../define-module.ts';
import { createMailer, MAIL_JOB, MAIL_SWEEP_JOB, sendDueMails, wakeUpTimer } from './mail-sender.ts';

// Mail out (issue 13): every mail the product sends goes through one outbox (mail_outbox), written in
// the transaction of what it is about (a fault report, a booking) so nothing accepted is lost, and
// sent over SMTP (SMTP_URL, nodemailer) by the job below, with retries and backoff.

export const mailModule = defineModule({
  name: 'mail',
  lineEvents: [],
  register(app, deps) {
    const mailer = createMailer(deps.config);
    if (!mailer.configured) app.log.warn('SMTP_URL is not set: mails are kept pending and not sent');
    const wakeAt = wakeUpTimer(() => {
      deps.jobs.send(MAIL_JOB, {}).catch((err) => app.log.error({ err }, 'mail wake-up'));
    });
    const sender = { db: deps.db, wakeAt, mailer, config: deps.config, log: app.log };
    const send = async () => {
      await sendDueMails(sender);
    };
    deps.jobs.define({ name: MAIL_JOB, handler: send, retryLimit: 3 });
    // Safety net: mails committed while no job could be queued, and retries that are due.
    deps.jobs.define({ name: MAIL_SWEEP_JOB, handler: send, cron: '* * * * *', retryLimit: 0 });
  },
});
