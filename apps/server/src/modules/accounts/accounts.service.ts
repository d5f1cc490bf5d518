import type { AccountView } from '@madoguchi/contracts/accounts.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { hashPassword, passwordProblems, verifyPassword } from '../../platform/auth/passwords.ts';
import { BUILTIN_ROLES, isPermission } from '../../platform/auth/permissions.ts';
import { deleteAccountSessions } from '../../platform/auth/sessions.repository.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from '../../platform/auth/totp.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import {
  countOtherEnabledAdmins,
  findAccount,
  findAccountByLoginId,
  insertAccount,
  listAccountRows,
  updateAccount,
} from './accounts.repository.ts';
import { clearLoginFailures, lockedUntilByLoginId } from './login-throttle.repository.ts';
import { findRole, findRoleByKey, insertRole, updateRole } from './roles.repository.ts';

// Read by other modules through this service (they never import this module's repository).
export {
  accountDisplayNames,
  accountNames,
  findStaffForAssignment,
  listStaffWithPermission,
} from './accounts.repository.ts';

// Staff accounts (S-08): about 30 per city, created by the city itself, argon2id passwords,
// sign-in throttling (login-throttle.rules.ts), optional TOTP, password reset by an admin.

export interface AccountsDeps {
  db: Db;
  cipher: Cipher;
  config: Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCK_MINUTES'>;
}

let dummyHash: Promise<string> | null = null;

export function weakPassword(problems: string[]): AppError {
  return new AppError(
    400,
    'WEAK_PASSWORD',
    `パスワードが弱すぎます: ${problems.join('、')}`,
    problems.map((m) => ({ path: 'password', message: m })),
  );
}

export async function ensureBuiltinRoles(db: Db): Promise<void> {
  for (const role of BUILTIN_ROLES) {
    const existing = await findRoleByKey(db, role.key);
    if (!existing) {
      await insertRole(db, { name: role.name, permissions: role.permissions, builtinKey: role.key });
    } else if (role.key === 'admin' && role.permissions.some((p) => !existing.permissions.includes(p))) {
      // Administrators hold every permission, including those added by later versions.
      await updateRole(db, existing.id, { permissions: role.permissions });
    }
  }
}

/**
 * Checks a login ID, password and TOTP code; throttling is login-throttle.service.ts's job.
 * Unknown IDs, wrong passwords and disabled accounts get the same answer after the same work.
 */
export async function authenticate(
  deps: AccountsDeps,
  input: { loginId: string; password: string; totpCode?: string | undefined },
) {
  const account = await findAccountByLoginId(deps.db, input.loginId);
  if (!account) {
    // Same work as a real check, so timing does not reveal which login IDs exist.
    await verifyPassword(await prepareDummyHash(), input.password);
    throw invalidCredentials();
  }
  const passwordOk = await verifyPassword(account.password_hash, input.password);
  if (!passwordOk || account.disabled) throw invalidCredentials();
  if (account.totp_secret_enc) {
    if (!input.totpCode) throw new AppError(401, 'TOTP_REQUIRED', '確認コードを入力してください');
    if (!verifyTotp(deps.cipher.decrypt(account.totp_secret_enc), input.totpCode)) {
      throw new AppError(401, 'INVALID_TOTP', '確認コードが違います');
    }
  }
  await updateAccount(deps.db, account.id, { last_login_at: new Date() });
  return account;
}

/** Computes the dummy hash for unknown login IDs ahead, so the first one is not slower. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('madoguchi-dummy-password');
  return dummyHash;
}

const invalidCredentials = () =>
  new AppError(401, 'INVALID_CREDENTIALS', 'ログインIDまたはパスワードが違います');

export async function listAccounts(db: Db): Promise<AccountView<Date>[]> {
  const [rows, held] = await Promise.all([listAccountRows(db), lockedUntilByLoginId(db)]);
  return rows.map((a) => ({
    id: a.id,
    loginId: a.login_id,
    displayName: a.display_name,
    roleId: a.role_id,
    roleName: a.role_name,
    disabled: a.disabled,
    locked: held.has(a.login_id),
    lockedUntil: held.get(a.login_id) ?? null,
    totpEnabled: a.totp_secret_enc !== null,
    lastLoginAt: a.last_login_at,
    createdAt: a.created_at,
  }));
}

async function requireRole(db: Db, roleId: string) {
  const role = await findRole(db, roleId);
  if (!role) throw new AppError(400, 'ROLE_NOT_FOUND', '指定されたロールがありません');
  return role;
}

export async function createAccount(
  db: Db,
  input: {
    loginId: string;
    displayName: string;
    roleId: string;
    password: string;
    mustChangePassword?: boolean;
  },
): Promise<string> {
  await requireRole(db, input.roleId);
  const problems = passwordProblems(input.password, input.loginId);
  if (problems.length) throw weakPassword(problems);
  if (await findAccountByLoginId(db, input.loginId))
    throw conflict('LOGIN_ID_TAKEN', 'このログインIDは使われています');
  const { id } = await insertAccount(db, {
    loginId: input.loginId,
    displayName: input.displayName,
    roleId: input.roleId,
    passwordHash: await hashPassword(input.password),
    mustChangePassword: input.mustChangePassword ?? true,
  });
  return id;
}

/**
 * An admin changes an account (S-08). Nobody disables their own account or changes their own role
 * (that is another admin's decision), and the last enabled administrator cannot be disabled or moved
 * to another role: the city would be locked out of its own system.
 */
