import { defineModule } from '../define-module.ts';
import { registerAccountRoutes } from './accounts.routes.ts';
import { registerSessionRoutes } from './session.routes.ts';

// Staff accounts and roles, and the staff session (sign-in, TOTP, sign-out).
export const accountsModule = defineModule({
  name: 'accounts',
  lineEvents: [],
  register(app, deps) {
    registerSessionRoutes(app, deps.auth, deps.cipher);
    registerAccountRoutes(app, deps.db);
  },
});
