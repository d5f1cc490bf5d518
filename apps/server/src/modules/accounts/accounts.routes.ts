import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { PERMISSIONS } from '../../platform/auth/permissions.ts';
import type { Api } from '../../platform/http/api.ts';
import { idParams } from '../../platform/http/api.ts';
import { accountCreateSchema, accountUpdateSchema, passwordSchema, roleSchema } from './accounts.schema.ts';
import {
  changeAccount,
  createAccount,
  listAccounts,
  resetPassword,
  unlockAccount,
} from './accounts.service.ts';
import { changeRole, createRole, listRoles, removeRole } from './roles.service.ts';

export function registerAccountRoutes(app: Api, db: Db): void {
  app.get(
    '/api/accounts',
    { schema: { tags: ['accounts'], summary: 'アカウント一覧' }, config: { permission: 'accounts.view' } },
    async () => listAccounts(db),
  );

  app.post(
    '/api/accounts',
    {
      schema: { tags: ['accounts'], summary: 'アカウント作成', body: accountCreateSchema },
      config: { permission: 'accounts.manage', audit: { action: 'account.create', targetType: 'account' } },
    },
    async (request, reply) => {
      const id = await createAccount(db, request.body);
      request.auditTarget = { id, detail: { loginId: request.body.loginId, roleId: request.body.roleId } };
      return reply.status(201).send({ id });
    },
  );

  app.patch(
    '/api/accounts/:id',
    {
      schema: { tags: ['accounts'], summary: 'アカウント変更', params: idParams, body: accountUpdateSchema },
      config: { permission: 'accounts.manage', audit: { action: 'account.update', targetType: 'account' } },
    },
    async (request, reply) => {
      await changeAccount(db, request.params.id, request.body, request.staff!.accountId);
      request.auditTarget = { detail: { ...request.body } };
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/accounts/:id/password-reset',
    {
      schema: {
        tags: ['accounts'],
        summary: 'パスワード再設定',
        params: idParams,
        body: z.object({ newPassword: passwordSchema }),
      },
      config: {
        permission: 'accounts.manage',
        audit: { action: 'account.password-reset', targetType: 'account' },
      },
    },
    async (request, reply) => {
      await resetPassword(db, request.params.id, request.body.newPassword);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/accounts/:id/unlock',
    {
      schema: { tags: ['accounts'], summary: 'ロック解除', params: idParams },
      config: { permission: 'accounts.manage', audit: { action: 'account.unlock', targetType: 'account' } },
    },
    async (request, reply) => {
      await unlockAccount(db, request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/permissions',
    { schema: { tags: ['roles'], summary: '権限の一覧' }, config: { permission: 'roles.manage' } },
    async () => PERMISSIONS,
  );

  app.get(
    '/api/roles',
    { schema: { tags: ['roles'], summary: 'ロール一覧' }, config: { permission: 'accounts.view' } },
    async () => listRoles(db),
  );

  app.post(
    '/api/roles',
    {
      schema: { tags: ['roles'], summary: 'ロール作成', body: roleSchema },
      config: { permission: 'roles.manage', audit: { action: 'role.create', targetType: 'role' } },
    },
    async (request, reply) => {
      const id = await createRole(db, request.body);
      request.auditTarget = { id, detail: { permissions: request.body.permissions } };
      return reply.status(201).send({ id });
    },
  );

  app.patch(
    '/api/roles/:id',
    {
      schema: { tags: ['roles'], summary: 'ロール変更', params: idParams, body: roleSchema.partial() },
      config: { permission: 'roles.manage', audit: { action: 'role.update', targetType: 'role' } },
    },
    async (request, reply) => {
      await changeRole(db, request.params.id, request.body);
      request.auditTarget = { detail: { ...request.body } };
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/roles/:id',
    {
      schema: { tags: ['roles'], summary: 'ロール削除', params: idParams },
      config: { permission: 'roles.manage', audit: { action: 'role.delete', targetType: 'role' } },
    },
    async (request, reply) => {
      await removeRole(db, request.params.id);
      return reply.status(204).send();
    },
  );
}