export async function changeAccount(
  db: Db,
  id: string,
  patch: { displayName?: string | undefined; roleId?: string | undefined; disabled?: boolean | undefined },
  actorId?: string,
) {
  const account = await findAccount(db, id);
  if (!account) throw notFound('アカウント');
  const newRole =
    patch.roleId && patch.roleId !== account.role_id ? await requireRole(db, patch.roleId) : null;
  if (id === actorId && patch.disabled === true)
    throw conflict('CANNOT_DISABLE_SELF', '自分のアカウントは無効にできません');
  if (id === actorId && newRole)
    throw conflict('CANNOT_CHANGE_OWN_ROLE', '自分のロールは変更できません。別の管理者に依頼してください');
  const currentRole = await findRole(db, account.role_id);
  const leavesAdmin =
    currentRole?.builtin_key === 'admin' &&
    !account.disabled &&
    (patch.disabled === true || (newRole !== null && newRole.builtin_key !== 'admin'));
  if (leavesAdmin && (await countOtherEnabledAdmins(db, id)) === 0)
    throw conflict(
      'LAST_ADMIN',
      '有効な管理者が他にいないため、このアカウントを無効にしたりロールを変えたりできません',
    );
  const ok = await updateAccount(db, id, {
    ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
    ...(patch.roleId !== undefined ? { role_id: patch.roleId } : {}),
    ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
  });
  if (!ok) throw notFound('アカウント');
  if (patch.disabled) await deleteAccountSessions(db, id);
}

/**
 * An admin sets a temporary password; the account must change it at next login. The operator's
 * `madoguchi account reset-password` sets a password its owner typed (`temporary: false`).
 */
export async function resetPassword(db: Db, id: string, newPassword: string, opts = { temporary: true }) {
  const account = await findAccount(db, id);
  if (!account) throw notFound('アカウント');
  const problems = passwordProblems(newPassword, account.login_id);
  if (problems.length) throw weakPassword(problems);
  await updateAccount(db, id, {
    password_hash: await hashPassword(newPassword),
    must_change_password: opts.temporary,
  });
  await clearLoginFailures(db, account.login_id);
  await deleteAccountSessions(db, id);
}

/** An admin's unlock (S-08): the account may try again from every address at once. */
export async function unlockAccount(db: Db, id: string) {
  const account = await findAccount(db, id);
  if (!account) throw notFound('アカウント');
  await clearLoginFailures(db, account.login_id);
}

export async function changeOwnPassword(
  db: Db,
  accountId: string,
  currentPassword: string,
  newPassword: string,
  keepSessionHash: string,
) {
  const account = await findAccount(db, accountId);
  if (!account || !(await verifyPassword(account.password_hash, currentPassword))) {
    throw new AppError(401, 'INVALID_CREDENTIALS', '現在のパスワードが違います');
  }
  const problems = passwordProblems(newPassword, account.login_id);
  if (problems.length) throw weakPassword(problems);
  if (await verifyPassword(account.password_hash, newPassword)) {
    throw weakPassword(['現在と同じパスワードは使えません']);
  }
  await updateAccount(db, accountId, {
    password_hash: await hashPassword(newPassword),
    must_change_password: false,
  });
  await deleteAccountSessions(db, accountId, keepSessionHash);
}

export async function setupTotp(deps: AccountsDeps, accountId: string, loginId: string) {
  const secret = newTotpSecret();
  await updateAccount(deps.db, accountId, { totp_pending_secret_enc: deps.cipher.encrypt(secret) });
  return { secret, otpauthUrl: otpauthUrl(secret, loginId) };
}

export async function enableTotp(deps: AccountsDeps, accountId: string, code: string) {
  const account = await findAccount(deps.db, accountId);
  if (!account?.totp_pending_secret_enc)
    throw new AppError(400, 'TOTP_NOT_SET_UP', '先に二段階認証の設定を開始してください');
  const secret = deps.cipher.decrypt(account.totp_pending_secret_enc);
  if (!verifyTotp(secret, code)) throw new AppError(400, 'INVALID_TOTP', '確認コードが違います');
  await updateAccount(deps.db, accountId, {
    totp_secret_enc: account.totp_pending_secret_enc,
    totp_pending_secret_enc: null,
  });
}

export async function disableTotp(deps: AccountsDeps, accountId: string, password: string) {
  const account = await findAccount(deps.db, accountId);
  if (!account || !(await verifyPassword(account.password_hash, password))) {
    throw new AppError(401, 'INVALID_CREDENTIALS', 'パスワードが違います');
  }
  await updateAccount(deps.db, accountId, { totp_secret_enc: null, totp_pending_secret_enc: null });
}

export function validPermissions(keys: string[]): string[] {
  const bad = keys.filter((k) => !isPermission(k));
  if (bad.length) throw new AppError(400, 'UNKNOWN_PERMISSION', `不明な権限です: ${bad.join(', ')}`);
  return [...new Set(keys)];
}
