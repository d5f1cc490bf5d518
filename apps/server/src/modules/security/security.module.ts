import { defineModule } from '../define-module.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import { registerIpAllowlistRoutes } from './ip-allowlists.routes.ts';

// IP allow-lists (the lists staff-auth enforces) and the audit log.
export const securityModule = defineModule({
  name: 'security',
  lineEvents: [],
  register(app, deps) {
    registerIpAllowlistRoutes(app, deps.auth.ipAllowlists);
    registerAuditRoutes(app, deps.db);
  },
});
