import { defineModule } from '../define-module.ts';
import { registerDisasterRoutes } from './disaster.routes.ts';
import { subscribeDisasterInfo } from './disaster-info.ts';
import { disasterModeOn } from './disaster-mode.service.ts';
import { DEMO_DISASTER_CONTACT } from './evacuation-guide.ts';
import { subscribeEvacuationGuide } from './evacuation-guide-line.ts';

// 防災情報 and the evacuation guidance: a fixed notice in normal times; while disaster mode
// (X-01, the rich menu module's switch) is on, a notice saying so and a guidance of three questions
// that ends at the shelter search. GET /api/disaster/status for the dashboard banner.
export const disasterModule = defineModule({
  name: 'disaster',
  lineEvents: ['message', 'postback'],
  register(app, deps) {
    // Disaster mode is read through the rich menu module's service (disasterModeOf), in the
    // dispatch transaction the bus hands each handler.
    const modeOn = disasterModeOn;
    const contact = deps.config.DISASTER_CONTACT ?? DEMO_DISASTER_CONTACT;
    subscribeDisasterInfo(deps.bus, { modeOn });
    subscribeEvacuationGuide(deps.bus, { contact, modeOn });
    registerDisasterRoutes(app, { db: deps.db, channels: deps.channels });
  },
});
