import './line-events-metrics.ts'; // its gauges (scrape-time figures, O-03)
import { defineModule } from '../define-module.ts';
import { DISPATCH_JOB, dispatchPendingEvents } from './line-event-bus.ts';
import { createOutboxSender, OUTBOX_JOB, OUTBOX_SWEEP_JOB } from './outbox-sender.ts';
import { registerWebhookRoutes } from './webhook.routes.ts';

const DISPATCH_SWEEP_JOB = 'line-events.sweep';

// LINE webhooks in (webhook-intake.ts: signature, validation, storage), their dispatch to the modules
// subscribed on the bus (line-event-bus.ts), and the outbox sender that makes the LINE calls those
// handlers recorded, after the commit (outbox-sender.ts).
export const lineEventsModule = defineModule({
  name: 'line-events',
  lineEvents: [],
  register(app, deps) {
    const { db, cipher } = deps;
    const queueDispatch = deps.trigger(DISPATCH_JOB, 50);
    const localRuns = new Set<Promise<void>>();
    // A stored webhook is dispatched at once by this process when it runs the workers (the
    // partitions' loops here take it: no round trip through the job queue, no coalescing delay);
    // else, or when that fails, a dispatch job is queued for the workers.
    const onStored = () => {
      if (!deps.jobs.workersHere()) return queueDispatch();
      const run: Promise<void> = runDispatch()
        .catch((err: unknown) => {
          app.log.error({ err }, 'dispatch failed; queued for the workers');
          queueDispatch();
        })
        .finally(() => localRuns.delete(run));
      localRuns.add(run);
    };
    app.addHook('onClose', async () => {
      await Promise.all(localRuns);
    });
    registerWebhookRoutes(
      app,
      { db, cipher, channels: deps.channels, onStored },
      deps.config.BODY_LIMIT_BYTES,
    );

    const dispatch = {
      db,
      cipher,
      bus: deps.bus,
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
      partitions: deps.config.DISPATCH_PARTITIONS,
    };
    const runDispatch = async () => {
      await dispatchPendingEvents(dispatch);
    };
    deps.jobs.define({ name: DISPATCH_JOB, handler: runDispatch, retryLimit: 3 });
    // Safety net: events stored while no job could be queued (crash between commit and send).
    deps.jobs.define({ name: DISPATCH_SWEEP_JOB, handler: runDispatch, cron: '* * * * *', retryLimit: 0 });

    const outbox = createOutboxSender({
      db,
      cipher,
      channels: deps.channels,
      line: deps.line,
      log: app.log,
      trigger: deps.trigger(OUTBOX_JOB, 20),
    });
    const send = async () => {
      await outbox.sendDue();
    };
    deps.jobs.define({ name: OUTBOX_JOB, handler: send, retryLimit: 3 });
    // Safety net: rows committed while no job could be queued (a crash between commit and trigger).
    deps.jobs.define({ name: OUTBOX_SWEEP_JOB, handler: send, cron: '* * * * *', retryLimit: 0 });
  },
});
