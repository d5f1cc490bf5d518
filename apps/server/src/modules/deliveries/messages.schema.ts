import type { messagingApi } from '@line/bot-sdk';
import { z } from 'zod';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';

// Messages of a delivery (G-05): up to 5 LINE message objects — text (URLs, emoji), an uploaded image,
// an imagemap (rich message with tap areas) or a flex bubble (card). Stored as staff give them (images
// by media ID) and turned into LINE's form only when sent, so the public URL can change in between.

export const MAX_MESSAGES = 5;
export const MAX_TEXT = 5000;
export const MAX_ALT_TEXT = 400;
export const MAX_FLEX_BYTES = 30 * 1024;
export const IMAGEMAP_WIDTH = 1040;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const altText = z
  .string()
  .trim()
  .min(1, '代替テキストを入力してください')
  .max(MAX_ALT_TEXT, `代替テキストは${MAX_ALT_TEXT}文字以内で入力してください`);
const linkUri = z
  .string()
  .max(1000, 'リンクは1000文字以内で入力してください')
  .regex(
    /^(https?:\/\/[^\s]+|tel:[0-9+\-()]+|line:\/\/[^\s]+)$/,
    'リンクは http(s)://、tel:、line:// で始まる URL です',
  );

const area = z.object({
  x: int(0, 100_000),
  y: int(0, 100_000),
  width: int(1, 100_000),
  height: int(1, 100_000),
});

export const textMessageSchema = z.object({
  type: z.literal('text'),
  // LINE counts UTF-16 code units (an emoji outside the BMP counts 2), as String.length does.
  // (zod's .max() counts code points, so the length is checked here.)
  text: z
    .string()
    .refine((t) => t.trim().length > 0, '本文を入力してください')
    .superRefine((t, ctx) => {
      if (t.length > MAX_TEXT) {
        ctx.addIssue({
          code: 'too_big',
          origin: 'string',
          maximum: MAX_TEXT,
          inclusive: true,
          input: t,
          message: `本文は${MAX_TEXT.toLocaleString('ja-JP')}文字以内で入力してください（${t.length.toLocaleString('ja-JP')}文字あります）`,
        });
      }
    }),
});

export const imageMessageSchema = z.object({
  type: z.literal('image'),
  mediaId: z.uuid('画像を選んでください'),
});

const imagemapAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('uri'), linkUri, label: z.string().max(100).optional(), area }),
  z.object({
    type: z.literal('message'),
    text: z.string().trim().min(1, '送信するテキストを入力してください').max(400),
    label: z.string().max(100).optional(),
    area,
  }),
]);

export const imagemapMessageSchema = z
  .object({
    type: z.literal('imagemap'),
    mediaId: z.uuid('画像を選んでください'),
    altText,
    baseSize: z.object({
      width: z.literal(IMAGEMAP_WIDTH, `幅は ${IMAGEMAP_WIDTH} です`),
      height: int(1, 10_000),
    }),
    actions: z.array(imagemapAction).min(1, 'タップ領域を1つ以上設定してください').max(50),
  })
  .superRefine((m, ctx) => {
    m.actions.forEach((a, i) => {
      if (a.area.x + a.area.width > m.baseSize.width || a.area.y + a.area.height > m.baseSize.height) {
        ctx.addIssue({
          code: 'custom',
          path: ['actions', i, 'area'],
          message: 'タップ領域が画像の外にはみ出しています',
        });
      }
    });
  });

// Flex: the basic structure of a bubble is checked here (block and component types, a box's layout
// and contents); LINE checks every property when the message is sent or validated.
type FlexComponentInput = { type: string; [key: string]: unknown };
const flexComponent: z.ZodType<FlexComponentInput> = z.lazy(() =>
  z.union([
    flexBox,
    z.looseObject({ type: z.literal('text'), text: z.string().max(MAX_TEXT).optional() }),
    z.looseObject({ type: z.literal('button'), action: z.looseObject({ type: z.string() }) }),
    z.looseObject({ type: z.enum(['image', 'icon']), url: z.string().min(1).max(2000) }),
    z.looseObject({ type: z.enum(['video', 'span', 'separator', 'filler']) }),
  ]),
);
const flexBox = z.looseObject({
  type: z.literal('box'),
  layout: z.enum(['horizontal', 'vertical', 'baseline']),
  contents: z.array(flexComponent).max(50),
});
const flexBubble = z
  .looseObject({
    type: z.literal('bubble', 'カードは bubble です'),
    size: z.enum(['nano', 'micro', 'deca', 'hecto', 'kilo', 'mega', 'giga']).optional(),
    direction: z.enum(['ltr', 'rtl']).optional(),
    header: flexBox.optional(),
    hero: z.union([flexBox, z.looseObject({ type: z.enum(['image', 'video']) })]).optional(),
    body: flexBox.optional(),
    footer: flexBox.optional(),
    styles: z.looseObject({}).optional(),
    action: z.looseObject({ type: z.string() }).optional(),
  })
  .refine(
    (b) => b.header || b.hero || b.body || b.footer,
    'カードには header・hero・body・footer のいずれかが必要です',
  );

