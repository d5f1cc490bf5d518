import { generateKeyPairSync } from 'node:crypto';

// For the product's dev and test wiring: a client key pair and its registration at the JPKI
// stand-in (jpki.routes.ts). The private key stays with the relying party (IDENTITY_PRIVATE_KEY);
// the stand-in only gets the public JWK, as the Digital Agency does.

export const JPKI_REALM_PATH = '/jpki/api/realms/main';

/** The stand-in's issuer for a simulator base URL. */
export const jpkiIssuer = (simulatorUrl: string) => `${simulatorUrl.replace(/\/+$/, '')}${JPKI_REALM_PATH}`;

/** A new RSA client key: PKCS#8 PEM (private) and the public JWK. */
export function createJpkiClientKey(): { privateKeyPem: string; publicJwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
  };
}

/** Registers (or replaces) a client at the stand-in. */
export async function registerJpkiClient(
  simulatorUrl: string,
  client: { clientId: string; publicJwk: Record<string, unknown>; redirectUris: string[] },
): Promise<void> {
  const r = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/_sim/jpki/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: client.clientId,
      jwk: client.publicJwk,
      redirectUris: client.redirectUris,
    }),
  });
  if (r.status !== 201)
    throw new Error(`JPKI stand-in: client registration failed: ${r.status} ${await r.text()}`);
}
