import { z } from 'zod';
import { displayText } from './text.ts';

// LINE channels (公式アカウント): the HTTP contract of /api/channels. Secrets are write-only.

const lineId = z
  .string()
  .trim()
  .regex(/^\d{6,20}$/, 'LINE のチャネル ID は数字です');
const secret = z
  .string()
  .trim()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, '英数字と記号のみです');

export const ENVIRONMENTS = ['production', 'test'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const channelCreateSchema = z.object({
  name: displayText(100),
  lineChannelId: lineId,
  channelSecret: secret,
  accessToken: z
    .string()
    .trim()
    .min(8)
    .max(1000)
    .regex(/^[\x21-\x7e]+$/),
  environment: z.enum(ENVIRONMENTS),
  loginChannelId: lineId.nullish(),
  loginChannelSecret: secret.nullish(),
  liffId: z
    .string()
    .trim()
    .regex(/^\d{6,20}-[A-Za-z0-9]{4,20}$/, 'LIFF ID の形式は 1234567890-AbCdEfGh です')
    .nullish(),
  botUserId: z
    .string()
    .regex(/^U[0-9a-f]{32}$/)
    .nullish(),
});

/** PATCH: any field; null clears an optional one. */
export const channelUpdateSchema = channelCreateSchema.partial();

export type ChannelCreate = z.infer<typeof channelCreateSchema>;
export type ChannelUpdate = z.infer<typeof channelUpdateSchema>;

/** A channel as the API answers it, without its secrets (timestamps: ISO strings in JSON, Dates on the server). */
export interface ChannelView<Time = string> {
  id: string;
  name: string;
  lineChannelId: string;
  environment: Environment;
  webhookUrl: string;
  loginChannelId: string | null;
  liffId: string | null;
  botUserId: string | null;
  createdAt: Time;
}
