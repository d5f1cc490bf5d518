import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { randomToken, safeEqual, sha256Hex } from '../crypto.ts';
import { AppError } from '../errors.ts';
import type { IpAllowlists } from '../security/ip-allowlist.service.ts';
import { hasPermission } from './permissions.ts';
import { areasOfPermissions, isUnsafeMethod, matchedAccess } from './route-access.ts';
import { deleteSession, findSession, insertSession, touchSession } from './sessions.repository.ts';

// Staff routes (as each route declares, see route-access.ts): IP allow-list → session → permission
// → CSRF, and an audit entry for every call and every refusal.

export const SESSION_COOKIE = 'madoguchi_sid';
const TOUCH_EVERY_MS = 60_000;

export interface StaffPrincipal {
  sessionHash: string;
  csrfToken: string;
  accountId: string;
  loginId: string;
  displayName: string;
  roleId: string;
  roleName: string;
  permissions: string[];
  mustChangePassword: boolean;
  totpEnabled: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
    auditTarget?: { id?: string; count?: number; detail?: Record<string, unknown> };
  }
}

export interface StaffAuthOptions {
  config: Config;
  db: Db;
  ipAllowlists: IpAllowlists;
}

export function sessionCookieOptions(config: Config) {
  const secure = config.COOKIE_SECURE ?? config.PUBLIC_URL.startsWith('https://');
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure };
}

export async function startSession(
  opts: StaffAuthOptions,
  reply: FastifyReply,
  account: { id: string },
  request: FastifyRequest,
): Promise<{ csrfToken: string; idHash: string }> {
  // A new random ID at every login (session fixation cannot carry over).
  const id = randomToken(32);
  const idHash = sha256Hex(id);
  const csrfToken = randomToken(24);
  await insertSession(opts.db, {
    idHash,
    accountId: account.id,
    csrfToken,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
    expiresAt: new Date(Date.now() + opts.config.SESSION_ABSOLUTE_HOURS * 3600_000),
  });
  reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(opts.config));
  return { csrfToken, idHash };
}

export async function endSession(opts: StaffAuthOptions, request: FastifyRequest, reply: FastifyReply) {
  if (request.staff) await deleteSession(opts.db, request.staff.sessionHash);
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(opts.config));
}

export async function loadStaffPrincipal(
  opts: StaffAuthOptions,
  request: FastifyRequest,
): Promise<StaffPrincipal> {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) throw new AppError(401, 'UNAUTHENTICATED', 'ログインしてください');
  const idHash = sha256Hex(raw);
  const s = await findSession(opts.db, idHash);
  if (!s) throw new AppError(401, 'UNAUTHENTICATED', 'ログインしてください');
  const now = Date.now();
  const idleLimit = s.last_seen_at.getTime() + opts.config.SESSION_IDLE_MINUTES * 60_000;
  if (s.disabled || now > s.expires_at.getTime() || now > idleLimit) {
    await deleteSession(opts.db, idHash);
    throw new AppError(
      401,
      'SESSION_EXPIRED',
      'セッションの有効期限が切れました。もう一度ログインしてください',
    );
  }
  if (now - s.last_seen_at.getTime() > TOUCH_EVERY_MS) await touchSession(opts.db, idHash, new Date(now));
  return principalOfSession(idHash, s);
}

/**
 * The permissions of a session that is still valid (not ended, not past its absolute expiry, account
 * enabled), or null. Read without touching the session (a long-lived socket's re-check).
 */
export async function livePermissions(db: Db, idHash: string): Promise<string[] | null> {
  const s = await findSession(db, idHash);
  return s && !s.disabled && Date.now() <= s.expires_at.getTime() ? s.permissions : null;
}

