import { z } from 'zod';
import { displayText } from '../../platform/http/text.ts';

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

export const roleSchema = z.object({
  name: displayText(50),
  permissions: z.array(z.string().max(64)).max(100),
});
