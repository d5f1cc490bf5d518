import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Api } from '../../platform/http/api.ts';
import { findLinkByToken, recordClick } from './links.ts';

// The counted redirect of delivery links (G-10): GET /r/<token> → 302 to the stored URL, and one
// click row (link and time only: no address, no user agent, nothing about the person).
// Per client address: past COUNT_LIMIT clicks a minute the redirect still works but is not counted
// (many phones share one carrier address); past HARD_LIMIT the address is refused for a while.

const COUNT_LIMIT = 60;
const HARD_LIMIT = 600;
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>リンクが見つかりません</title></head>
<body style="font-family: sans-serif; line-height: 1.7; margin: 2rem; font-size: 1.125rem">
<h1 style="font-size: 1.5rem">リンクが見つかりません</h1>
<p>このリンクは無効か、期限が切れています。お手数ですが、LINE のメッセージをもう一度ご確認ください。</p>
</body>
</html>
`;

export function registerLinkRoutes(app: Api, deps: { db: Db }): void {
  const countLimit = app.createRateLimit({
    max: COUNT_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request) => `counted:${request.ip}`,
  });

  const notFound = (reply: FastifyReply) =>
    reply
      .status(404)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(NOT_FOUND_PAGE);

  app.get(
    '/r/:token',
    {
      schema: { hide: true, params: z.object({ token: z.string().max(200) }) },
      config: { staff: false, rateLimit: { max: HARD_LIMIT, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { token } = request.params;
      if (!TOKEN.test(token)) return notFound(reply);
      const link = await findLinkByToken(deps.db, token);
      if (!link || !/^https?:\/\//i.test(link.url)) return notFound(reply);
      const counted = await countLimit(request);
      if (counted.isAllowed || !counted.isExceeded) await recordClick(deps.db, link.id);
      return reply.header('cache-control', 'no-store').redirect(link.url, 302);
    },
  );
}
