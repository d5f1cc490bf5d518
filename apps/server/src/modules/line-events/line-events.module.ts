import { defineModule } from '../define-module.ts';
import { createLineEventsService, DISPATCH_JOB } from './line-events.service.ts';
import { createOutboxSender, OUTBOX_JOB, OUTBOX_SWEEP_JOB } from './outbox-sender.ts';
import { registerWebhookRoutes } from './webhook.routes.ts';

const DISPATCH_SWEEP_JOB = 'line-events.sweep';

// LINE webhooks in (signature, validation, storage) and their dispatch to the modules subscribed
// on the bus; the LINE calls those handlers recorded go out through the outbox after the commit.
export const lineEventsModule = defineModule({
  name: 'line-events',
  lineEvents: [],
  register(app, deps) {
    const service = createLineEventsService({
      db: deps.db,
      cipher: deps.cipher,
      channels: deps.channels,
      bus: deps.bus,
      onStored: deps.trigger(DISPATCH_JOB, 50),
      onOutbox: deps.trigger(OUTBOX_JOB, 20),
    });
    registerWebhookRoutes(app, service, deps.config.BODY_LIMIT_BYTES);

    const dispatch = async () => {
      await service.dispatchPending();
    };
    deps.jobs.define({ name: DISPATCH_JOB, handler: dispatch, retryLimit: 3 });
    // Safety net: events stored while no job could be queued (crash between commit and send).
    deps.jobs.define({ name: DISPATCH_SWEEP_JOB, handler: dispatch, cron: '* * * * *', retryLimit: 0 });

    // LINE calls recorded by event handlers, sent after the dispatch commit (issue 8 §6).
    const outbox = createOutboxSender({
      db: deps.db,
      cipher: deps.cipher,
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
