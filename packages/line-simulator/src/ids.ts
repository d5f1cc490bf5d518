import { randomBytes, randomUUID } from 'node:crypto';

// Identifiers shaped like the ones the LINE Platform issues.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A LINE user ID: `U` followed by 32 lowercase hex digits. */
export function newUserId(): string {
  return `U${randomBytes(16).toString('hex')}`;
}

export const USER_ID_PATTERN = /^U[0-9a-f]{32}$/;

/** True when the string looks like a LINE user, group or room ID. */
export function isLineChatId(id: string): boolean {
  return /^[UCR][0-9a-f]{32}$/.test(id);
}

/** A reply token: 32 lowercase hex digits, like LINE's. */
export function newReplyToken(): string {
  return randomBytes(16).toString('hex');
}

/** A quote token: an opaque URL-safe string. */
export function newQuoteToken(): string {
  return randomBytes(48).toString('base64url');
}

/** A request ID as in LINE's `X-Line-Request-Id` header (a UUID). */
export function newRequestId(): string {
  return randomUUID();
}

/** A rich menu ID: `richmenu-` followed by 32 lowercase hex digits. */
export function newRichMenuId(): string {
  return `richmenu-${randomBytes(16).toString('hex')}`;
}

/** An opaque access token for LINE Login (LIFF). */
export function newLoginAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A ULID (26 Crockford base32 characters: 48-bit time, 80 random bits), as LINE's webhookEventId. */
export function newUlid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32];
  return time + rand;
}

/**
 * Numeric message IDs (LINE's are decimal strings of about 18 digits). A counter keeps them
 * unique and ordered within one simulator process; the start is time-based so that IDs from a
 * restarted simulator with persisted state do not collide with earlier ones.
 */
export class MessageIdGenerator {
  #next: bigint;

  constructor(start: number = Date.now()) {
    this.#next = BigInt(start) * 100_000n;
  }

  next(): string {
    this.#next += 1n;
    return this.#next.toString();
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
