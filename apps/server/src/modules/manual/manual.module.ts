import { defineModule } from '../define-module.ts';
import { registerManualRoutes } from './manual.routes.ts';
import { loadManual } from './manual.service.ts';

// The staff manual inside the console (O-01, issue 16): docs/manual read at start-up, searchable,
// with its screenshots (docs/images, written by the e2e run).
export const manualModule = defineModule({
  name: 'manual',
  lineEvents: [],
  register(app) {
    registerManualRoutes(app, { manual: loadManual() });
  },
});
