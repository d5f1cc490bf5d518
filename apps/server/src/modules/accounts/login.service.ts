import { recordAudit } from '../../platform/audit/audit.service.ts';
import { findSession } from '../../platform/auth/sessions.repository.ts';
import {
  ipNotAllowed,
  isAllowedForRole,
  principalOfSession,
  type StaffAuthOptions,
  type StaffPrincipal,
} from '../../platform/auth/staff-auth.ts';
import type { Cipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { countAddressFailure, refuseLimitedAddress, signIn } from './login-throttle.service.ts';
import { findRole } from './roles.repository.ts';

// Staff sign-in (S-08, S-07, S-04): throttling by address and account, the IP allowlists, the
// password and TOTP, a new session, and the audit entry of every outcome.

export interface LoginInput {
  loginId: string;
  password: string;
  totpCode?: string | undefined;
  ip: string;
}

/**
 * Signs in and returns the new session's principal. `openSession` starts the session (it sets the
 * cookie) and returns its ID hash. Throws RetryLaterError while throttled, AppError otherwise.
 */
export async function logIn(
  auth: StaffAuthOptions,
  cipher: Cipher,
  input: LoginInput,
  openSession: (account: { id: string }) => Promise<string>,
): Promise<StaffPrincipal> {
  const { db } = auth;
  const { loginId, ip } = input;
  // Sign-in throttling (S-08, S-04): see login-throttle.rules.ts.
  await refuseLimitedAddress(db, ip);
  if (!(await auth.ipAllowlists.isAllowedAnywhere(ip))) {
    await countAddressFailure(db, ip);
    await recordAudit(db, {
      accountId: null,
      loginId,
      ip,
      action: 'session.login',
      result: 'failure',
      detail: { reason: 'IP_NOT_ALLOWED' },
    });
    throw ipNotAllowed();
  }
  try {
    const account = await signIn({ db, cipher, config: auth.config }, input);
    // Only from an address of the areas the account's role uses (S-07, C-03).
    const role = await findRole(db, account.role_id);
    if (!(await isAllowedForRole(auth.ipAllowlists, role?.permissions ?? [], ip))) throw ipNotAllowed();
    const idHash = await openSession(account);
    await recordAudit(db, {
      accountId: account.id,
      loginId: account.login_id,
      ip,
      action: 'session.login',
      result: 'success',
    });
    return principalOfSession(idHash, (await findSession(db, idHash))!);
  } catch (err) {
    if (err instanceof AppError && err.code !== 'TOTP_REQUIRED') {
      await recordAudit(db, {
        accountId: null,
        loginId: loginId.slice(0, 64),
        ip,
        action: 'session.login',
        result: 'failure',
        detail: { reason: err.code },
      });
    }
    throw err;
  }
}
