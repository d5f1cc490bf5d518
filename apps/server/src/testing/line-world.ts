import { type RunningSimulator, startSimulator } from '@madoguchi/line-simulator';
import {
  createJpkiClientKey,
  jpkiIssuer,
  registerJpkiClient,
} from '@madoguchi/line-simulator/jpki/jpki-client.ts';
import { createChannelsService } from '../modules/channels/channels.service.ts';
import { registerAtStripeStandIn, stripeStandInEnv } from '../modules/payments/stand-in-wiring.ts';
import { createCipher } from '../platform/crypto.ts';
import { startTestServer, type TestServer } from './test-server.ts';

// The product wired to the LINE simulator: one channel registered on both sides (Messaging API,
// LINE Login, a LIFF app whose endpoint is the citizen page), ready for signed webhooks and ID tokens.

export interface LineWorld {
  sim: RunningSimulator;
  server: TestServer;
  /** Madoguchi's channel ID. */
  channelId: string;
  line: { channelId: string; liffId: string };
  /** Calls the simulator's /_sim API; throws on an error answer. */
  sim$(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** With `identity: true`: the server's client at the JPKI stand-in (IDENTITY_* are set). */
  identity?: { clientId: string; issuer: string; privateKeyPem: string; redirectUri: string };
  /** An ID token for a virtual user, as the LIFF page receives it. */
  idTokenFor(userId: string, path?: string): Promise<{ idToken: string; url: string }>;
  close(): Promise<void>;
}

export async function startLineWorld(
  lineChannelId: string,
  opts: { env?: Record<string, string>; rateLimits?: boolean; identity?: boolean } = {},
): Promise<LineWorld> {
  const line = {
    channelId: lineChannelId,
    secret: `secret-${lineChannelId}`,
    token: `token-${lineChannelId}`,
    login: String(Number(lineChannelId) + 1),
    loginSecret: `login-secret-${lineChannelId}`,
    liffId: `${Number(lineChannelId) + 1}-Liff1234`,
  };
  const sim = await startSimulator({ port: 0, rateLimits: opts.rateLimits ?? false });
  // The identity provider (issue 15): the simulator's JPKI stand-in, with a client key made now.
  // The test server's PUBLIC_URL is fixed (test-server.ts), so is the redirect URI.
  let identity: LineWorld['identity'];
  if (opts.identity) {
    const key = createJpkiClientKey();
    identity = {
      clientId: `madoguchi${lineChannelId}`,
      issuer: jpkiIssuer(sim.url),
      privateKeyPem: key.privateKeyPem,
      redirectUri: 'http://127.0.0.1:3000/api/citizen/identity/callback',
    };
    await registerJpkiClient(sim.url, {
      clientId: identity.clientId,
      publicJwk: key.publicJwk,
      redirectUris: [identity.redirectUri],
    });
  }
  const server = await startTestServer({
    LINE_API_BASE_URL: sim.url,
    LINE_DATA_API_BASE_URL: sim.url,
    LINE_OAUTH_BASE_URL: sim.url,
    ...(identity
      ? {
          IDENTITY_PROVIDER: 'digital-auth-app',
          IDENTITY_ISSUER: identity.issuer,
          IDENTITY_CLIENT_ID: identity.clientId,
          IDENTITY_PRIVATE_KEY: identity.privateKeyPem,
        }
      : {}),
    // Payments (issue 15): Stripe at the simulator's payment stand-in, with test keys.
    ...stripeStandInEnv(sim.url),
    ...opts.env,
  });
  if (server.config.STRIPE_API_BASE === sim.url) {
    await registerAtStripeStandIn(sim.url, server.url, { retryBaseMs: 20, maxAttempts: 5 });
  }
  const channels = createChannelsService({
    db: server.db,
    cipher: createCipher(server.config.ENCRYPTION_KEY),
    publicUrl: server.url,
  });
  const ch = await channels.create({
    name: 'テスト市',
    lineChannelId: line.channelId,
    channelSecret: line.secret,
    accessToken: line.token,
    environment: 'production',
    loginChannelId: line.login,
    loginChannelSecret: line.loginSecret,
    liffId: line.liffId,
  });
  const sim$ = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const r = await fetch(`${sim.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : null,
    });
    if (r.status >= 300) throw new Error(`simulator ${method} ${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, unknown>>;
  };
  await sim$('POST', '/_sim/channels', {
    channelId: line.channelId,
    name: 'テスト市',
    channelSecret: line.secret,
    accessToken: line.token,
    webhookUrl: ch.webhookUrl,
    loginChannelId: line.login,
    loginChannelSecret: line.loginSecret,
    liffApps: [{ liffId: line.liffId, endpointUrl: `${server.url}/citizen/?ch=${ch.id}` }],
  });
  return {
    sim,
    server,
    channelId: ch.id,
    line: { channelId: line.channelId, liffId: line.liffId },
    ...(identity ? { identity } : {}),
    sim$,
    async idTokenFor(userId, path) {
      const { url } = (await sim$('POST', '/_sim/liff/open', {
        userId,
        liffId: line.liffId,
        ...(path ? { path } : {}),
      })) as { url: string };
      const idToken = new URLSearchParams(new URL(url).hash.slice(1)).get('id_token');
      if (!idToken) throw new Error('no id_token in the LIFF URL');
      return { idToken, url };
    },
    async close() {
      await server.close();
      await sim.close();
    },
  };
}
