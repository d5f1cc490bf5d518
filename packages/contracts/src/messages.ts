import { z } from 'zod';

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
