import {
  createChatbotRuntime,
  DEMO_DISASTER_CONTACT,
  EVACUATION_SCENARIO_KEY,
} from '../chatbot/chatbot.service.ts';
import { defineModule } from '../define-module.ts';
import { registerDisasterRoutes } from './disaster.routes.ts';
import { subscribeDisasterInfo } from './disaster-info.ts';
import { disasterModeOn } from './disaster-mode.service.ts';

// 防災情報: a fixed notice in normal times; while disaster mode (X-01, the rich menu module's
// switch) is on, a notice saying so followed by the evacuation guidance — the chatbot's scenario
// `evacuation` (its ready template runs built in until the channel publishes its own), which asks
// three questions and ends at the shelter search. GET /api/disaster/status for the dashboard banner.
export const disasterModule = defineModule({
  name: 'disaster',
  lineEvents: ['message', 'postback'],
  register(app, deps) {
    // Disaster mode is read through the rich menu module's service (disasterModeOf), in the
    // dispatch transaction the bus hands each handler.
    const modeOn = disasterModeOn;
    const contact = deps.config.DISASTER_CONTACT ?? DEMO_DISASTER_CONTACT;
    const chatbot = createChatbotRuntime({ cipher: deps.cipher, publicUrl: deps.config.PUBLIC_URL, contact });
    subscribeDisasterInfo(deps.bus, {
      modeOn,
      startGuide: (trx, e, effects, prefix) =>
        chatbot.startFromEvent(trx, e, effects, EVACUATION_SCENARIO_KEY, prefix),
    });
    registerDisasterRoutes(app, { db: deps.db, channels: deps.channels });
  },
});
