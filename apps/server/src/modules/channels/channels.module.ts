import { defineModule } from '../define-module.ts';
import { registerChannelRoutes } from './channels.routes.ts';

// LINE channels (official accounts) and their credentials. The service itself is built once in
// app.ts and given to every module as `deps.channels`.
export const channelsModule = defineModule({
  name: 'channels',
  lineEvents: [],
  register(app, deps) {
    registerChannelRoutes(app, deps.channels);
  },
});
