import { defineModule } from '../define-module.ts';
import { disasterSwitchOf, RICHMENU_RUN_JOB } from './disaster-switch.ts';
import { createPublicationsService } from './publications.service.ts';
import { subscribeTapCounts } from './richmenu-taps.ts';
import { registerRichMenuRoutes } from './richmenus.routes.ts';
import { createRichMenusService } from './richmenus.service.ts';

export { RICHMENU_RUN_JOB };
export const RICHMENU_SWEEP_JOB = 'richmenus.sweep';

// Tabbed rich menus (M-01 … M-05, O-08): tab groups made on LINE (menus, images, aliases wired with
// richmenuswitch), published as the default or to a segment on a schedule, tap counts.
export const richmenusModule = defineModule({
  name: 'richmenus',
  lineEvents: ['postback'],
  register(app, deps) {
    const base = {
      db: deps.db,
      channels: deps.channels,
      line: deps.line,
      publicUrl: deps.config.PUBLIC_URL,
      log: app.log,
    };
    const menus = createRichMenusService(base);
    const runNow = deps.trigger(RICHMENU_RUN_JOB, 50);
    const disaster = disasterSwitchOf(deps, app.log);
    const publications = createPublicationsService({ ...base, runNow, disaster });
    const run = async () => {
      await publications.run();
    };
    deps.jobs.define({ name: RICHMENU_RUN_JOB, handler: run, retryLimit: 3 });
    deps.jobs.define({ name: RICHMENU_SWEEP_JOB, handler: run, cron: '* * * * *', retryLimit: 0 });
    registerRichMenuRoutes(app, { db: deps.db, menus, publications, disaster });
    subscribeTapCounts(deps.bus);
  },
});
