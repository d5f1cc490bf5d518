import { defineModule } from '../define-module.ts';
import { registerSegmentRoutes } from './segments.routes.ts';

// Segments: condition trees over friends and their answers, compiled to SQL; live counts.
export const segmentsModule = defineModule({
  name: 'segments',
  lineEvents: [],
  register(app, deps) {
    registerSegmentRoutes(app, { db: deps.db });
  },
});
