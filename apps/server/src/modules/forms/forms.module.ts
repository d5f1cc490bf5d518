import { defineModule } from '../define-module.ts';
import { registerAttributeExportRoutes } from './attribute-export.routes.ts';
import { registerFormRoutes } from './forms.routes.ts';
import { registerRegistrationRoutes } from './registration.routes.ts';
import { subscribeRegistrationGreeting } from './registration-greeting.ts';

// Forms and attribute registration (G-01 … G-03, G-11, D-08): the designer API, the citizens'
// registration, the follow greeting that invites it, and the attribute export.
export const formsModule = defineModule({
  name: 'forms',
  lineEvents: ['follow'],
  register(app, deps) {
    registerFormRoutes(app, { db: deps.db });
    registerRegistrationRoutes(app, { db: deps.db, cipher: deps.cipher });
    registerAttributeExportRoutes(app, { db: deps.db, cipher: deps.cipher, channels: deps.channels });
    subscribeRegistrationGreeting(deps.bus);
  },
});
