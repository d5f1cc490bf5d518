import { Counter } from 'prom-client';
import { ageSeconds, defineFigures, registry } from '../../platform/http/metrics.ts';
import { allTargetNames, targetStats } from './forwarding.repository.ts';

// Prometheus metrics of webhook forwarding per target (W-01): sent and failed attempts (counted by
// this process), and what waits — items and the oldest one's age — read from the queue at scrape time.

export const forwardedSent = new Counter({
  name: 'madoguchi_forwarding_sent_total',
  help: 'Webhook events delivered to a forwarding target',
  labelNames: ['target'],
  registers: [registry],
});

export const forwardedFailed = new Counter({
  name: 'madoguchi_forwarding_failed_total',
  help: 'Failed attempts to deliver a webhook event to a forwarding target (retried, or dead-lettered)',
  labelNames: ['target'],
  registers: [registry],
});

export const forwardedDead = new Counter({
  name: 'madoguchi_forwarding_dead_lettered_total',
  help: 'Webhook events given up after the retry window (shown to staff with a resend button)',
  labelNames: ['target'],
  registers: [registry],
});

defineFigures({
  source: 'forwarding',
  gauges: {
    madoguchi_forwarding_queued: {
      help: 'Webhook events waiting to be forwarded (including retries), per target',
      labelNames: ['target'],
    },
    madoguchi_forwarding_oldest_waiting_seconds: {
      help: 'Age of the oldest webhook event waiting to be forwarded, per target (0 when none waits)',
      labelNames: ['target'],
    },
  },
  async read({ db }) {
    const [targets, stats] = await Promise.all([allTargetNames(db), targetStats(db)]);
    const byId = new Map(stats.map((s) => [s.target_id, s]));
    const per = (value: (s: (typeof stats)[number] | undefined) => number) =>
      targets.map((t) => ({ labels: { target: t.id }, value: value(byId.get(t.id)) }));
    return {
      madoguchi_forwarding_queued: per((s) => Number(s?.queued ?? 0)),
      madoguchi_forwarding_oldest_waiting_seconds: per((s) => ageSeconds(s?.oldest)),
    };
  },
});
