import { defineModule } from '../define-module.ts';
import { registerAnalyticsRoutes } from './analytics.routes.ts';

// Figures: deliveries, clicks, friends over time (tables and exports).
export const analyticsModule = defineModule({
  name: 'analytics',
  lineEvents: [],
  register(app, deps) {
    registerAnalyticsRoutes(app, { db: deps.db, publicUrl: deps.config.PUBLIC_URL });
  },
});
