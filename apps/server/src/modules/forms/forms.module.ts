import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import type { LineClients } from '../../platform/line/line-clients.ts';
import type { ChannelsService } from '../channels/channels.service.ts';
import type { LineEventBus } from '../line-events/line-event-bus.ts';
import { registerAttributeExportRoutes } from './attribute-export.routes.ts';
import { registerFormRoutes } from './forms.routes.ts';
import { registerRegistrationRoutes } from './registration.routes.ts';
import { subscribeRegistrationGreeting } from './registration-greeting.ts';

// Forms and attribute registration (G-01 … G-03, G-11, D-08): the designer API, the citizens'
// registration, the follow greeting that invites it, and the attribute export.
export function registerForms(
  app: Api,
  deps: { db: Db; cipher: Cipher; channels: ChannelsService; line: LineClients; bus: LineEventBus },
): void {
  registerFormRoutes(app, { db: deps.db });
  registerRegistrationRoutes(app, { db: deps.db, cipher: deps.cipher });
  registerAttributeExportRoutes(app, { db: deps.db, cipher: deps.cipher, channels: deps.channels });
  subscribeRegistrationGreeting(deps.bus, { channels: deps.channels });
}
