import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { StaffAuthOptions } from '../../platform/auth/staff-auth.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import type { LineClients } from '../../platform/line/line-clients.ts';
import type { Realtime } from '../../platform/realtime.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
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
export function registerConsultation(
  app: Api,
  deps: {
    db: Db;
    cipher: Cipher;
    config: Config;
    auth: StaffAuthOptions;
    channels: ChannelsService;
    line: LineClients;
    bus: LineEventBus;
    realtime: Realtime;
  },
): void {
  const presence = createPresence(deps.realtime);
  const keys = createConsultationKeys(deps.db, deps.cipher);
  const desks = createDeskCache(deps.db, deps.realtime);
  const service = createConsultationService({
    db: deps.db,
    keys,
    realtime: deps.realtime,
    presence,
    desks,
    notifyLine: createLineNotifier({ db: deps.db, channels: deps.channels, line: deps.line, log: app.log }),
  });
  subscribeLineDoor(deps.bus, { channels: deps.channels });
  registerConsultationRoutes(app, { db: deps.db, service, presence, desks });
  registerConsultRoutes(app, { db: deps.db, config: deps.config, service });
  registerConsultationStatsRoutes(app, { db: deps.db, keys });
  registerConsulteeSocket(app, { db: deps.db, service, realtime: deps.realtime, presence });
  registerConsoleSocket(app, {
    db: deps.db,
    auth: deps.auth,
    service,
    realtime: deps.realtime,
    presence,
    desks,
  });
}
