import { defineModule } from '../define-module.ts';
import { wakeUpTimer } from '../mail/mail-sender.ts';
import { purgeSentItems } from './forwarding.repository.ts';
import { registerForwardingRoutes } from './forwarding.routes.ts';
import { addressPolicy } from './forwarding-address.ts';
import './forwarding-metrics.ts'; // its gauges (scrape-time figures)
import { subscribeForwarding } from './forwarding-queue.ts';
import { createForwardingSender, FORWARDING_JOB, FORWARDING_SWEEP_JOB } from './forwarding-sender.ts';

// Webhook forwarding (W-01, issue 14): LINE webhook events of a channel forwarded to servers the city
// names (e.g. Chiba's "For You" service). Queued in the dispatch transaction (forwarding-queue.ts),
// sent by the sender (forwarding-sender.ts) in order per (target, user) with retries for 24 h, then
// dead-lettered and shown to staff with 再送 (forwarding.routes.ts). Addresses: forwarding-address.ts.

/** Delivered items are kept this long (the console's figures), then forgotten. */
const KEEP_SENT_DAYS = 7;

export const forwardingModule = defineModule({
  name: 'forwarding',
  lineEvents: ['*'],
  register(app, deps) {
    const policy = addressPolicy(deps.config);
    const queueJob = deps.trigger(FORWARDING_JOB, 20);
    const wakeAt = wakeUpTimer(() => wake());
    const sender = createForwardingSender({
      db: deps.db,
      cipher: deps.cipher,
      policy,
      config: deps.config,
      log: app.log,
      wakeAt,
    });
    // The sender runs where the workers run: at once in this process, else through the job queue.
    const wake = () => {
      if (deps.jobs.workersHere()) void sender.pump();
      else queueJob();
    };
    app.addHook('onClose', async () => {
      await sender.stop();
    });
    subscribeForwarding(deps.bus, wake);
    registerForwardingRoutes(app, {
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      policy,
      wake,
    });
    deps.jobs.define({ name: FORWARDING_JOB, handler: () => sender.pump(), retryLimit: 3 });
    // Safety net: items committed while no wake-up could run (a crash), leases that ran out, and
    // the daily clean-up of delivered items.
    deps.jobs.define({
      name: FORWARDING_SWEEP_JOB,
      cron: '* * * * *',
      retryLimit: 0,
      handler: async () => {
        await sender.pump();
        if (new Date().getMinutes() === 0) await purgeSentItems(deps.db, KEEP_SENT_DAYS);
      },
    });
  },
});
