import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// Serves the built web apps: the staff console at /console/ and the citizen pages at /citizen/.
// Each app is one route (`/console/*`, `/citizen/*`) that declares what it is (config.webApp), so
// Basic auth and the allow-lists apply to the console's pages however their URL is spelled.
// A path without a file extension gets the app's index.html (client-side routing).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

export const WEB_APPS = [
  { name: 'console', prefix: '/console/', dir: path.join(repoRoot, 'apps/console/dist') },
  { name: 'citizen', prefix: '/citizen/', dir: path.join(repoRoot, 'apps/citizen/dist') },
] as const;

const notBuilt = (prefix: string) =>
  `<!doctype html><meta charset="utf-8"><title>Madoguchi</title><p>${prefix} はまだビルドされていません。npm run build:web を実行してください。</p>`;

export async function registerWebApps(app: FastifyInstance): Promise<void> {
  // Only the reply.sendFile decorator (with its path-traversal checks); the routes are below.
  await app.register(fastifyStatic, { serve: false });
  for (const web of WEB_APPS) {
    const indexFile = path.join(web.dir, 'index.html');
    const html = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : notBuilt(web.prefix);
    app.get<{ Params: { '*': string } }>(
      `${web.prefix}*`,
      { schema: { hide: true }, config: { webApp: web.name } },
      async (request, reply) => {
        const file = request.params['*'];
        if (!path.extname(file)) {
          return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
        }
        return reply.sendFile(file, web.dir, { maxAge: 3_600_000, immutable: false });
      },
    );
  }
  app.get('/', { config: { staff: false } }, async (_req, reply) => reply.redirect('/console/'));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: `${request.method} ${request.url} は存在しません` }),
  );
}
