import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../context.ts';

// The virtual phone (packages/line-simulator/phone, built with Vite) at /phone/.

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>LINE simulator</title>
<h1>LINE simulator</h1>
<p>The virtual phone has not been built. Run <code>npm run build -w @madoguchi/line-simulator</code>
(or <code>npm run build:web</code>) and restart the simulator.</p>
<p>The Messaging API and the <code>/_sim</code> admin API work without it.</p></html>`;

/** Registers /phone/; returns the phone's index.html (for client-side routes) when it is built. */
export async function registerPhoneRoutes(
  app: FastifyInstance,
  ctx: SimContext,
): Promise<string | undefined> {
  const dir = ctx.options.phoneDir;
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const built = existsSync(`${root.replace(/\/+$/, '')}/index.html`);

  app.get('/', async (_req, reply) => reply.redirect('/phone/', 302));
  app.get('/phone', async (_req, reply) => reply.redirect('/phone/', 302));

  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/phone/',
      decorateReply: false,
      index: ['index.html'],
    });
    return readFileSync(`${root.replace(/\/+$/, '')}/index.html`, 'utf8');
  }
  ctx.options.logger.info({ phoneDir: root }, 'virtual phone not built; /phone/ shows a note');
  app.get('/phone/*', async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
  return undefined;
}
