import { Counter, Gauge } from 'prom-client';
import type { Db } from '../../db/database.ts';
import { registry } from '../../platform/http/metrics.ts';
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

// The database the gauges read (the last app built in this process: one per process outside tests).
let source: Db | null = null;

export function readQueueMetricsFrom(db: Db): void {
  source = db;
}

async function queueFigures() {
  if (!source) return [];
  const [targets, stats] = await Promise.all([allTargetNames(source), targetStats(source)]);
  const byId = new Map(stats.map((s) => [s.target_id, s]));
  return targets.map((t) => {
    const s = byId.get(t.id);
    return {
      target: t.id,
      queued: Number(s?.queued ?? 0),
      oldest: s?.oldest ? Math.max(0, (Date.now() - new Date(s.oldest).getTime()) / 1000) : 0,
    };
  });
}

new Gauge({
  name: 'madoguchi_forwarding_queued',
  help: 'Webhook events waiting to be forwarded (including retries), per target',
  labelNames: ['target'],
  registers: [registry],
  async collect() {
    this.reset();
    for (const f of await queueFigures().catch(() => [])) this.set({ target: f.target }, f.queued);
  },
});

new Gauge({
  name: 'madoguchi_forwarding_oldest_waiting_seconds',
  help: 'Age of the oldest webhook event waiting to be forwarded, per target (0 when none waits)',
  labelNames: ['target'],
  registers: [registry],
  async collect() {
    this.reset();
    for (const f of await queueFigures().catch(() => [])) this.set({ target: f.target }, f.oldest);
  },
});