export const flexMessageSchema = z.object({
  type: z.literal('flex'),
  altText,
  contents: flexBubble,
});

export const messageSchema = z.discriminatedUnion('type', [
  textMessageSchema,
  imageMessageSchema,
  imagemapMessageSchema,
  flexMessageSchema,
]);

export type DeliveryMessage = z.infer<typeof messageSchema>;

/** The request shape (checked by parseMessages, which gives the specific error codes). */
export const messagesInputSchema = z.array(z.unknown()).meta({
  description:
    'LINE メッセージ（最大5件）: text {text ≤ 5000}, image {mediaId}, imagemap {mediaId, altText, baseSize {width: 1040, height}, actions}, flex {altText, contents: bubble}',
});

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * Validates the messages of a delivery. Errors: TOO_MANY_MESSAGES (more than 5), TEXT_TOO_LONG
 * (a text over 5,000 characters), FLEX_TOO_LARGE (a card over 30 KB of JSON), MESSAGE_INVALID
 * (anything else: no message, an unknown type, a tap area outside the image, …), each with details
 * naming the message (`messages.<n>.<property>`).
 */
export function parseMessages(input: unknown): DeliveryMessage[] {
  if (!Array.isArray(input)) {
    throw new AppError(400, 'MESSAGE_INVALID', 'メッセージの形式が正しくありません');
  }
  if (input.length === 0) {
    throw new AppError(400, 'MESSAGE_INVALID', 'メッセージを1件以上入力してください', [
      { path: 'messages', message: 'メッセージを1件以上入力してください' },
    ]);
  }
  if (input.length > MAX_MESSAGES) {
    throw new AppError(
      400,
      'TOO_MANY_MESSAGES',
      `1回の配信で送れるメッセージは${MAX_MESSAGES}件までです（${input.length}件あります）`,
      [{ path: 'messages', message: `${MAX_MESSAGES}件以内にしてください` }],
    );
  }
  const out: DeliveryMessage[] = [];
  const details: ErrorDetail[] = [];
  let code = 'MESSAGE_INVALID';
  input.forEach((raw, i) => {
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (
          issue.code === 'too_big' &&
          issue.path[issue.path.length - 1] === 'text' &&
          issue.path.length === 1
        ) {
          code = 'TEXT_TOO_LONG';
        }
        details.push({ path: joinPath(['messages', i, ...issue.path]), message: issue.message });
      }
      return;
    }
    if (parsed.data.type === 'flex') {
      const bytes = Buffer.byteLength(JSON.stringify(parsed.data.contents));
      if (bytes > MAX_FLEX_BYTES) {
        if (code === 'MESSAGE_INVALID' && details.length === 0) code = 'FLEX_TOO_LARGE';
        details.push({
          path: `messages.${i}.contents`,
          message: `カードの JSON は 30 KB 以内にしてください（${Math.ceil(bytes / 1024)} KB あります）`,
        });
        return;
      }
    }
    out.push(parsed.data);
  });
  if (details.length > 0) {
    const message =
      code === 'TEXT_TOO_LONG'
        ? `本文は${MAX_TEXT.toLocaleString('ja-JP')}文字以内で入力してください`
        : code === 'FLEX_TOO_LARGE'
          ? 'カードの JSON は 30 KB 以内にしてください'
          : 'メッセージの内容に誤りがあります';
    throw new AppError(400, code, message, details);
  }
  return out;
}

/** Media IDs the messages refer to (each must exist in `media`). */
export function mediaIdsOf(messages: DeliveryMessage[]): string[] {
  const ids = new Set<string>();
  for (const m of messages) if (m.type === 'image' || m.type === 'imagemap') ids.add(m.mediaId);
  return [...ids];
}

/**
 * LINE message objects for sending: images and imagemaps point at this server's public media URLs
 * (`/media/<id>`, `/media/<id>/preview`, `/media/<id>/imagemap/<width>`).
 */
export function toLineMessages(messages: DeliveryMessage[], publicUrl: string): messagingApi.Message[] {
  const base = publicUrl.replace(/\/+$/, '');
  return messages.map((m) => toLineMessage(m, base));
}

function toLineMessage(m: DeliveryMessage, base: string): messagingApi.Message {
  switch (m.type) {
    case 'text':
      return { type: 'text', text: m.text };
    case 'image':
      return {
        type: 'image',
        originalContentUrl: `${base}/media/${m.mediaId}`,
        previewImageUrl: `${base}/media/${m.mediaId}/preview`,
      };
    case 'imagemap':
      return {
        type: 'imagemap',
        baseUrl: `${base}/media/${m.mediaId}/imagemap`,
        altText: m.altText,
        baseSize: m.baseSize,
        actions: m.actions.map((a) =>
          a.type === 'uri'
            ? { type: 'uri', linkUri: a.linkUri, area: a.area, ...(a.label ? { label: a.label } : {}) }
            : { type: 'message', text: a.text, area: a.area, ...(a.label ? { label: a.label } : {}) },
        ),
      };
    case 'flex':
      return {
        type: 'flex',
        altText: m.altText,
        contents: m.contents as unknown as messagingApi.FlexBubble,
      };
  }
}
