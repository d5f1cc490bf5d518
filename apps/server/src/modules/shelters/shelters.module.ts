import { defineModule } from '../define-module.ts';
import { subscribeShelterSearch } from './shelter-line.ts';
import { registerShelterRoutes } from './shelters.routes.ts';

// Shelters (避難所): CSV import, one-tap status, search near a location in LINE and on
// the citizen page.
export const sheltersModule = defineModule({
  name: 'shelters',
  lineEvents: ['message', 'postback'],
  register(app, deps) {
    registerShelterRoutes(app, { db: deps.db });
    subscribeShelterSearch(deps.bus);
  },
});
