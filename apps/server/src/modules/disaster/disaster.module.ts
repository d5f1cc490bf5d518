import { defineModule } from '../define-module.ts';
import { createRichMenusService } from '../richmenus/richmenus.service.ts';
import { registerDisasterRoutes } from './disaster.routes.ts';
import { subscribeDisasterInfo } from './disaster-info.ts';
import { liveDisaster } from './disaster-mode.service.ts';
import { DEMO_DISASTER_CONTACT } from './evacuation-guide.ts';
import { subscribeEvacuationGuide } from './evacuation-guide-line.ts';

// 防災情報 and the evacuation guidance: a fixed notice in normal times; while disaster mode
// (X-01, the rich menu module's switch) is on, a notice saying so and a guidance of three questions
// that ends at the shelter search. GET /api/disaster/status for the dashboard banner.
export const disasterModule = defineModule({
  name: 'disaster',
  lineEvents: ['message', 'postback'],
  register(app, deps) {
    // The rich menu module's read API (its service; this instance only reads).
    const menus = createRichMenusService({
      db: deps.db,
      channels: deps.channels,
      line: deps.line,
      publicUrl: deps.config.PUBLIC_URL,
    });
    const modeOn = async (channelId: string) => (await liveDisaster(menus, channelId)) !== null;
    const contact = deps.config.DISASTER_CONTACT ?? DEMO_DISASTER_CONTACT;
    subscribeDisasterInfo(deps.bus, { modeOn });
    subscribeEvacuationGuide(deps.bus, { contact, modeOn });
    registerDisasterRoutes(app, { db: deps.db, menus, channels: deps.channels });
  },
});
