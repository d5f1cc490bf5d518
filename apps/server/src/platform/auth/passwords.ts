import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP-recommended parameters (19 MiB, 2 iterations).
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Returns the reasons a password is too weak (empty when acceptable). */
export function passwordProblems(password: string, loginId?: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('12文字以上にしてください');
  if (password.length > 128) problems.push('128文字以内にしてください');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) problems.push('英大文字・英小文字・数字・記号のうち3種類以上を含めてください');
  if (loginId && password.toLowerCase().includes(loginId.toLowerCase()))
    problems.push('ログインIDを含めないでください');
  return problems;
}
