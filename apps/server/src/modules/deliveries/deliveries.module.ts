import './deliveries-metrics.ts'; // its gauges (scrape-time figures, O-03)
import { defineModule } from '../define-module.ts';
import { registerDeliveryRoutes } from './deliveries.routes.ts';
import { createDeliveriesService } from './deliveries.service.ts';
import { createDeliveryRunner, DELIVERY_RUN_JOB, DELIVERY_SWEEP_JOB } from './delivery-runner.ts';
import { createDeliverySender } from './delivery-sender.ts';
import { registerLinkRoutes } from './links.routes.ts';

// Deliveries (G-05, G-07 … G-09, G-12): the request API, and the pipeline that sends a due
// delivery — resolve (delivery-audience.ts) → batch (delivery-start.ts) → send and finish
// (delivery-sender.ts), run in turn by delivery-runner.ts — and the click redirect of its links.
export const deliveriesModule = defineModule({
  name: 'deliveries',
  lineEvents: [],
  register(app, deps) {
    const { db, config } = deps;
    const sender = createDeliverySender({
      db,
      channels: deps.channels,
      line: deps.line,
      ratePerSecond: config.DELIVERY_RATE_PER_SECOND,
      concurrency: config.DELIVERY_CONCURRENCY,
      maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
      retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
      log: app.log,
    });
    const runner = createDeliveryRunner({ db, sender, publicUrl: config.PUBLIC_URL, log: app.log });
    deps.jobs.define({ name: DELIVERY_RUN_JOB, handler: runner.run, retryLimit: 3 });
    deps.jobs.define({ name: DELIVERY_SWEEP_JOB, handler: runner.run, cron: '* * * * *', retryLimit: 0 });
    // Requests in flight finish and are recorded before the database closes; the rest stays pending.
    app.addHook('onClose', async () => {
      runner.stop();
      await sender.stop();
    });

    const service = createDeliveriesService({
      db,
      channels: deps.channels,
      runNow: deps.trigger(DELIVERY_RUN_JOB, 20),
    });
    registerDeliveryRoutes(app, service);
    registerLinkRoutes(app, { db });
  },
});
