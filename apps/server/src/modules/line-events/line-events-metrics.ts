import { Counter, Histogram } from 'prom-client';
import { ageSeconds, defineFigures, registry } from '../../platform/http/metrics.ts';
import { outboxBacklog } from './outbox.repository.ts';

// Prometheus metrics of the LINE webhook intake and the LINE outbox (O-03). Counted by this process:
// webhook requests by outcome with their intake time, redelivered events, LINE calls sent or given
// up. Read at scrape time: the outbox's backlog. (Stored and malformed events: metrics.ts and
// webhook-intake.ts.)

export const webhookIntakeDuration = new Histogram({
  name: 'madoguchi_webhook_intake_duration_seconds',
  help: "LINE webhook requests by outcome ('accepted', or the error code: INVALID_SIGNATURE, CHANNEL_NOT_FOUND, …) and their intake time",
  labelNames: ['outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const lineEventsDuplicate = new Counter({
  name: 'madoguchi_line_events_duplicate_total',
  help: 'LINE webhook events received again (redeliveries of events already stored)',
  registers: [registry],
});

export const outboxSent = new Counter({
  name: 'madoguchi_line_outbox_sent_total',
  help: 'LINE replies and pushes of the outbox sent',
  labelNames: ['kind'],
  registers: [registry],
});

export const outboxFailed = new Counter({
  name: 'madoguchi_line_outbox_failed_total',
  help: 'LINE replies and pushes of the outbox given up (LINE refused, or too many attempts)',
  labelNames: ['kind'],
  registers: [registry],
});

defineFigures({
  source: 'line-events',
  gauges: {
    madoguchi_line_outbox_pending: { help: 'LINE replies and pushes waiting to be sent (including retries)' },
    madoguchi_line_outbox_oldest_pending_seconds: {
      help: 'Age of the oldest LINE call waiting in the outbox (0 when none waits)',
    },
  },
  async read({ db }) {
    const b = await outboxBacklog(db);
    return {
      madoguchi_line_outbox_pending: b.pending,
      madoguchi_line_outbox_oldest_pending_seconds: ageSeconds(b.oldest),
    };
  },
});
