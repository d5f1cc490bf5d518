import { defineModule } from '../define-module.ts';
import { subscribeDisasterInfo } from './disaster-info.ts';

// 防災情報 answered with a fixed notice until disaster mode exists (issue 9).
export const disasterModule = defineModule({
  name: 'disaster',
  lineEvents: ['message', 'postback'],
  register(_app, deps) {
    subscribeDisasterInfo(deps.bus);
  },
});
