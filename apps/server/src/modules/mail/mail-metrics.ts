import { Counter } from 'prom-client';
import { ageSeconds, defineFigures, registry } from '../../platform/http/metrics.ts';
import { mailOutboxFigures } from './mail.repository.ts';

// Prometheus metrics of the mail outbox (O-03): mails sent and failed attempts (counted by the worker
// that sent them), and at scrape time the mails waiting, given up, and the oldest waiting one's age.

export const mailSent = new Counter({
  name: 'madoguchi_mail_sent_total',
  help: 'Notification mails sent',
  registers: [registry],
});

export const mailSendErrors = new Counter({
  name: 'madoguchi_mail_send_errors_total',
  help: "Failed attempts to send a notification mail, by whether it was the last one ('true': given up)",
  labelNames: ['given_up'],
  registers: [registry],
});

defineFigures({
  source: 'mail',
  gauges: {
    madoguchi_mail_outbox_pending: { help: 'Notification mails waiting to be sent (including retries)' },
    madoguchi_mail_outbox_failed: { help: 'Notification mails given up (shown to staff until sent again)' },
    madoguchi_mail_outbox_oldest_pending_seconds: {
      help: 'Age of the oldest notification mail waiting to be sent (0 when none waits)',
    },
  },
  async read({ db }) {
    const f = await mailOutboxFigures(db);
    return {
      madoguchi_mail_outbox_pending: f.pending,
      madoguchi_mail_outbox_failed: f.failed,
      madoguchi_mail_outbox_oldest_pending_seconds: ageSeconds(f.oldest),
    };
  },
});
