import { z } from 'zod';
import type { PERMISSIONS } from './permissions.ts';
import { displayText } from './text.ts';

// Staff accounts, roles and the session: the HTTP contract of /api/accounts, /api/roles,
// /api/permissions and /api/session.

export const loginIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{3,64}$/, 'ログインIDは半角英数字と . _ @ - の3〜64文字です');

export const passwordSchema = z.string().min(1, '入力してください').max(128);

export const loginSchema = z.object({
  loginId: z.string().max(64),
  password: z.string().max(128),
  totpCode: z.string().max(10).optional(),
});

export const accountCreateSchema = z.object({
  loginId: loginIdSchema,
  displayName: displayText(100),
  roleId: z.uuid(),
  password: passwordSchema,
});

export const accountUpdateSchema = z.object({
  displayName: displayText(100).optional(),
  roleId: z.uuid().optional(),
  disabled: z.boolean().optional(),
});

/** POST /api/roles; PATCH sends the same (a built-in role: its permissions only). */
export const roleSchema = z.object({
  name: displayText(50),
  permissions: z.array(z.string().max(64)).max(100),
});

export type AccountCreate = z.input<typeof accountCreateSchema>;
export type AccountUpdate = z.input<typeof accountUpdateSchema>;
export type RoleInput = z.input<typeof roleSchema>;

// ---- Views (timestamps: ISO strings in JSON, Dates on the server) ----

export interface AccountView<Time = string> {
  id: string;
  loginId: string;
  displayName: string;
  roleId: string;
  roleName: string;
  disabled: boolean;
  locked: boolean;
  /** When sign-in is possible again from every address (without an admin's unlock). */
  lockedUntil: Time | null;
  totpEnabled: boolean;
  lastLoginAt: Time | null;
  createdAt: Time;
}

export interface RoleView {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
  accountCount: number;
}

/** One entry of GET /api/permissions. */
export type PermissionView = (typeof PERMISSIONS)[number];

/** GET /api/session. */
export interface SessionView {
  account: {
    id: string;
    loginId: string;
    displayName: string;
    role: { id: string; name: string };
    permissions: string[];
    totpEnabled: boolean;
    mustChangePassword: boolean;
  };
  csrfToken: string;
}
