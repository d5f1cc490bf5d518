import { z } from 'zod';
import { MAIL_LIMITS, MAIL_STATUSES } from './mail-bridge.ts';

// The request schemas of the mail bridge (/api/mail-bridge/…, issue 14); the types: mail-bridge.ts.
// A regex's syntax is checked by the server (MAIL_RULE_REGEX_INVALID, with the path), not here.

const id = z.uuid('ID の形式が正しくありません');
const keyword = z
  .string()
  .trim()
  .min(1, '空の文字列は指定できません')
  .max(MAIL_LIMITS.keyword, `${MAIL_LIMITS.keyword}文字以内で入力してください`);
const keywords = z.array(keyword).max(MAIL_LIMITS.keywords, `${MAIL_LIMITS.keywords}件までです`);
const op = z.enum(['contains', 'regex']);

const sender = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^([^@\s]+@[^@\s]+\.[^@\s]+|@[^@\s]+\.[^@\s]+)$/, 'メールアドレスか @ドメイン で指定してください');

export const mailAddressCreateSchema = z.strictObject({
  channelId: id,
  address: z.email('メールアドレスの形式が正しくありません').max(254).toLowerCase(),
  allowedSenders: z
    .array(sender)
    .min(1, '送信を許可する差出人を1件以上指定してください')
    .max(MAIL_LIMITS.allowedSenders, `差出人は${MAIL_LIMITS.allowedSenders}件までです`),
  maxBytes: z
    .number()
    .int()
    .min(1024, '1,024 バイト以上にしてください')
    .max(MAIL_LIMITS.maxBytes, `${MAIL_LIMITS.maxBytes} バイト以下にしてください`)
    .default(MAIL_LIMITS.defaultMaxBytes),
  enabled: z.boolean().default(true),
  requireAuth: z.boolean().default(false),
  imap: z.lazy(() => mailImapSchema.nullable()).optional(),
});
export type MailAddressCreate = z.infer<typeof mailAddressCreateSchema>;

/**
 * IMAP polling of an address (issue 14): the password is write-only (omitted on a change: the stored
 * one is kept). null: polling off.
 */
export const mailImapSchema = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1, 'IMAP サーバーを入力してください')
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$/, 'ホスト名の形式が正しくありません'),
  port: z.number().int().min(1).max(65535, 'ポート番号は 1〜65535 です').default(993),
  tls: z.boolean().default(true),
  user: z.string().trim().min(1, 'ユーザー名を入力してください').max(254),
  password: z.string().min(1, 'パスワードを入力してください').max(500).optional(),
  mailbox: z.string().trim().min(1).max(200).default('INBOX'),
  intervalSeconds: z
    .number()
    .int()
    .min(60, '60 秒以上にしてください')
    .max(86_400, '86,400 秒以下にしてください')
    .default(300),
});
export type MailImapInput = z.infer<typeof mailImapSchema>;

export const mailAddressUpdateSchema = mailAddressCreateSchema
  .omit({ channelId: true, address: true })
  .partial();
export type MailAddressUpdate = z.infer<typeof mailAddressUpdateSchema>;

export const mailRuleDefinitionSchema = z.strictObject({
  conditions: z
    .array(z.strictObject({ field: z.enum(['from', 'subject', 'body']), op, value: keyword }))
    .max(MAIL_LIMITS.conditions, `条件は${MAIL_LIMITS.conditions}件までです`)
    .default([]),
  cutFrom: keywords.default([]),
  removeLines: z
    .array(z.strictObject({ op, value: keyword }))
    .max(MAIL_LIMITS.keywords)
    .default([]),
  replacements: z
    .array(
      z.strictObject({
        find: keyword,
        replace: z.string().max(MAIL_LIMITS.keyword),
        regex: z.boolean().default(false),
      }),
    )
    .max(MAIL_LIMITS.replacements, `置き換えは${MAIL_LIMITS.replacements}件までです`)
    .default([]),
  appendText: z
    .string()
    .max(MAIL_LIMITS.appendText, `追加する文章は${MAIL_LIMITS.appendText}文字以内で入力してください`)
    .default(''),
  includeSubject: z.boolean().default(true),
  audience: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({
        kind: z.literal('fromMail'),
        itemId: id,
        choiceIds: z
          .array(z.string().regex(/^[1-9]\d{0,17}$/, '選択肢 ID の形式が正しくありません'))
          .min(1, '選択肢を1つ以上選んでください')
          .max(MAIL_LIMITS.choices),
        whenNone: z.enum(['all', 'none']).default('none'),
      }),
    ])
    .default({ kind: 'all' }),
  urgentKeywords: keywords.default([]),
  disaster: z
    .strictObject({ groupId: id, when: z.enum(['urgent', 'always']) })
    .nullable()
    .default(null),
  longText: z.enum(['split', 'cut']).default('split'),
});

export const mailRuleCreateSchema = z.strictObject({
  addressId: id,
  name: z.string().trim().min(1, 'ルール名を入力してください').max(100, '100文字以内で入力してください'),
  enabled: z.boolean().default(true),
  definition: mailRuleDefinitionSchema,
});
export type MailRuleCreate = z.infer<typeof mailRuleCreateSchema>;

export const mailRuleUpdateSchema = mailRuleCreateSchema.omit({ addressId: true }).partial();
export type MailRuleUpdate = z.infer<typeof mailRuleUpdateSchema>;

export const mailRuleOrderSchema = z.strictObject({
  addressId: id,
  ruleIds: z.array(id).max(MAIL_LIMITS.rulesPerAddress),
});

export const mailTestSchema = z
  .strictObject({
    addressId: id,
    /** A pasted mail (raw RFC 5322 text) … */
    raw: z.string().min(1).max(MAIL_LIMITS.testRaw, 'メールが大きすぎます').optional(),
    /** … or a received one. */
    messageId: id.optional(),
    /** Rules not saved yet (the editor's state); default: the address's saved rules. */
    rules: z
      .array(
        z.strictObject({
          id: id.optional(),
          name: z.string().max(100).default('（未保存）'),
          definition: mailRuleDefinitionSchema,
        }),
      )
      .max(MAIL_LIMITS.rulesPerAddress)
      .optional(),
  })
  .refine((v) => (v.raw === undefined) !== (v.messageId === undefined), {
    message: 'メール本文（raw）か受信メール（messageId）のどちらか一方を指定してください',
    path: ['raw'],
  });
export type MailTest = z.infer<typeof mailTestSchema>;

export const mailMessageListQuery = z.strictObject({
  addressId: id,
  status: z.enum(MAIL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const idParams = z.strictObject({ id });
export const channelQuery = z.strictObject({ channelId: id });
export const addressQuery = z.strictObject({ addressId: id });
