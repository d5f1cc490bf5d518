import type { Db } from '../../db/database.ts';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';
import { findCitizenSession, insertCitizenSession } from './citizen-sessions.repository.ts';

// Read by other modules through this service (they never import this module's repository).
export { findCitizenSession } from './citizen-sessions.repository.ts';

// The citizen pages' own short session (LIFF): a random token in a cookie, only its hash stored.

const CITIZEN_SESSION_HOURS = 2;

/** The live session of the cookie's token, or undefined. */
export const findCitizen = (db: Db, token: string) => findCitizenSession(db, sha256Hex(token));

/** Starts a session for a LINE user verified by LINE; returns the cookie's token. */
export async function openCitizenSession(
  db: Db,
  s: { channelId: string; lineUserId: string; displayName: string | null; pictureUrl: string | null },
): Promise<string> {
  const token = randomToken(32);
  await insertCitizenSession(db, {
    idHash: sha256Hex(token),
    ...s,
    expiresAt: new Date(Date.now() + CITIZEN_SESSION_HOURS * 3600_000),
  });
  return token;
}
