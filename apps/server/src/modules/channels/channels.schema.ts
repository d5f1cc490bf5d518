import { z } from 'zod';
import { displayText } from '../../platform/http/text.ts';

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
const name = displayText(100);

export const channelCreateSchema = z.object({
  name,
  lineChannelId: lineId,
  channelSecret: secret,
  accessToken: z
    .string()
    .trim()
    .min(8)
    .max(1000)
    .regex(/^[\x21-\x7e]+$/),
  environment: z.enum(['production', 'test']),
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

export const channelUpdateSchema = channelCreateSchema.partial();

export type ChannelCreate = z.infer<typeof channelCreateSchema>;
export type ChannelUpdate = z.infer<typeof channelUpdateSchema>;

export const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  lineChannelId: z.string(),
  environment: z.enum(['production', 'test']),
  webhookUrl: z.string(),
  loginChannelId: z.string().nullable(),
  liffId: z.string().nullable(),
  botUserId: z.string().nullable(),
  createdAt: z.date(),
});
export type ChannelView = z.infer<typeof channelSchema>;