/** The signed-in staff member of a session row (sessions.repository.ts findSession). */
export function principalOfSession(
  idHash: string,
  s: NonNullable<Awaited<ReturnType<typeof findSession>>>,
): StaffPrincipal {
  return {
    sessionHash: idHash,
    csrfToken: s.csrf_token,
    accountId: s.account_id,
    loginId: s.login_id,
    displayName: s.display_name,
    roleId: s.role_id,
    roleName: s.role_name,
    permissions: s.permissions,
    mustChangePassword: s.must_change_password,
    totpEnabled: s.totp_secret_enc !== null,
  };
}

/** Whether an account with these permissions may work from this address: the areas its role uses. */
export async function isAllowedForRole(lists: IpAllowlists, permissions: readonly string[], ip: string) {
  const allowed = await Promise.all(areasOfPermissions(permissions).map((a) => lists.isAllowed(a, ip)));
  return allowed.some(Boolean);
}

export const ipNotAllowed = () =>
  new AppError(403, 'IP_NOT_ALLOWED', 'この接続元 IP アドレスからは利用できません');

export function registerStaffAuth(app: FastifyInstance, opts: StaffAuthOptions): void {
  app.decorateRequest('staff', undefined);
  app.decorateRequest('auditTarget', undefined);

  // onRequest: refused requests never reach body parsing or validation.
  app.addHook('onRequest', async (request) => {
    const access = matchedAccess(request);
    if (access?.kind === 'console-app') {
      // The console's pages: from an address on either allow-list.
      if (!(await opts.ipAllowlists.isAllowedAnywhere(request.ip))) throw ipNotAllowed();
      return;
    }
    if (access?.kind !== 'staff') return;
    const { area, permissions } = access;
    if (area === 'self') {
      // Session and self-service routes belong to whichever area the account's role uses.
      if (!(await opts.ipAllowlists.isAllowedAnywhere(request.ip))) throw ipNotAllowed();
      request.staff = await loadStaffPrincipal(opts, request);
      if (!(await isAllowedForRole(opts.ipAllowlists, request.staff.permissions, request.ip))) {
        throw ipNotAllowed();
      }
    } else {
      if (!(await opts.ipAllowlists.isAllowed(area, request.ip))) throw ipNotAllowed();
      request.staff = await loadStaffPrincipal(opts, request);
    }
    const staff = request.staff;
    if (permissions.length && !permissions.some((p) => hasPermission(staff.permissions, p))) {
      throw new AppError(403, 'FORBIDDEN', 'この操作を行う権限がありません');
    }
    if (isUnsafeMethod(request.method) && request.routeOptions.config.csrf !== false) {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !safeEqual(token, staff.csrfToken)) {
        throw new AppError(403, 'CSRF_INVALID', '画面を再読み込みしてからもう一度操作してください');
      }
    }
    if (staff.mustChangePassword && area !== 'self') {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'パスワードを変更してください');
    }
  });

  // One audit entry for every call of a staff route: its declared action, `access.read` for a
  // read without one, and the declared action (or `access.denied`) as a failure for a refusal.
  // Written before the response leaves (onSend), so an answered request always has its entry.
  app.addHook('onSend', async (request, reply) => {
    if (matchedAccess(request)?.kind !== 'staff') return;
    const cfg = request.routeOptions.config;
    const refused = reply.statusCode === 401 || reply.statusCode === 403;
    const action = cfg.audit?.action ?? (refused ? 'access.denied' : 'access.read');
    const params = request.params as Record<string, string> | undefined;
    try {
      await recordAudit(opts.db, {
        accountId: request.staff?.accountId ?? null,
        loginId: request.staff?.loginId ?? null,
        ip: request.ip,
        action,
        targetType: cfg.audit?.targetType ?? null,
        targetId: request.auditTarget?.id ?? params?.id ?? null,
        result: reply.statusCode < 400 ? 'success' : 'failure',
        count: request.auditTarget?.count ?? null,
        detail: {
          method: request.method,
          path: request.routeOptions.url,
          status: reply.statusCode,
          ...(request.auditTarget?.detail ?? {}),
        },
      });
    } catch (err) {
      request.log.error({ err }, 'audit write failed');
    }
  });
}
