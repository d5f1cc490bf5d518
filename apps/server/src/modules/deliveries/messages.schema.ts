import type { messagingApi } from '@line/bot-sdk';
import {
  type DeliveryMessage,
  MAX_FLEX_BYTES,
  MAX_MESSAGES,
  MAX_TEXT,
  messageSchema,
} from '@madoguchi/contracts/messages.ts';
import { z } from 'zod';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';

// Messages of a delivery (G-05): the shapes are the HTTP contract (packages/contracts/src/messages.ts);
// here the server's error codes and the conversion into LINE's message objects when sent.

export {
  type DeliveryMessage,
  flexMessageSchema,
  IMAGEMAP_WIDTH,
  imageMessageSchema,
  imagemapMessageSchema,
  MAX_ALT_TEXT,
  MAX_FLEX_BYTES,
  MAX_MESSAGES,
  MAX_TEXT,
  messageSchema,
  textMessageSchema,
} from '@madoguchi/contracts/messages.ts';

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
