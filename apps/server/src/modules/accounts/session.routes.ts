import type { SessionView } from '@madoguchi/contracts/accounts.ts';
import { z } from 'zod';
import {
  endSession,
  type StaffAuthOptions,
  type StaffPrincipal,
  startSession,
} from '../../platform/auth/staff-auth.ts';
import type { Cipher } from '../../platform/crypto.ts';
import type { Api } from '../../platform/http/api.ts';
import { loginSchema, passwordSchema } from './accounts.schema.ts';
import {
  changeOwnPassword,
  disableTotp,
  enableTotp,
  prepareDummyHash,
  setupTotp,
} from './accounts.service.ts';
import { logIn } from './login.service.ts';
import { RetryLaterError } from './login-throttle.service.ts';

const sessionView = (p: StaffPrincipal): SessionView => ({
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
      try {
        const open = async (account: { id: string }) =>
          (await startSession(auth, reply, account, request)).idHash;
        return sessionView(await logIn(auth, cipher, { ...request.body, ip: request.ip }, open));
      } catch (err) {
        if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
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
