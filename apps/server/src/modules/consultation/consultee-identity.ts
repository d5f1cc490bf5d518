import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { CITIZEN_COOKIE } from '../citizen/citizen.routes.ts';
import { findCitizenSession } from '../citizen/citizen-sessions.service.ts';
import type { ConsultationRow } from './consultations.repository.ts';
import {
  findConsulteeByWebToken,
  insertWebConsultee,
  upsertLineConsultee,
} from './consultations.repository.ts';

// Who the consultee is: a LINE user signed in through LIFF (citizen session), or an anonymous web
// consultee known only by a random cookie (school tablets, C-02). Never an ID sent by the browser.

export const CONSULTEE_COOKIE = 'madoguchi_consultee';

export interface Consultee {
  id: string;
  label: string;
  origin: 'line' | 'web';
  channelId: string | null;
}

export async function findConsultee(db: Db, request: FastifyRequest): Promise<Consultee | null> {
  const citizenRaw = request.cookies[CITIZEN_COOKIE];
  if (citizenRaw) {
    const s = await findCitizenSession(db, sha256Hex(citizenRaw));
    if (s) {
      const c = await upsertLineConsultee(
        db,
        s.channel_id,
        s.line_user_id,
        `LINE: ${s.display_name ?? '名前なし'}`,
      );
      return { id: c.id, label: c.label, origin: 'line', channelId: s.channel_id };
    }
  }
  const webRaw = request.cookies[CONSULTEE_COOKIE];
  if (webRaw) {
    const c = await findConsulteeByWebToken(db, sha256Hex(webRaw));
    if (c) return { id: c.id, label: c.label, origin: 'web', channelId: null };
  }
  return null;
}

export async function createWebConsultee(db: Db, config: Config, reply: FastifyReply): Promise<Consultee> {
  const token = randomToken(32);
  // A short, readable number for staff; it reveals nothing about the cookie.
  const label = `Web 相談者 ${randomBytes(3).toString('hex').toUpperCase()}`;
  const c = await insertWebConsultee(db, sha256Hex(token), label);
  reply.setCookie(CONSULTEE_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE ?? config.PUBLIC_URL.startsWith('https://'),
    maxAge: 180 * 24 * 3600,
  });
  return { id: c.id, label: c.label, origin: 'web', channelId: null };
}

/** Another consultee's consultation is answered exactly like a missing one. */
export function assertOwner(c: ConsultationRow, consultee: Consultee | null): asserts consultee is Consultee {
  if (!consultee || c.consultee_id !== consultee.id)
    throw new AppError(404, 'NOT_FOUND', '相談が見つかりません');
}

/** What a consultee sees of a message: counselors are shown as 相談員, never by name. */
export function forConsultee<T extends { accountName: string | null }>(m: T): T {
  return { ...m, accountName: null };
}
