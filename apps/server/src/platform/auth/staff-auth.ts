import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { randomToken, safeEqual, sha256Hex } from '../crypto.ts';
import { AppError } from '../errors.ts';
import type { IpAllowlists } from '../security/ip-allowlist.service.ts';
import { areaOfPermission, hasPermission, type Permission } from './permissions.ts';
import { deleteSession, findSession, insertSession, touchSession } from './sessions.repository.ts';

// Staff requests under /api: IP allow-list → session → permission → CSRF, and an audit entry for
// every operation a route declares (config.audit) and for every refusal.

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
  interface FastifyContextConfig {
    /**
     * Permission the route needs (a list: any one of them); routes without one need only a
     * signed-in account.
     */
    permission?: Permission | readonly Permission[];
    /** Allow-list area when the route has no permission (default admin). */
    area?: 'admin' | 'counselor';
    /** Audit action written for every call of this route. */
    audit?: { action: string; targetType?: string };
    /** Route is not a staff route (webhooks, citizen API, login). */
    staff?: false;
    /** Skip the CSRF check (login only). */
    csrf?: false;
  }
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

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerStaffAuth(app: FastifyInstance, opts: StaffAuthOptions): void {
  app.decorateRequest('staff', undefined);
  app.decorateRequest('auditTarget', undefined);

  // onRequest: refused requests never reach body parsing or validation.
  app.addHook('onRequest', async (request) => {
    const cfg = request.routeOptions.config;
    if (!request.url.startsWith('/api/') || cfg.staff === false) return;
    const needed: readonly Permission[] = cfg.permission === undefined ? [] : [cfg.permission].flat();
    // A route open to several permissions is in the counselor area only if all of them are.
    const area = needed.length
      ? needed.every((p) => areaOfPermission(p) === 'counselor')
        ? 'counselor'
        : 'admin'
      : (cfg.area ?? 'admin');
    if (!(await opts.ipAllowlists.isAllowed(area, request.ip))) {
      throw new AppError(403, 'IP_NOT_ALLOWED', 'この接続元 IP アドレスからは利用できません');
    }
    request.staff = await loadStaffPrincipal(opts, request);
    if (needed.length && !needed.some((p) => hasPermission(request.staff!.permissions, p))) {
      throw new AppError(403, 'FORBIDDEN', 'この操作を行う権限がありません');
    }
    if (UNSAFE.has(request.method) && cfg.csrf !== false) {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !safeEqual(token, request.staff.csrfToken)) {
        throw new AppError(403, 'CSRF_INVALID', '画面を再読み込みしてからもう一度操作してください');
      }
    }
    if (request.staff.mustChangePassword && !request.url.startsWith('/api/session')) {
      throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'パスワードを変更してください');
    }
  });

  // One audit entry per declared operation, and one per refused staff request. Written before the
  // response leaves (onSend), so an answered request always has its entry.
  app.addHook('onSend', async (request, reply) => {
    const cfg = request.routeOptions.config;
    if (!request.url.startsWith('/api/') || cfg.staff === false) return;
    const refused = reply.statusCode === 403;
    if (!cfg.audit && !refused) return;
    const action = cfg.audit?.action ?? 'access.denied';
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
          path: request.routeOptions.url ?? request.url,
          status: reply.statusCode,
          ...(request.auditTarget?.detail ?? {}),
        },
      });
    } catch (err) {
      request.log.error({ err }, 'audit write failed');
    }
  });
}
