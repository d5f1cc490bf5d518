import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  STRONG_PASSWORD,
  staffClient,
  startTestServer,
  type TestServer,
} from '../../testing/test-server.ts';
import { findRoleByKey } from './roles.repository.ts';

// Object-level checks on accounts and roles over HTTP (issue 8 §2, S-08): nobody locks the city out
// of its own system by disabling or demoting themselves or the last administrator; built-in roles
// stay; unknown IDs are 404 with a code.

type Client = Awaited<ReturnType<typeof staffClient>>;
let server: TestServer;
let admin: Client;
let adminId: string;

async function expectError(res: Response | Promise<Response>, status: number, code: string) {
  const r = await res;
  const body = (await r.json()) as { code: string; message: string };
  expect({ status: r.status, code: body.code }).toEqual({ status, code });
  expect(body.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
}

const roleId = async (key: string) => (await findRoleByKey(server.db, key))!.id;

beforeAll(async () => {
  server = await startTestServer();
  const a = await createStaff(server.db, 'admin');
  adminId = a.id;
  admin = await staffClient(server, a.loginId);
});
afterAll(async () => server?.close());

describe('accounts cannot lock the city out (S-08)', () => {
  it('S-08: an admin cannot disable themselves or change their own role', async () => {
    await expectError(
      admin.request('PATCH', `/api/accounts/${adminId}`, { disabled: true }),
      409,
      'CANNOT_DISABLE_SELF',
    );
    await expectError(
      admin.request('PATCH', `/api/accounts/${adminId}`, { roleId: await roleId('general') }),
      409,
      'CANNOT_CHANGE_OWN_ROLE',
    );
    // Renaming oneself, and naming one's own role unchanged, are fine.
    expect(
      (
        await admin.request('PATCH', `/api/accounts/${adminId}`, {
          displayName: '管理者 一郎',
          roleId: await roleId('admin'),
        })
      ).status,
    ).toBe(204);
    expect((await admin.request('GET', '/api/accounts')).status).toBe(200);
  });

  it('S-08: the last enabled administrator cannot be disabled or demoted by an account manager', async () => {
    const created = await admin.request('POST', '/api/roles', {
      name: 'アカウント係',
      permissions: ['accounts.view', 'accounts.manage'],
    });
    expect(created.status).toBe(201);
    const { id: managerRole } = (await created.json()) as { id: string };
    const m = await createStaff(server.db, managerRole);
    const manager = await staffClient(server, m.loginId);

    await expectError(
      manager.request('PATCH', `/api/accounts/${adminId}`, { disabled: true }),
      409,
      'LAST_ADMIN',
    );
    await expectError(
      manager.request('PATCH', `/api/accounts/${adminId}`, { roleId: await roleId('general') }),
      409,
      'LAST_ADMIN',
    );
    const row = await server.db
      .selectFrom('staff_accounts')
      .select(['disabled', 'role_id'])
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ disabled: false, role_id: await roleId('admin') });
    // The refusal is audited.
    const audit = await server.db
      .selectFrom('audit_log')
      .select(['result'])
      .where('action', '=', 'account.update')
      .where('target_id', '=', adminId)
      .where('login_id', '=', m.loginId)
      .execute();
    expect(audit.map((r) => r.result)).toEqual(['failure', 'failure']);

    // Another enabled administrator may be disabled while one remains; then the last is protected again.
    const second = await createStaff(server.db, 'admin');
    expect((await manager.request('PATCH', `/api/accounts/${second.id}`, { disabled: true })).status).toBe(
      204,
    );
    await expectError(
      manager.request('PATCH', `/api/accounts/${adminId}`, { disabled: true }),
      409,
      'LAST_ADMIN',
    );
    expect((await admin.request('PATCH', `/api/accounts/${second.id}`, { disabled: false })).status).toBe(
      204,
    );
  });
});

describe('roles and unknown IDs (S-08)', () => {
  it('S-08: built-in roles cannot be deleted, the admin role keeps its permissions, a role in use stays', async () => {
    for (const key of ['admin', 'general', 'counselor', 'supervisor'])
      await expectError(admin.request('DELETE', `/api/roles/${await roleId(key)}`), 409, 'ROLE_BUILTIN');
    await expectError(
      admin.request('PATCH', `/api/roles/${await roleId('admin')}`, { permissions: ['dashboard.view'] }),
      409,
      'ROLE_BUILTIN',
    );
    const created = await admin.request('POST', '/api/roles', {
      name: '窓口係',
      permissions: ['friends.view'],
    });
    const { id } = (await created.json()) as { id: string };
    await createStaff(server.db, id);
    await expectError(admin.request('DELETE', `/api/roles/${id}`), 409, 'ROLE_IN_USE');
  });

  it('unknown account and role IDs are 404 NOT_FOUND; an unknown role in a body is 400 ROLE_NOT_FOUND', async () => {
    const unknown = randomUUID();
    await expectError(
      admin.request('PATCH', `/api/accounts/${unknown}`, { displayName: 'x' }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      admin.request('POST', `/api/accounts/${unknown}/password-reset`, { newPassword: STRONG_PASSWORD }),
      404,
      'NOT_FOUND',
    );
    await expectError(admin.request('POST', `/api/accounts/${unknown}/unlock`), 404, 'NOT_FOUND');
    await expectError(admin.request('PATCH', `/api/roles/${unknown}`, { name: '無い' }), 404, 'NOT_FOUND');
    await expectError(admin.request('DELETE', `/api/roles/${unknown}`), 404, 'NOT_FOUND');
    await expectError(
      admin.request('POST', '/api/accounts', {
        loginId: 'nobody-role',
        displayName: '名無し',
        roleId: unknown,
        password: STRONG_PASSWORD,
      }),
      400,
      'ROLE_NOT_FOUND',
    );
    const someone = await createStaff(server.db, 'general');
    await expectError(
      admin.request('PATCH', `/api/accounts/${someone.id}`, { roleId: unknown }),
      400,
      'ROLE_NOT_FOUND',
    );
  });
});
