import { z } from 'zod';
import {
  FORWARDING_EVENT_TYPES,
  FORWARDING_ITEM_STATES,
  FORWARDING_LIMITS,
  FORWARDING_MESSAGE_MODES,
} from './forwarding.ts';
import { displayText } from './text.ts';

// The request schemas of webhook forwarding (/api/forwarding/*, W-01); the types: forwarding.ts.

const id = z.uuid('ID の形式が正しくありません');

const url = z
  .string('URL を入力してください')
  .trim()
  .min(1, 'URL を入力してください')
  .max(FORWARDING_LIMITS.url, `URL は${FORWARDING_LIMITS.url}文字以内です`)
  .refine((v) => URL.canParse(v), 'URL の形式が正しくありません');

const secret = z
  .string('シークレットを文字列で指定してください')
  .min(FORWARDING_LIMITS.secretMin, `シークレットは${FORWARDING_LIMITS.secretMin}文字以上にしてください`)
  .max(FORWARDING_LIMITS.secretMax, `シークレットは${FORWARDING_LIMITS.secretMax}文字以内です`)
  .regex(/^[\x21-\x7e]+$/, 'シークレットは空白を含まない半角英数記号で指定してください');

const eventTypes = z
  .array(z.enum(FORWARDING_EVENT_TYPES, 'イベントの種類が正しくありません'))
  .min(1, '転送するイベントの種類を1つ以上選んでください')
  .max(FORWARDING_EVENT_TYPES.length)
  .refine((a) => new Set(a).size === a.length, '同じイベントの種類が重複しています')
  .nullable();

const messageMode = z.enum(FORWARDING_MESSAGE_MODES, '「unhandled」か「always」を指定してください');

export const targetCreateSchema = z.strictObject({
  channelId: id,
  name: displayText(FORWARDING_LIMITS.name),
  url,
  /** Omitted: the server makes one and answers it once. */
  secret: secret.optional(),
  enabled: z.boolean().default(true),
  eventTypes: eventTypes.default(null),
  messageMode: messageMode.default('unhandled'),
});
export type TargetCreate = z.infer<typeof targetCreateSchema>;

export const targetUpdateSchema = z
  .strictObject({
    name: displayText(FORWARDING_LIMITS.name).optional(),
    url: url.optional(),
    /** Write-only: replaces the secret. */
    secret: secret.optional(),
    enabled: z.boolean().optional(),
    eventTypes: eventTypes.optional(),
    messageMode: messageMode.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, '変更する内容を指定してください');
export type TargetUpdate = z.infer<typeof targetUpdateSchema>;

export const channelQuery = z.object({ channelId: id });
export const targetParams = z.object({ targetId: id });
export const itemParams = targetParams.extend({
  itemId: z.string().regex(/^[1-9][0-9]{0,17}$/, 'ID の形式が正しくありません'),
});
export const itemListQuery = z.object({
  state: z.enum(FORWARDING_ITEM_STATES, '状態が正しくありません').optional(),
  /** Only items that failed at least once (the failures list). */
  failedOnly: z.enum(['true', 'false']).optional(),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'before の形式が正しくありません')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ItemListQuery = z.infer<typeof itemListQuery>;
