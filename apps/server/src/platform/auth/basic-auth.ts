import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../crypto.ts';
import { matchedAccess } from './route-access.ts';

// Optional HTTP Basic authentication in front of the staff console and the staff API (S-07),
// decided from the route that matched, like every other protection.
export function registerBasicAuth(app: FastifyInstance, credentials: string): void {
  const expected = `Basic ${Buffer.from(credentials).toString('base64')}`;
  app.addHook('onRequest', async (request, reply) => {
    const kind = matchedAccess(request)?.kind;
    if (kind !== 'staff' && kind !== 'console-app') return;
    if (!safeEqual(request.headers.authorization ?? '', expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Basic realm="Madoguchi", charset="UTF-8"')
        .send({ code: 'BASIC_AUTH_REQUIRED', message: '認証が必要です' });
    }
  });
}
