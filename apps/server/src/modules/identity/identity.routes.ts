import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { requireCitizen } from '../citizen/citizen.routes.ts';
import {
  citizenRefOf,
  completeIdentityVerification,
  IDENTITY_CALLBACK_PATH,
  type IdentityDeps,
} from './identity.service.ts';

// The provider sends the browser back here (the redirect URI registered with the provider). It
// always answers with a redirect to a citizen page carrying the outcome (identity.service.ts).

const param = (max: number) => z.string().max(max).optional();

export const identityCallbackQuery = z.object({
  state: param(512),
  code: param(4096),
  error: param(200),
  error_description: param(1000),
  iss: param(1000),
  session_state: param(500),
});

export function registerIdentityRoutes(app: Api, deps: { db: Db; identity: IdentityDeps }): void {
  app.get(
    IDENTITY_CALLBACK_PATH,
    {
      schema: {
        tags: ['citizen'],
        summary: '本人確認（マイナンバーカード）から戻る',
        querystring: identityCallbackQuery,
      },
      // Per address; generous because many phones share a carrier's address (and the state has
      // 256 bits: guessing it is hopeless).
      config: { staff: false, rateLimit: { max: 120, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const session = await requireCitizen(deps.db, request).catch(() => undefined);
      const r = await completeIdentityVerification(deps.db, deps.identity, {
        params: request.query,
        citizenRef: session ? citizenRefOf(session) : null,
        ip: request.ip,
      });
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      return reply.redirect(r.location, 303);
    },
  );
}
