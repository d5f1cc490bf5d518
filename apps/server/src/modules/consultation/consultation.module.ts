import './consultation-metrics.ts'; // its gauges (scrape-time figures, O-03)
import { defineModule } from '../define-module.ts';
import { OUTBOX_JOB } from '../line-events/outbox-sender.ts';
import { registerConsoleSocket } from './console.ws.ts';
import { registerConsultRoutes } from './consult.routes.ts';
import { createConsultationService } from './consultation.service.ts';
import { createConsultationKeys } from './consultation-keys.ts';
import { registerConsultationStatsRoutes } from './consultation-stats.routes.ts';
import { registerConsultationRoutes } from './consultations.routes.ts';
import { registerConsulteeSocket } from './consultee.ws.ts';
import { createDeskCache } from './desk-cache.ts';
import { createLineNotifier, subscribeLineDoor } from './line-door.ts';
import { createPresence } from './presence.ts';

// SNS consultation (SNS相談): wires the service, the HTTP routes, both sockets and the LINE door.
export const consultationModule = defineModule({
  name: 'consultation',
  lineEvents: ['message', 'postback'],
  register(app, deps) {
    const { db, realtime } = deps;
    const presence = createPresence(realtime);
    const keys = createConsultationKeys(db, deps.cipher);
    const desks = createDeskCache(db, realtime);
    const service = createConsultationService({
      db,
      keys,
      realtime,
      presence,
      desks,
      notifyLine: createLineNotifier({
        db,
        cipher: deps.cipher,
        channels: deps.channels,
        onOutbox: deps.trigger(OUTBOX_JOB, 20),
      }),
    });
    subscribeLineDoor(deps.bus, desks);
    registerConsultationRoutes(app, { db, service, presence, desks });
    registerConsultRoutes(app, { db, config: deps.config, service });
    registerConsultationStatsRoutes(app, { db, keys });
    registerConsulteeSocket(app, { db, service, realtime, presence });
    registerConsoleSocket(app, { db, auth: deps.auth, service, realtime, presence, desks });
  },
});
