import type { ChannelRuntime } from './channel-runtime.ts';
import { issueIdToken } from './id-token.ts';
import { newLoginAccessToken } from './ids.ts';
import type { LiffApp, VirtualUser } from './model.ts';
import { loginCredentials, type SimulatorState } from './state.ts';

// The LIFF stand-in: opening a LIFF app for a virtual user gives the endpoint URL with LINE Login
// credentials in the fragment, as the real LIFF SDK receives them on its primary redirect.

export const LOGIN_ACCESS_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const LIFF_URL_PATTERNS = [
  /^https:\/\/liff\.line\.me\/([^/?#]+)(.*)$/i,
  /^line:\/\/app\/([^/?#]+)(.*)$/i,
  /^https:\/\/line\.me\/R\/app\/([^/?#]+)(.*)$/i,
];

/** `https://liff.line.me/{liffId}/path?q` → {liffId, path: '/path?q'}. */
export function parseLiffUrl(url: string): { liffId: string; path: string } | undefined {
  for (const pattern of LIFF_URL_PATTERNS) {
    const m = pattern.exec(url.trim());
    if (m?.[1]) return { liffId: m[1], path: m[2] ?? '' };
  }
  return undefined;
}

/** Endpoint URL + additional path (and query), as LIFF resolves `liff.line.me/{id}/{path}`. */
export function joinLiffPath(endpointUrl: string, path: string): string {
  if (!path) return endpointUrl;
  const url = new URL(endpointUrl);
  const onlyQueryOrHash = path.startsWith('?') || path.startsWith('#');
  const extra = new URL(onlyQueryOrHash || path.startsWith('/') ? path : `/${path}`, 'http://placeholder');
  if (!onlyQueryOrHash && extra.pathname !== '/') {
    url.pathname = url.pathname.replace(/\/+$/, '') + extra.pathname;
  }
  for (const [k, v] of extra.searchParams) url.searchParams.append(k, v);
  if (extra.hash) url.hash = extra.hash;
  return url.toString();
}

export interface LiffCredentials {
  idToken: string;
  accessToken: string;
}

/** Issues an ID token and a LINE Login access token for a user of a channel's LIFF app. */
export function issueLiffCredentials(
  state: SimulatorState,
  channel: ChannelRuntime,
  app: LiffApp,
  user: VirtualUser,
  nowMs: number,
): LiffCredentials {
  const { loginChannelId, loginChannelSecret } = loginCredentials(channel.config);
  const idToken = issueIdToken({
    userId: user.userId,
    loginChannelId,
    secret: loginChannelSecret,
    nowMs,
    name: user.displayName,
    ...(user.pictureUrl ? { picture: user.pictureUrl } : {}),
  });
  const accessToken = newLoginAccessToken();
  state.loginTokens.set(accessToken, {
    userId: user.userId,
    channelId: channel.channelId,
    loginChannelId,
    liffId: app.liffId,
    expiresAt: nowMs + LOGIN_ACCESS_TOKEN_TTL_MS,
  });
  return { idToken, accessToken };
}

/** The URL the phone opens: endpoint (+ path) with the credentials in the fragment. */
export function liffOpenUrl(app: LiffApp, path: string, credentials: LiffCredentials): string {
  const target = new URL(joinLiffPath(app.endpointUrl, path));
  const fragment = new URLSearchParams({
    id_token: credentials.idToken,
    access_token: credentials.accessToken,
    liff_id: app.liffId,
    liff_endpoint: app.endpointUrl,
  });
  target.hash = fragment.toString();
  return target.toString();
}
