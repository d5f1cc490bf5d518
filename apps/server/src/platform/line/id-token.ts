// Verifies a LINE Login / LIFF ID token with LINE's own endpoint (POST /oauth2/v2.1/verify), so the
// server never trusts a user ID sent by the browser.

export interface VerifiedLineUser {
  userId: string;
  name: string | null;
  picture: string | null;
}

export class IdTokenError extends Error {}

export async function verifyLineIdToken(
  oauthBaseUrl: string,
  idToken: string,
  clientId: string,
): Promise<VerifiedLineUser> {
  const response = await fetch(new URL('/oauth2/v2.1/verify', oauthBaseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ id_token: idToken, client_id: clientId }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    throw new IdTokenError(
      String(body.error_description ?? body.error ?? `verify failed (${response.status})`),
    );
  }
  if (typeof body.sub !== 'string' || body.aud !== clientId)
    throw new IdTokenError('unexpected verify response');
  return {
    userId: body.sub,
    name: typeof body.name === 'string' ? body.name : null,
    picture: typeof body.picture === 'string' ? body.picture : null,
  };
}
