import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SimContext } from '../context.ts';
import { verifyIdToken } from '../id-token.ts';
import type { LoginAccessToken } from '../state.ts';

// LINE Login endpoints the product calls: verify ID tokens and access tokens, get the profile.

function loginError(reply: FastifyReply, description: string, status = 400) {
  return reply.code(status).send({ error: 'invalid_request', error_description: description });
}

export function registerLoginRoutes(app: FastifyInstance, ctx: SimContext): void {
  function validAccessToken(token: string | undefined): LoginAccessToken | undefined {
    const record = token ? ctx.state.loginTokens.get(token) : undefined;
    return record && record.expiresAt > ctx.now() ? record : undefined;
  }

  app.post('/oauth2/v2.1/verify', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const idToken = body.id_token;
    const clientId = body.client_id;
    if (!idToken) return loginError(reply, 'id_token is required');
    if (!clientId) return loginError(reply, 'client_id is required');
    const result = verifyIdToken(idToken, {
      clientId,
      nonce: body.nonce,
      userId: body.user_id,
      nowMs: ctx.now(),
      secretFor: (loginChannelId) => ctx.state.loginChannel(loginChannelId)?.secret,
    });
    if (!result.ok) return loginError(reply, result.error);
    return reply.send(result.claims);
  });

  app.get('/oauth2/v2.1/verify', async (req, reply) => {
    const token = (req.query as { access_token?: string }).access_token;
    if (!token) return loginError(reply, 'access_token is required');
    const record = ctx.state.loginTokens.get(token);
    if (!record) return loginError(reply, 'invalid access token');
    if (record.expiresAt <= ctx.now()) return loginError(reply, 'access token expired');
    return reply.send({
      scope: 'profile openid',
      client_id: record.loginChannelId,
      expires_in: Math.floor((record.expiresAt - ctx.now()) / 1000),
    });
  });

  app.get('/v2/profile', async (req, reply) => {
    const auth = req.headers.authorization;
    const record = validAccessToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
    if (!record) return reply.code(401).send({ message: 'invalid token' });
    const user = ctx.state.users.get(record.userId);
    if (!user) return reply.code(401).send({ message: 'invalid token' });
    return reply.send({
      userId: user.userId,
      displayName: user.displayName,
      ...(user.pictureUrl ? { pictureUrl: user.pictureUrl } : {}),
      ...(user.statusMessage ? { statusMessage: user.statusMessage } : {}),
    });
  });
}
