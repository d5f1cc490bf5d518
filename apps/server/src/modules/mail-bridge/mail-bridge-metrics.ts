import { ageSeconds, defineFigures } from '../../platform/http/metrics.ts';
import { mailMessageFigures } from './mail-bridge.repository.ts';

// Prometheus metrics of the disaster-mail bridge (O-03), read at scrape time: the mails received in
// the last 24 hours by status ('delivered': forwarded to LINE; 'refused', 'parse_failed': rejected;
// 'unmatched', 'duplicate', 'failed', 'received'), and the mails still to process.

defineFigures({
  source: 'mail-bridge',
  gauges: {
    madoguchi_mail_bridge_messages_last_day: {
      help: 'Mails received by the bridge in the last 24 hours, by status',
      labelNames: ['status'],
    },
    madoguchi_mail_bridge_waiting: { help: 'Received mails not processed yet (including retries)' },
    madoguchi_mail_bridge_oldest_waiting_seconds: {
      help: 'Age of the oldest received mail not processed yet (0 when none waits)',
    },
  },
  async read({ db }) {
    const f = await mailMessageFigures(db);
    return {
      madoguchi_mail_bridge_messages_last_day: f.lastDay.map((r) => ({
        labels: { status: r.status },
        value: r.count,
      })),
      madoguchi_mail_bridge_waiting: f.waiting,
      madoguchi_mail_bridge_oldest_waiting_seconds: ageSeconds(f.oldestWaiting),
    };
  },
});
