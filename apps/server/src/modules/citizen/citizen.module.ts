import { defineModule } from '../define-module.ts';
import { registerCitizenRoutes } from './citizen.routes.ts';

// Citizens' LIFF sign-in and their session.
export const citizenModule = defineModule({
  name: 'citizen',
  lineEvents: [],
  register(app, deps) {
    registerCitizenRoutes(app, { db: deps.db, config: deps.config, channels: deps.channels });
  },
});
