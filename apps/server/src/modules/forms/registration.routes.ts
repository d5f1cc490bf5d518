import type { Db } from '../../db/database.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { perCitizenLimit, requireCitizen } from '../citizen/citizen.routes.ts';
import { registrationPutSchema } from './forms.schema.ts';
import { readRegistration, saveRegistration } from './forms.service.ts';

// Citizens' registration (受信設定) from LINE (G-01 … G-03): the LIFF-verified user reads the form
// with their answers and changes some or all of them. The user is the session's, never the browser's.

export function registerRegistrationRoutes(app: Api, deps: { db: Db; cipher: Cipher }): void {
  const saveLimit = perCitizenLimit(deps.db, 30);

  app.get(
    '/api/citizen/registration',
    {
      schema: { tags: ['citizen'], summary: '登録フォームと自分の回答（受信設定）' },
      config: { staff: false },
    },
    async (request, reply) => {
      const s = await requireCitizen(deps.db, request);
      reply.header('cache-control', 'no-store');
      return readRegistration(deps.db, deps.cipher, s.channel_id, s.line_user_id);
    },
  );

  app.put(
    '/api/citizen/registration',
    {
      schema: {
        tags: ['citizen'],
        summary: '受信設定を登録・変更（指定した項目だけを変更）',
        body: registrationPutSchema,
      },
      config: { staff: false, rateLimit: saveLimit },
    },
    async (request, reply) => {
      const s = await requireCitizen(deps.db, request);
      reply.header('cache-control', 'no-store');
      return saveRegistration(deps.db, deps.cipher, s.channel_id, s.line_user_id, request.body.answers);
    },
  );
}
