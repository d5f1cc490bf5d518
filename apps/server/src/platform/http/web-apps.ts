import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// Serves the built web apps: the staff console at /console/ and the citizen pages at /citizen/.
// Unknown paths below them get the app's index.html (client-side routing).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

export const WEB_APPS = [
  { prefix: '/console/', dir: path.join(repoRoot, 'apps/console/dist') },
  { prefix: '/citizen/', dir: path.join(repoRoot, 'apps/citizen/dist') },
] as const;

export async function registerWebApps(app: FastifyInstance): Promise<void> {
  const indexes = new Map<string, string>();
  let first = true;
  for (const web of WEB_APPS) {
    if (!existsSync(path.join(web.dir, 'index.html'))) {
      app.get(web.prefix, { config: { staff: false } }, async (_req, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(
            `<!doctype html><meta charset="utf-8"><p>${web.prefix} はまだビルドされていません。npm run build:web を実行してください。</p>`,
          ),
      );
      continue;
    }
    indexes.set(web.prefix, readFileSync(path.join(web.dir, 'index.html'), 'utf8'));
    await app.register(fastifyStatic, {
      root: web.dir,
      prefix: web.prefix,
      decorateReply: first,
      wildcard: true,
      index: ['index.html'],
      maxAge: '1h',
      immutable: false,
      setHeaders: (res, filePath) => {
        if (filePath.endsWith('index.html')) res.header('cache-control', 'no-cache');
      },
    });
    first = false;
  }
  app.get('/', { config: { staff: false } }, async (_req, reply) => reply.redirect('/console/'));
  app.setNotFoundHandler((request, reply) => {
    const web = WEB_APPS.find((w) => request.url.startsWith(w.prefix));
    const html = web && indexes.get(web.prefix);
    if (html && request.method === 'GET' && !path.extname(request.url.split('?')[0] ?? '')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    }
    return reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `${request.method} ${request.url} は存在しません` });
  });
}
