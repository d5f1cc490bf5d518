// Requests of accounts, roles and the session: the HTTP contract (packages/contracts/src/accounts.ts).

export {
  accountCreateSchema,
  accountUpdateSchema,
  loginSchema,
  passwordSchema,
  roleSchema,
} from '@madoguchi/contracts/accounts.ts';
