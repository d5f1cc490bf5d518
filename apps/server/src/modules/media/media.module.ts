import { defineModule } from '../define-module.ts';
import { registerMediaRoutes } from './media.routes.ts';

// Image upload and serving (delivery messages).
export const mediaModule = defineModule({
  name: 'media',
  lineEvents: [],
  register(app, deps) {
    registerMediaRoutes(app, { db: deps.db, publicUrl: deps.config.PUBLIC_URL });
  },
});
