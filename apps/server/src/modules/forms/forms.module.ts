import { defineModule } from '../define-module.ts';
import { registerAttributeExportRoutes } from './attribute-export.routes.ts';
import { registerFormRoutes } from './forms.routes.ts';
import { registerRegistrationRoutes } from './registration.routes.ts';

// Forms and attribute registration (G-01 … G-03, G-11, D-08): the designer API, the citizens'
// registration and the attribute export. The follow greeting that invites the registration is a
// built-in scenario of the chatbot module (one engine, B-02).
export const formsModule = defineModule({
  name: 'forms',
  lineEvents: [],
  register(app, deps) {
    registerFormRoutes(app, { db: deps.db });
    registerRegistrationRoutes(app, { db: deps.db, cipher: deps.cipher });
    registerAttributeExportRoutes(app, { db: deps.db, cipher: deps.cipher, channels: deps.channels });
  },
});
