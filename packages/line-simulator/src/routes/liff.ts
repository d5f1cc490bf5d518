import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../context.ts';
import { issueLiffCredentials, liffOpenUrl } from '../liff.ts';
import type { JsonObject } from '../model.ts';
import type { LoginAccessToken } from '../state.ts';
import { sendMessage } from '../user-actions.ts';

// The LIFF SDK stand-in, a login page for plain browsers, and the calls the SDK makes
// (sendMessages, getFriendship; cross-origin, so with CORS).

const SDK_SOURCE = readFileSync(new URL('../liff-sdk.js', import.meta.url), 'utf8');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function cors(reply: FastifyReply): FastifyReply {
  return reply.headers({
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  });
}

export function registerLiffRoutes(app: FastifyInstance, ctx: SimContext): void {
  function tokenOf(req: FastifyRequest): LoginAccessToken | undefined {
    const auth = req.headers.authorization;
    const record = auth?.startsWith('Bearer ') ? ctx.state.loginTokens.get(auth.slice(7)) : undefined;
    return record && record.expiresAt > ctx.now() ? record : undefined;
  }

  app.get('/liff/sdk.js', async (_req, reply) => {
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(SDK_SOURCE);
  });

  app.options('/liff/*', async (_req, reply) => cors(reply).code(204).send());

  app.get('/liff/friendship', async (req, reply) => {
    cors(reply);
    const token = tokenOf(req);
    if (!token) return reply.code(401).send({ message: 'invalid token' });
    const channel = ctx.state.channels.get(token.channelId);
    return reply.send({ friendFlag: channel?.isFollowing(token.userId) ?? false });
  });

  app.post('/liff/send-messages', async (req, reply) => {
    cors(reply);
    const token = tokenOf(req);
    if (!token) return reply.code(401).send({ message: 'invalid token' });
    const channel = ctx.state.channels.get(token.channelId);
    const messages = (req.body as { messages?: unknown } | undefined)?.messages;
    if (!channel || !Array.isArray(messages) || messages.length < 1 || messages.length > 5) {
      return reply.code(400).send({ message: 'messages must be an array of 1 to 5 message objects' });
    }
    for (const m of messages as JsonObject[]) {
      if (m?.type !== 'text')
        return reply.code(400).send({ message: 'The simulator sends only text messages from LIFF' });
    }
    for (const m of messages as JsonObject[]) {
      await sendMessage(ctx, channel, token.userId, { type: 'text', text: m.text });
    }
    return reply.send({});
  });

  // liff.login() outside the phone: pick a virtual user, then return to the app with credentials.
  app.get('/liff/login', async (req, reply) => {
    const q = req.query as { liffId?: string; redirect_uri?: string };
    const found = q.liffId ? ctx.state.liffApp(q.liffId) : undefined;
    if (!found) return reply.code(404).type('text/html; charset=utf-8').send('<p>Unknown LIFF app.</p>');
    const redirectUri = q.redirect_uri ?? found.app.endpointUrl;
    if (!isUnderEndpoint(redirectUri, found.app.endpointUrl)) {
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send('<p>redirect_uri is not under the LIFF endpoint URL.</p>');
    }
    const items = [...ctx.state.users.values()]
      .slice(0, 200)
      .map((u) => {
        const href = `/liff/login/complete?${new URLSearchParams({ liffId: found.app.liffId, userId: u.userId, redirect_uri: redirectUri })}`;
        return `<li><a href="${escapeHtml(href)}">${escapeHtml(u.displayName)}</a> <small>${u.userId}</small></li>`;
      })
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="ja"><meta charset="utf-8"><title>LINE simulator login</title>` +
          `<h1>LINE simulator: log in as</h1><ul>${items || '<li>No virtual users yet (POST /_sim/users).</li>'}</ul></html>`,
      );
  });

  app.get('/liff/login/complete', async (req, reply) => {
    const q = req.query as { liffId?: string; userId?: string; redirect_uri?: string };
    const found = q.liffId ? ctx.state.liffApp(q.liffId) : undefined;
    const user = q.userId ? ctx.state.users.get(q.userId) : undefined;
    if (!found || !user) return reply.code(404).send({ message: 'Unknown LIFF app or user' });
    const redirectUri = q.redirect_uri ?? found.app.endpointUrl;
    if (!isUnderEndpoint(redirectUri, found.app.endpointUrl)) {
      return reply.code(400).send({ message: 'redirect_uri is not under the LIFF endpoint URL' });
    }
    const credentials = issueLiffCredentials(ctx.state, found.channel, found.app, user, ctx.now());
    const url = new URL(liffOpenUrl({ ...found.app, endpointUrl: redirectUri }, '', credentials));
    // Keep the real endpoint in the fragment for permanent links.
    const fragment = new URLSearchParams(url.hash.slice(1));
    fragment.set('liff_endpoint', found.app.endpointUrl);
    url.hash = fragment.toString();
    return reply.redirect(url.toString(), 302);
  });
}

function isUnderEndpoint(url: string, endpointUrl: string): boolean {
  try {
    const u = new URL(url);
    const e = new URL(endpointUrl);
    return u.origin === e.origin && u.pathname.startsWith(e.pathname.replace(/[^/]*$/, ''));
  } catch {
    return false;
  }
}
