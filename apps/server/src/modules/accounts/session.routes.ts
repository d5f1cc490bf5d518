import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { findSession } from '../../platform/auth/sessions.repository.ts';
import {
  endSession,
  ipNotAllowed,
  isAllowedForRole,
  principalOfSession,
  type StaffAuthOptions,
  type StaffPrincipal,
  startSession,
} from '../../platform/auth/staff-auth.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Api } from '../../platform/http/api.ts';
import { loginSchema, passwordSchema } from './accounts.schema.ts';
import {
  changeOwnPassword,
  disableTotp,
  enableTotp,
  prepareDummyHash,
  setupTotp,
} from './accounts.service.ts';
import {
  countAddressFailure,
  RetryLaterError,
  refuseLimitedAddress,
  signIn,
} from './login-throttle.service.ts';
import { findRole } from './roles.repository.ts';

const sessionView = (p: StaffPrincipal) => ({
  account: {
    id: p.accountId,
    loginId: p.loginId,
    displayName: p.displayName,
    role: { id: p.roleId, name: p.roleName },
    permissions: p.permissions,
    totpEnabled: p.totpEnabled,
    mustChangePassword: p.mustChangePassword,
  },
  csrfToken: p.csrfToken,
});

export function registerSessionRoutes(app: Api, auth: StaffAuthOptions, cipher: Cipher): void {
  const deps = { db: auth.db, cipher, config: auth.config };
  void prepareDummyHash();

  app.get(
    '/api/session',
    { schema: { tags: ['session'], summary: 'ログイン中のアカウント' }, config: { area: 'self' } },
    async (request) => sessionView(request.staff!),
  );

  app.post(
    '/api/session',
    {
      schema: { tags: ['session'], summary: 'ログイン', body: loginSchema },
      config: { staff: false },
    },
    async (request, reply) => {
      const { loginId, password, totpCode } = request.body;
      // Sign-in throttling (S-08, S-04): see login-throttle.rules.ts.
      try {
        await refuseLimitedAddress(auth.db, request.ip);
      } catch (err) {
        if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
        throw err;
      }
      if (!(await auth.ipAllowlists.isAllowedAnywhere(request.ip))) {
        await countAddressFailure(auth.db, request.ip);
        await recordAudit(auth.db, {
          accountId: null,
          loginId,
          ip: request.ip,
          action: 'session.login',
          result: 'failure',
          detail: { reason: 'IP_NOT_ALLOWED' },
        });
        throw ipNotAllowed();
      }
      try {
        const account = await signIn(deps, { loginId, password, totpCode, ip: request.ip });
        // Only from an address of the areas the account's role uses (S-07, C-03).
        const role = await findRole(auth.db, account.role_id);
        if (!(await isAllowedForRole(auth.ipAllowlists, role?.permissions ?? [], request.ip)))
          throw ipNotAllowed();
        const { idHash } = await startSession(auth, reply, account, request);
        await recordAudit(auth.db, {
          accountId: account.id,
          loginId: account.login_id,
          ip: request.ip,
          action: 'session.login',
          result: 'success',
        });
        return sessionView(principalOfSession(idHash, (await findSession(auth.db, idHash))!));
      } catch (err) {
        if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
        if (err instanceof AppError && err.code !== 'TOTP_REQUIRED') {
          await recordAudit(auth.db, {
            accountId: null,
            loginId: loginId.slice(0, 64),
            ip: request.ip,
            action: 'session.login',
            result: 'failure',
            detail: { reason: err.code },
          });
        }
        throw err;
      }
    },
  );

  app.delete(
    '/api/session',
    {
      schema: { tags: ['session'], summary: 'ログアウト' },
      config: { area: 'self', audit: { action: 'session.logout' } },
    },
    async (request, reply) => {
      await endSession(auth, request, reply);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/session/password',
    {
      schema: {
        tags: ['session'],
        summary: 'パスワード変更',
        body: z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }),
      },
      config: { area: 'self', audit: { action: 'session.password-change', targetType: 'account' } },
    },
    async (request, reply) => {
      const staff = request.staff!;
      request.auditTarget = { id: staff.accountId };
      await changeOwnPassword(
        auth.db,
        staff.accountId,
        request.body.currentPassword,
        request.body.newPassword,
        staff.sessionHash,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/session/totp/setup',
    {
      schema: { tags: ['session'], summary: '二段階認証の設定開始' },
      config: { area: 'self', audit: { action: 'session.totp-setup' } },
    },
    async (request) => setupTotp(deps, request.staff!.accountId, request.staff!.loginId),
  );

  app.post(
    '/api/session/totp/enable',
    {
      schema: {
        tags: ['session'],
        summary: '二段階認証を有効化',
        body: z.object({ code: z.string().max(10) }),
      },
      config: { area: 'self', audit: { action: 'session.totp-enable' } },
    },
    async (request, reply) => {
      await enableTotp(deps, request.staff!.accountId, request.body.code);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/session/totp/disable',
    {
      schema: {
        tags: ['session'],
        summary: '二段階認証を無効化',
        body: z.object({ password: passwordSchema }),
      },
      config: { area: 'self', audit: { action: 'session.totp-disable' } },
    },
    async (request, reply) => {
      await disableTotp(deps, request.staff!.accountId, request.body.password);
      return reply.status(204).send();
    },
  );
}
