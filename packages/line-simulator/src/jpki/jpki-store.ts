import type { JWK } from 'jose';

// In-memory state of the JPKI stand-in (not persisted: clients are registered at each start).

export interface JpkiClient {
  clientId: string;
  jwk: JWK;
  redirectUris: string[];
}

export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  scope: string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  signTransactionId: string | undefined;
  expiresAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scope: string[];
  nonce: string;
  codeChallenge: string;
  identityId: string;
  signTransactionId: string | undefined;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  clientId: string;
  scope: string[];
  identityId: string | null;
  signTransactionId: string | undefined;
  expiresAt: number;
}

export interface SignTransaction {
  id: string;
  clientId: string;
  digest: Buffer;
  result?: { identityId: string; signature: string };
}

export interface JpkiRequestRecord {
  at: number;
  endpoint: 'authorize' | 'token' | 'userinfo' | 'sign-transactions' | 'sign-result';
  /** authorize: the query; token: the form fields except the assertion */
  params: Record<string, string>;
  /** token: the client assertion's decoded header and claims */
  clientAssertion?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  status: number;
  error?: string;
}

/** Deviations for the next ID token (tests of the relying party's checks). */
export interface JpkiFaults {
  idTokenAud?: string;
  idTokenNonce?: string;
  idTokenIss?: string;
  /** an ID token that expired a minute before it was issued */
  idTokenExpired?: boolean;
}

export class JpkiStore {
  readonly clients = new Map<string, JpkiClient>();
  readonly requests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly tokens = new Map<string, AccessToken>();
  readonly signTransactions = new Map<string, SignTransaction>();
  /** client assertion jti → its exp (ms), refused when seen again */
  readonly jtis = new Map<string, number>();
  /** wrong PIN entries per identity; 3 locks the card */
  readonly pinFailures = new Map<string, number>();
  readonly log: JpkiRequestRecord[] = [];
  faults: JpkiFaults = {};

  record(r: JpkiRequestRecord): void {
    this.log.push(r);
    if (this.log.length > 500) this.log.splice(0, this.log.length - 500);
  }

  sweep(now: number): void {
    for (const [k, v] of this.requests) if (v.expiresAt < now) this.requests.delete(k);
    for (const [k, v] of this.codes) if (v.expiresAt + 600_000 < now) this.codes.delete(k);
    for (const [k, v] of this.tokens) if (v.expiresAt < now) this.tokens.delete(k);
    for (const [k, exp] of this.jtis) if (exp < now) this.jtis.delete(k);
  }
}

export const PIN_TRIES = 3;
