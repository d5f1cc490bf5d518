import { defineModule } from '../define-module.ts';
import { registerIncidentRoutes } from './incidents.routes.ts';

// Incident reports (障害報告, O-03, issue 16): what failed, when, its impact, cause, action and
// prevention, recorded by the administrators.
export const incidentsModule = defineModule({
  name: 'incidents',
  lineEvents: [],
  register(app, deps) {
    registerIncidentRoutes(app, deps.db);
  },
});
