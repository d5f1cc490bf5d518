import { defineModule } from '../define-module.ts';
import {
  ACCESS_LOG_RETENTION_JOB,
  applyAccessLogRetention,
  registerAccessLog,
} from './access-log.service.ts';
import { registerMaintenanceGate } from './maintenance.gate.ts';
import { createMaintenanceState } from './maintenance.service.ts';
import { registerOperationsRoutes } from './operations.routes.ts';

// Running the service (issue 16): maintenance mode and its notice (O-04, C-15), the change record
// (O-05; written at start by runtime.ts), and the access log with its retention (S-05).
export const operationsModule = defineModule({
  name: 'operations',
  lineEvents: [],
  register(app, deps) {
    const state = createMaintenanceState({ db: deps.db, realtime: deps.realtime });
    registerMaintenanceGate(app, state);
    const accessLog = registerAccessLog(app, deps.db);
    registerOperationsRoutes(app, { db: deps.db, state });
    deps.jobs.define({
      name: ACCESS_LOG_RETENTION_JOB,
      cron: '20 3 * * *',
      handler: async () => {
        const n = await applyAccessLogRetention(deps.db, deps.config.ACCESS_LOG_RETENTION_DAYS);
        app.log.info({ deleted: n }, 'access log retention');
      },
    });
    app.addHook('onClose', async () => {
      state.close();
      await accessLog.close();
    });
  },
});
